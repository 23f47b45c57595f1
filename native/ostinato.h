/*
 * ostinato.h — the one public header of ostinato's native mixer.
 *
 * The mixer plays timestamped events on a frame clock. A control thread
 * (the JavaScript binding) opens an engine, pushes batches of fixed-size
 * event records into a lock-free ring, and reads telemetry; the audio thread
 * of the chosen backend (PortAudio callback, the null backend's thread, or
 * the caller of ost_engine_render for the offline backend) drains the ring
 * and renders. The audio thread never locks, allocates, does I/O or calls
 * back into the caller.
 *
 * Every declaration says which thread may call it:
 *   Thread: any      - any thread, at any time
 *   Thread: control  - one control thread at a time (the engine's owner);
 *                      never the audio thread
 *   Thread: producer - a thread that pushes events; pushes from several
 *                      threads are serialised by a lock on the producer
 *                      side only (the ring stays single-producer, and the
 *                      audio thread never waits for it)
 *   Thread: audio    - internal; named for completeness
 *
 * Errors are ost_result values (0 = OST_OK, errors negative) with
 * ost_result_text(). A NULL or out-of-range argument returns an error; it
 * never crashes. There is no mutable global state: every function that has
 * state takes the engine (or a device list). The one exception is PortAudio
 * itself, whose library state is process-global; calls into it are serialised
 * inside backend_portaudio.c.
 */
#ifndef OSTINATO_H
#define OSTINATO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OST_API __attribute__((visibility("default")))

/* ======================================================================
 * Results
 * ==================================================================== */

#define OST_RESULT_TABLE(X)                                                        \
    X(OST_OK, 0, "ok")                                                             \
    X(OST_INVALID_ARGS, -1, "invalid arguments")                                   \
    X(OST_OUT_OF_MEMORY, -2, "out of memory")                                      \
    X(OST_WRONG_STATE, -3, "not allowed in the engine's current state")            \
    X(OST_WRONG_BACKEND, -4, "not available with the engine's current backend")    \
    X(OST_NO_DEVICE, -5, "no such audio device")                                   \
    X(OST_DEVICE_ERROR, -6, "the audio device reported an error")                  \
    X(OST_UNSUPPORTED_FORMAT, -7, "the device does not support this rate or channel count") \
    X(OST_THREAD_ERROR, -8, "could not start a thread")                            \
    X(OST_BAD_EVENT, -9, "an event record has an unknown kind, or is an extension without its note") \
    X(OST_FILE_ERROR, -10, "the file could not be read or written")                \
    X(OST_FULL, -11, "no free slot left")                                         \
    X(OST_NOT_WRITER, -12, "another live worker is the engine's writer now")

typedef enum ost_result {
#define OST_X(id, value, text) id = value,
    OST_RESULT_TABLE(OST_X)
#undef OST_X
} ost_result;

/** A short lowercase phrase for a result ("no such audio device").
 *  Unknown values give "unknown result". Thread: any. */
OST_API const char *ost_result_text(int result);

/* ======================================================================
 * Sounds: the sources a NOTE event can play, by index.
 * X(ID, name, alias) — alias is "" when there is none. Names starting with
 * "_" are internal: the binding maps no control value to them.
 *   oscillators and noise (band-limited, seeded);
 *   supersaw (unison saws: unison, detune, spread) and pulse (pw);
 *   a synthesized drum kit (no files): `bank` picks a kit character
 *   (0 default, 1 808-like, 2 909-like), `n` a variation;
 *   _sample: a sample from disk (the `sample` parameter names its slot).
 * ==================================================================== */

#define OST_SOUND_TABLE(X)           \
    X(SINE, "sine", "")              \
    X(SAWTOOTH, "sawtooth", "saw")   \
    X(SQUARE, "square", "")          \
    X(TRIANGLE, "triangle", "tri")   \
    X(WHITE, "white", "")            \
    X(PINK, "pink", "")              \
    X(BROWN, "brown", "")            \
    X(SUPERSAW, "supersaw", "")      \
    X(PULSE, "pulse", "")            \
    X(BD, "bd", "")                  \
    X(SD, "sd", "")                  \
    X(HH, "hh", "")                  \
    X(OH, "oh", "")                  \
    X(CP, "cp", "")                  \
    X(RIM, "rim", "rs")              \
    X(LT, "lt", "")                  \
    X(MT, "mt", "")                  \
    X(HT, "ht", "")                  \
    X(CB, "cb", "")                  \
    X(CR, "cr", "")                  \
    X(RD, "rd", "")                  \
    X(SH, "sh", "")                  \
    X(SAMPLE, "_sample", "")         \
    X(USER, "user", "")

typedef enum ost_sound {
#define OST_X(id, name, alias) OST_SOUND_##id,
    OST_SOUND_TABLE(OST_X)
#undef OST_X
    OST_SOUND_COUNT
} ost_sound;

/** The sound index for "unknown": the event is counted in telemetry
 *  (unknown_sounds) and plays nothing. */
#define OST_SOUND_UNKNOWN (-1)
/** The first and last drum of the table. */
#define OST_SOUND_FIRST_DRUM OST_SOUND_BD
#define OST_SOUND_LAST_DRUM OST_SOUND_SH

/** Number of sounds. Thread: any. */
OST_API uint32_t ost_sound_count(void);
/** Name of sound i, or NULL when out of range. Thread: any. */
OST_API const char *ost_sound_name(uint32_t index);
/** Alias of sound i ("" when none), or NULL when out of range. Thread: any. */
OST_API const char *ost_sound_alias(uint32_t index);

/** What gain 1 means for the synthesised sounds (oscillators, supersaw,
 *  noise): the full-scale waveform 14.4 dB down, so that an oscillator peaks
 *  at -14.4 dBFS and a note a beat at 120 bpm reads -18.4 (square) to -23.5
 *  (triangle) LUFS, within 3 dB of the drum kit's kick (-21.0 LUFS, one hit
 *  a beat; the kit's own levels are in drum.c), and a dense program (drums,
 *  a bass, a three-note chord, a lead) peaks at -4 dBTP, leaving the
 *  master's -1 dBTP limiter idle (test/engine/quality.test.ts). Drums play
 *  at their kit's levels and samples at their file's. */
#define OST_SYNTH_LEVEL 0.19f
/** The level of a voice of sound i at gain 1 (OST_SYNTH_LEVEL or 1), or 0
 *  when out of range. Thread: any. */
OST_API float ost_sound_level(uint32_t index);

/* ======================================================================
 * Voice parameters: the float array of a NOTE event, indexed by ost_param.
 * X(ID, name, default, min, max, doc). Adding a parameter is one line here.
 * Values are sanitised when pushed: NaN becomes the default, everything else
 * is clamped to [min, max] (so +-Inf and 1e30 land on a bound).
 * A filter whose frequency is 0 (its default) is off.
 * ==================================================================== */

#define OST_PARAM_TABLE(X)                                                                  \
    X(SOUND, "s", (float)OST_SOUND_TRIANGLE, -1.0f, (float)(OST_SOUND_COUNT - 1), "sound index (ost_sound_name); -1 = unknown") \
    X(FREQ, "freq", 65.406395f /* midi 36 */, 0.0f, 24000.0f, "oscillator frequency, Hz; samples and drums play at freq / 65.4064 (c2 = as recorded)") \
    X(GAIN, "gain", 1.0f, 0.0f, 8.0f, "linear gain")                                          \
    X(VELOCITY, "velocity", 1.0f, 0.0f, 1.0f, "linear gain, multiplied with gain")            \
    X(PAN, "pan", 0.5f, 0.0f, 1.0f, "equal-power pan: 0 left, 0.5 centre, 1 right")          \
    X(ATTACK, "attack", 0.001f, 0.0f, 60.0f, "linear rise 0 -> 1, seconds")                   \
    X(DECAY, "decay", 0.05f, 0.0f, 60.0f, "linear fall 1 -> sustain, seconds")                \
    X(SUSTAIN, "sustain", 1.0f, 0.0f, 1.0f, "level held until note-off")                     \
    X(RELEASE, "release", 0.01f, 0.0f, 60.0f, "linear fall to 0 after note-off, seconds")     \
    X(CUTOFF, "cutoff", 0.0f, 0.0f, 24000.0f, "lowpass frequency, Hz; 0 = off")              \
    X(RESONANCE, "resonance", 0.70710678f, 0.1f, 50.0f, "lowpass Q (linear)")                 \
    X(HCUTOFF, "hcutoff", 0.0f, 0.0f, 24000.0f, "highpass frequency, Hz; 0 = off")           \
    X(HRESONANCE, "hresonance", 0.70710678f, 0.1f, 50.0f, "highpass Q (linear)")              \
    X(BANDF, "bandf", 0.0f, 0.0f, 24000.0f, "bandpass centre frequency, Hz; 0 = off")        \
    X(BANDQ, "bandq", 0.70710678f, 0.1f, 50.0f, "bandpass Q (linear)")                        \
    /* which sound */                                                                          \
    X(N, "n", 0.0f, -1e6f, 1e6f, "drum variation (samples: the binding picks the file)")     \
    X(BANK, "bank", 0.0f, 0.0f, 2.0f, "drum kit: 0 default, 1 808-like, 2 909-like")         \
    X(SAMPLE, "sample", -1.0f, -1.0f, 16777215.0f, "sample slot (ost_engine_sample_load); -1 = none") \
    /* sample playback */                                                                      \
    X(SPEED, "speed", 1.0f, -16.0f, 16.0f, "playback rate; negative plays backwards (drums: pitch)") \
    X(BEGIN, "begin", 0.0f, 0.0f, 1.0f, "start point in the sample, 0..1")                    \
    X(END, "end", 1.0f, 0.0f, 1.0f, "end point in the sample, 0..1")                          \
    X(UNIT, "unit", 0.0f, 0.0f, 1.0f, "1 (\"c\"): rate = speed x the sample's length in seconds") \
    X(LOOP, "loop", 0.0f, 0.0f, 1.0f, "1: loop between loopBegin and loopEnd until note-off") \
    X(LOOPBEGIN, "loopBegin", 0.0f, 0.0f, 1.0f, "loop start, 0..1 of the sample")             \
    X(LOOPEND, "loopEnd", 1.0f, 0.0f, 1.0f, "loop end, 0..1 of the sample")                   \
    X(CUT, "cut", 0.0f, 0.0f, 65535.0f, "cut group: a new voice stops the group's others (0 = none)") \
    X(ACCELERATE, "accelerate", 0.0f, -16.0f, 16.0f, "rate glides to rate x (1 + accelerate) over the note") \
    /* per voice effects, in this order after the filters */                                  \
    X(VOWEL, "vowel", 0.0f, 0.0f, 5.0f, "formant filter: 0 off, 1 a, 2 e, 3 i, 4 o, 5 u")     \
    X(COARSE, "coarse", 0.0f, 0.0f, 256.0f, "sample-rate reduction: hold every n-th sample (0, 1 = off)") \
    X(CRUSH, "crush", 0.0f, 0.0f, 16.0f, "bit crush: bits of resolution (0 = off)")           \
    X(SHAPE, "shape", 0.0f, 0.0f, 1.0f, "wave-shaping distortion amount")                     \
    X(DISTORT, "distort", 0.0f, 0.0f, 100.0f, "distortion amount: drive e^distort (the folders 1 + distort); 0 = off") \
    X(DISTORTTYPE, "distorttype", 0.0f, 0.0f, 8.0f, "0 soft 1 hard 2 cubic 3 diode 4 asym 5 fold 6 sinefold 7 chebyshev 8 scurve") \
    X(DISTORTVOL, "distortvol", 1.0f, 0.0f, 8.0f, "gain after the distortion")                 \
    X(POSTGAIN, "postgain", 1.0f, 0.0f, 8.0f, "gain after the effects")                      \
    /* synthesis */                                                                            \
    X(PW, "pw", 0.5f, 0.01f, 0.99f, "pulse width")                                            \
    X(UNISON, "unison", 5.0f, 1.0f, 8.0f, "supersaw voices")                                  \
    X(DETUNE, "detune", 0.18f, 0.0f, 24.0f, "supersaw detune: semitones between the outer voices") \
    X(SPREAD, "spread", 0.6f, 0.0f, 1.0f, "supersaw stereo width")                           \
    X(FMH, "fmh", 1.0f, 0.0f, 64.0f, "FM harmonicity: modulator frequency / frequency")       \
    X(FMI, "fmi", 0.0f, 0.0f, 64.0f, "FM index (0 = off)")                                    \
    X(FMATTACK, "fmattack", 0.0f, 0.0f, 60.0f, "FM index envelope: rise, seconds")            \
    X(FMDECAY, "fmdecay", 0.0f, 0.0f, 60.0f, "FM index envelope: fall to fmsustain, seconds") \
    X(FMSUSTAIN, "fmsustain", 1.0f, 0.0f, 1.0f, "FM index envelope: level held")             \
    X(VIB, "vib", 0.0f, 0.0f, 64.0f, "vibrato rate, Hz (0 = off)")                            \
    X(VIBMOD, "vibmod", 0.5f, 0.0f, 24.0f, "vibrato depth, semitones")                        \
    X(PENV, "penv", 0.0f, -96.0f, 96.0f, "pitch envelope depth, semitones (0 = off)")         \
    X(PATTACK, "pattack", 0.0f, 0.0f, 60.0f, "pitch envelope: rise 0 -> penv, seconds")       \
    X(PDECAY, "pdecay", 0.1f, 0.0f, 60.0f, "pitch envelope: fall penv -> 0, seconds")          \
    X(LPENV, "lpenv", 0.0f, -16.0f, 16.0f, "lowpass envelope depth, octaves (0 = off)")       \
    X(LPATTACK, "lpattack", 0.005f, 0.0f, 60.0f, "lowpass envelope attack, seconds")           \
    X(LPDECAY, "lpdecay", 0.14f, 0.0f, 60.0f, "lowpass envelope decay, seconds")               \
    X(LPSUSTAIN, "lpsustain", 0.0f, 0.0f, 1.0f, "lowpass envelope sustain level")              \
    X(LPRELEASE, "lprelease", 0.1f, 0.0f, 60.0f, "lowpass envelope release, seconds")          \
    X(FTYPE, "ftype", 0.0f, 0.0f, 2.0f, "lowpass type: 0 12 dB state-variable, 1 ladder, 2 24 dB") \
    /* the orbit (effect bus) and its effects */                                               \
    X(ORBIT, "orbit", 0.0f, 0.0f, 31.0f, "effect bus")                                        \
    X(DRY, "dry", 1.0f, 0.0f, 8.0f, "level of the direct sound")                              \
    X(DELAY, "delay", 0.0f, 0.0f, 8.0f, "delay send level")                                   \
    X(DELAYTIME, "delaytime", 0.25f, 0.001f, 4.0f, "delay time, seconds (cycles with lock)")  \
    X(DELAYFEEDBACK, "delayfeedback", 0.5f, 0.0f, 0.98f, "delay feedback")                    \
    X(LOCK, "lock", 0.0f, 0.0f, 1.0f, "1: delaytime is in cycles (tempo-synced, from cps)")    \
    X(CPS, "cps", 0.5f, 0.01f, 100.0f, "tempo of the event, cycles per second (the scheduler sets it)") \
    X(ROOM, "room", 0.0f, 0.0f, 8.0f, "reverb send level")                                    \
    X(ROOMSIZE, "roomsize", 2.0f, 0.0f, 10.0f, "reverb size; also its decay time, seconds")    \
    X(ROOMFADE, "roomfade", 0.0f, 0.0f, 30.0f, "reverb decay time (RT60), seconds; 0 = roomsize") \
    X(ROOMLP, "roomlp", 15000.0f, 20.0f, 24000.0f, "reverb brightness: lowpass of its input, Hz") \
    X(ROOMDIM, "roomdim", 5000.0f, 20.0f, 24000.0f, "reverb damping: the tail darkens towards this, Hz") \
    X(PHASERRATE, "phaserrate", 0.0f, 0.0f, 100.0f, "phaser rate, Hz (0 = no phaser)")       \
    X(PHASERDEPTH, "phaserdepth", 0.75f, 0.0f, 1.0f, "phaser depth")                           \
    X(PHASERCENTER, "phasercenter", 1000.0f, 20.0f, 20000.0f, "phaser centre frequency, Hz")  \
    X(PHASERSWEEP, "phasersweep", 2000.0f, 0.0f, 20000.0f, "phaser sweep, Hz")                \
    X(COMPRESSOR, "compressor", 1.0f, -100.0f, 1.0f, "orbit compressor threshold, dB (1 = not set)") \
    X(COMPRESSORRATIO, "compressorRatio", 4.0f, 1.0f, 40.0f, "compressor ratio")               \
    X(COMPRESSORKNEE, "compressorKnee", 6.0f, 0.0f, 40.0f, "compressor knee width, dB")       \
    X(COMPRESSORATTACK, "compressorAttack", 0.005f, 0.0001f, 1.0f, "compressor attack, seconds") \
    X(COMPRESSORRELEASE, "compressorRelease", 0.1f, 0.001f, 5.0f, "compressor release, seconds") \
    OST_PARAM_TABLE_MOD(X)

/* Ducking and modulation (duck.c, lfo.h, tremolo.c). A filter LFO is on when
 * its rate or sync is above 0: rate = sync x cps when sync is set (sync is
 * LFO periods per cycle), else rate Hz; the cutoff is multiplied by
 * 2^(depth x (wave + dc)), wave in -1..1. LFO shapes: 0 sine, 1 triangle,
 * 2 square, 3 saw (rising), 4 ramp (falling); skew 0.5 is symmetric, 0 and
 * 1 lean the wave's peak to the start or end of its period. */
#define OST_FILTER_LFO_PARAMS(X, P, p, what)                                                             \
    X(P##RATE, p "rate", 0.0f, 0.0f, 1000.0f, what " LFO rate, Hz (0 = off unless sync)")               \
    X(P##SYNC, p "sync", 0.0f, 0.0f, 1000.0f, what " LFO rate in periods per cycle (x cps; 0 = use rate)") \
    X(P##DEPTH, p "depth", 1.0f, 0.0f, 10.0f, what " LFO depth, octaves either side")                    \
    X(P##SHAPE, p "shape", 0.0f, 0.0f, 4.0f, what " LFO shape: 0 sine 1 tri 2 square 3 saw 4 ramp")      \
    X(P##SKEW, p "skew", 0.5f, 0.0f, 1.0f, what " LFO skew (0.5 symmetric)")                             \
    X(P##DC, p "dc", 0.0f, -1.0f, 1.0f, what " LFO offset, added to the wave")
#define OST_PARAM_TABLE_MOD(X)                                                                            \
    X(DUCKORBITS, "_duckorbits", 0.0f, 0.0f, 16777215.0f, "the orbits (bit n: orbit n, 0-23) this event ducks from its start; the binding sets it from duckorbit") \
    X(DUCKDEPTH, "duckdepth", 1.0f, 0.0f, 1.0f, "how far the ducked orbit goes down: gain 1 - depth")     \
    X(DUCKONSET, "duckonset", 0.003f, 0.0f, 10.0f, "ducking: time to go down, seconds")                  \
    X(DUCKATTACK, "duckattack", 0.1f, 0.0f, 60.0f, "ducking: time to come back to gain 1, seconds")      \
    OST_FILTER_LFO_PARAMS(X, LP, "lp", "lowpass")                                                         \
    OST_FILTER_LFO_PARAMS(X, HP, "hp", "highpass")                                                        \
    OST_FILTER_LFO_PARAMS(X, BP, "bp", "bandpass")                                                        \
    X(TREMOLO, "tremolo", 0.0f, 0.0f, 1000.0f, "tremolo rate, Hz (0 = off unless tremolosync)")          \
    X(TREMOLOSYNC, "tremolosync", 0.0f, 0.0f, 1000.0f, "tremolo rate in periods per cycle (x cps)")     \
    X(TREMOLODEPTH, "tremolodepth", 1.0f, 0.0f, 1.0f, "tremolo depth: the gain dips to 1 - depth")      \
    X(TREMOLOSHAPE, "tremoloshape", 0.0f, 0.0f, 4.0f, "tremolo shape: 0 sine 1 tri 2 square 3 saw 4 ramp") \
    X(TREMOLOSKEW, "tremoloskew", 0.5f, 0.0f, 1.0f, "tremolo skew (0.5 symmetric)")                      \
    X(TREMOLOPHASE, "tremolophase", 0.0f, 0.0f, 1.0f, "tremolo start phase, periods")                    \
    X(TRANSIENT, "transient", 0.0f, -1.0f, 1.0f, "transient shaper: attack, -1..1 (0 = as it is)") \
    X(TRANSSUSTAIN, "transsustain", 0.0f, -1.0f, 1.0f, "transient shaper: sustain, -1..1") \
    X(FMWAVE, "fmwave", 0.0f, 0.0f, 4.0f, "FM modulator wave: 0 sine 1 triangle 2 square 3 sawtooth") \
    X(DELAYSYNC, "delaysync", 0.0f, 0.0f, 16.0f, "delay time in cycles (x 1 / cps; 0 = delaytime)")    \
    X(DELAYSPEED, "delayspeed", 1.0f, 0.25f, 4.0f, "delay line playback speed: each repeat sounds at speed x the pitch of the one before (1 = plain echo)") \
    X(CHORUS, "chorus", 0.0f, 0.0f, 1.0f, "chorus send into the orbit's chorus, 0..1") \
    X(WT, "wt", 0.0f, 0.0f, 1.0f, "wavetable position over a wt_ sample's cycles, 0..1")         \
    X(WTENV, "wtenv", 0.0f, -1.0f, 1.0f, "wavetable position envelope depth: the position moves by wtenv x the envelope (0..1)") \
    X(WTATTACK, "wtattack", 0.005f, 0.0f, 60.0f, "wavetable position envelope attack, seconds")  \
    X(WTDECAY, "wtdecay", 0.14f, 0.0f, 60.0f, "wavetable position envelope decay, seconds")      \
    X(WTSUSTAIN, "wtsustain", 0.0f, 0.0f, 1.0f, "wavetable position envelope sustain level")     \
    X(WTRELEASE, "wtrelease", 0.1f, 0.0f, 60.0f, "wavetable position envelope release, seconds") \
    X(WTRATE, "wtrate", 0.0f, 0.0f, 1000.0f, "wavetable position LFO rate, Hz (0 = off unless wtsync)") \
    X(WTSYNC, "wtsync", 0.0f, 0.0f, 1000.0f, "wavetable position LFO rate in periods per cycle (x cps)") \
    X(WTDEPTH, "wtdepth", 0.5f, 0.0f, 1.0f, "wavetable position LFO depth: the position moves by depth x (wave + dc)") \
    X(WTSHAPE, "wtshape", 0.0f, 0.0f, 4.0f, "wavetable position LFO shape: 0 sine 1 tri 2 square 3 saw 4 ramp") \
    X(WTSKEW, "wtskew", 0.5f, 0.0f, 1.0f, "wavetable position LFO skew (0.5 symmetric)")         \
    X(WTDC, "wtdc", 0.0f, -1.0f, 1.0f, "wavetable position LFO offset, added to the wave")        \
    X(WTPHASERAND, "wtphaserand", 0.0f, 0.0f, 1.0f, "wavetable: how much of a cycle the start phase is randomised, 0..1") \
    X(FXORDER, "_fxorder", 0.0f, 0.0f, 16777215.0f, "FX(...) chain: the stages (ost_fx_stage) it moves to the end, in order, 4 bits each from the lowest; 0 = Strudel's order") \
    OST_PARAM_TABLE_EXT(X)

/* The table runs on past OST_EVENT_PARAM_CAPACITY: parameters from there
 * on travel in the note's extension record (see there). The modulation envelope is env({...}) on a
 * control other than lpf (the binding sets it): an ADSR (0..1) moving its
 * target by depth x level, in the target's unit. */
#define OST_PARAM_TABLE_EXT(X)                                                                            \
    X(ENVTARGET, "_envtarget", 0.0f, 0.0f, 5.0f, "modulation envelope target: 0 none, 1 highpass cutoff (octaves), 2 bandpass centre (octaves), 3 pitch (semitones), 4 gain (gain x (1 - depth + depth x level)), 5 pan (pan + depth x level)") \
    X(ENVDEPTH, "_envdepth", 1.0f, -96.0f, 96.0f, "modulation envelope depth, in the target's unit")   \
    X(ENVATTACK, "_envattack", 0.005f, 0.0f, 60.0f, "modulation envelope attack, seconds")            \
    X(ENVDECAY, "_envdecay", 0.14f, 0.0f, 60.0f, "modulation envelope decay, seconds")                \
    X(ENVSUSTAIN, "_envsustain", 0.0f, 0.0f, 1.0f, "modulation envelope sustain level")               \
    X(ENVRELEASE, "_envrelease", 0.1f, 0.0f, 60.0f, "modulation envelope release, seconds")               \
    X(WARP, "warp", 0.0f, 0.0f, 1.0f, "wavetable warp amount, 0..1 (0 = off)")                          \
    X(WARPMODE, "warpmode", 1.0f, 0.0f, 4.0f, "wavetable warp: 0 none 1 asym 2 bendp 3 bendm 4 bendmp (smooth phase distortions; chain.c)") \
    X(WARPENV, "warpenv", 0.0f, -1.0f, 1.0f, "warp envelope depth: the warp moves by warpenv x the envelope (0..1)") \
    X(WARPATTACK, "warpattack", 0.005f, 0.0f, 60.0f, "warp envelope attack, seconds")                  \
    X(WARPDECAY, "warpdecay", 0.14f, 0.0f, 60.0f, "warp envelope decay, seconds")                      \
    X(WARPSUSTAIN, "warpsustain", 0.0f, 0.0f, 1.0f, "warp envelope sustain level")                     \
    X(WARPRELEASE, "warprelease", 0.1f, 0.0f, 60.0f, "warp envelope release, seconds")                 \
    X(WARPRATE, "warprate", 0.0f, 0.0f, 1000.0f, "warp LFO rate, Hz (0 = off unless warpsync)")        \
    X(WARPSYNC, "warpsync", 0.0f, 0.0f, 1000.0f, "warp LFO rate in periods per cycle (x cps)")         \
    X(WARPDEPTH, "warpdepth", 0.5f, 0.0f, 1.0f, "warp LFO depth: the warp moves by depth x (wave + dc)") \
    X(WARPSHAPE, "warpshape", 0.0f, 0.0f, 4.0f, "warp LFO shape: 0 sine 1 tri 2 square 3 saw 4 ramp")  \
    X(WARPSKEW, "warpskew", 0.5f, 0.0f, 1.0f, "warp LFO skew (0.5 symmetric)")                         \
    X(WARPDC, "warpdc", 0.0f, -1.0f, 1.0f, "warp LFO offset, added to the wave")                       \
    X(PARTIALS, "_partials", 0.0f, 0.0f, (float)OST_PARTIALS_MAX, "partials([...]): how many harmonics the extension lists (0 = none); sine, sawtooth, square and triangle then play harmonic k at the wave's own amplitude x the k-th (and its phase, phases([...]), in cycles)")

/** The stages an FX(...) chain can order (the _fxorder parameter's nibbles). */
typedef enum ost_fx_stage {
    OST_FX_NONE, OST_FX_LPF, OST_FX_HPF, OST_FX_BPF, OST_FX_VOWEL, OST_FX_COARSE, OST_FX_CRUSH, OST_FX_SHAPE,
    OST_FX_DISTORT, OST_FX_TREMOLO, OST_FX_TRANSIENT, OST_FX_STAGES
} ost_fx_stage;

typedef enum ost_param {
#define OST_X(id, name, def, lo, hi, doc) OST_PARAM_##id,
    OST_PARAM_TABLE(OST_X)
#undef OST_X
    OST_PARAM_COUNT
} ost_param;

/** Room in every event record for parameters. Parameters from this index
 *  on live in the NOTE's extension record (OST_EVENT_EXT): parameter i at
 *  its params[i - OST_EVENT_PARAM_CAPACITY]. */
#define OST_EVENT_PARAM_CAPACITY 128
/** Parameter indices of a NOTE and its extension together. */
#define OST_PARAM_SPACE (2 * OST_EVENT_PARAM_CAPACITY)
/** Partials (partials/phases lists) an event can give: amplitudes at
 *  parameter index OST_PARAM_PARTIAL_AMPS + k, phases (cycles, 0..1) at
 *  OST_PARAM_PARTIAL_PHASES + k, for harmonic k + 1, in the extension. */
#define OST_PARTIALS_MAX 32
#define OST_PARAM_PARTIAL_AMPS (OST_PARAM_SPACE - 2 * OST_PARTIALS_MAX)
#define OST_PARAM_PARTIAL_PHASES (OST_PARAM_SPACE - OST_PARTIALS_MAX)

/** Number of parameters in the table. Thread: any. */
OST_API uint32_t ost_param_count(void);
/** Name of parameter i, or NULL when out of range. Thread: any. */
OST_API const char *ost_param_name(uint32_t index);
/** Writes {default, min, max} of parameter i into out[3].
 *  Thread: any. Returns OST_INVALID_ARGS for a bad index or NULL out. */
OST_API ost_result ost_param_range(uint32_t index, float *out);

/* ======================================================================
 * Events
 * ==================================================================== */

typedef enum ost_event_kind {
    /** Start a voice at start_frame; its note-off is at start_frame + dur_frames. */
    OST_EVENT_NOTE = 1,
    /** Release the voices of `slot` (or all, with OST_SLOT_ALL) at start_frame
     *  with a de-click fade of dur_frames (0 = 5 ms). */
    OST_EVENT_RELEASE = 2,
    /** Drop the pending events of `slot` (or all) that were pushed before this
     *  one and start at or after start_frame (0 = all of them). Takes effect as
     *  soon as the audio thread drains it, not at start_frame. */
    OST_EVENT_CLEAR = 3,
    /** Fade the effect tails (delay, reverb) of every orbit to silence from
     *  start_frame over dur_frames (0 = 10 ms), then clear them (hush: a
     *  delay at feedback 0.98 must not ring on). Voices and sends that
     *  arrive afterwards play into clean effects. */
    OST_EVENT_FADE_FX = 4,
    /** The rest of the NOTE pushed just before it, in the same push: its
     *  params are parameters OST_EVENT_PARAM_CAPACITY.. of that note and its
     *  partial lists (OST_PARAM_PARTIAL_AMPS ...). Its header is ignored. A
     *  note without one has the defaults there (no partials). A push never
     *  takes a NOTE without its extension. */
    OST_EVENT_EXT = 5,
} ost_event_kind;

/** slot value meaning every slot (RELEASE and CLEAR). */
#define OST_SLOT_ALL 0xFFFFFFFFu
/** dur_frames value meaning "no automatic note-off". */
#define OST_DUR_FOREVER 0xFFFFFFFFu

/** One event. Fixed size; see ost_event_layout for the offsets. */
typedef struct ost_event {
    uint64_t start_frame; /**< absolute frame on the engine clock */
    uint32_t dur_frames;  /**< NOTE: frames until note-off; RELEASE: fade frames */
    uint32_t kind;        /**< ost_event_kind */
    uint32_t slot;        /**< tag of the pattern slot this event belongs to */
    uint32_t reserved;    /**< zero when pushed (the engine uses it internally) */
    float params[OST_EVENT_PARAM_CAPACITY]; /**< indexed by ost_param */
} ost_event;

/** Writes the event record's layout into out[8]: {size_bytes,
 *  start_frame offset, dur_frames offset, kind offset, slot offset,
 *  params offset, param capacity, OST_PARTIALS_MAX}. Thread: any. */
OST_API ost_result ost_event_layout(uint32_t *out);

/* ======================================================================
 * Configuration: an engine is opened with an ost_config, a struct of
 * doubles generated from this table, X(name, default, min, max, doc).
 * Integers must be whole numbers. Callers that cannot include this header
 * (the JS binding) read the table through ost_config_count/name/range.
 * ==================================================================== */

#define OST_CONFIG_TABLE(X)                                                                  \
    X(backend, 0, 0, 2, "ost_backend_kind: 0 offline, 1 null, 2 portaudio")                 \
    X(sample_rate, 48000, 8000, 384000, "frames per second")                                 \
    X(channels, 2, 1, 8, "output channels (1 = mono mix, >2: extra channels silent)")       \
    X(block_frames, 128, 16, 8192, "frames per callback (portaudio, null)")                  \
    X(max_voices, 256, 1, 4096, "voices sounding at once; the oldest is stolen past this")  \
    X(ring_capacity, 4096, 16, 1048576, "event ring capacity, records (power of two)")      \
    X(queue_capacity, 8192, 16, 1048576, "pending events the audio thread can hold")         \
    X(device_index, -1, -1, 65535, "portaudio device index; -1 = by name, or the default")  \
    X(latency_s, 0, 0, 4, "portaudio suggested latency, seconds; 0 = device's low default") \
    X(seed, 1, 0, 4294967295.0, "seed of the noise sources")                                 \
    X(orbits, 16, 1, 32, "effect buses (orbits): delay, reverb, phaser, compressor each")     \
    X(max_samples, 16384, 16, 1048576, "sample slots (loaded or loading files)")             \
    X(max_streams, 16, 0, 256, "long samples streaming from disk at once")                   \
    X(stream_threshold_mb, 16, 0, 65536, "decoded size above which a sample streams from disk, MiB") \
    X(record_buffer_s, 4, 0.25, 120, "seconds of output the recording ring holds")          \
    X(lookahead_ms, 1, 0, 20, "master limiter lookahead: the output latency it adds, ms") \
    X(test_burn_us, 0, 0, 1000000, "test hook: CPU time each real-time callback burns before it renders, us (0 = off)")

typedef struct ost_config {
#define OST_X(name, def, lo, hi, doc) double name;
    OST_CONFIG_TABLE(OST_X)
#undef OST_X
} ost_config;

typedef enum ost_backend_kind {
    OST_BACKEND_OFFLINE = 0,   /**< the caller renders with ost_engine_render */
    OST_BACKEND_NULL = 1,      /**< a native thread renders at real-time pace */
    OST_BACKEND_PORTAUDIO = 2, /**< a device: a PortAudio output stream, or our own JACK client for a JACK device */
} ost_backend_kind;

/** Fills config with the defaults. Thread: any. */
OST_API ost_result ost_config_init(ost_config *config);
/** Number of config fields (the doubles of ost_config, in order). Thread: any. */
OST_API uint32_t ost_config_count(void);
/** Name of config field i, or NULL. Thread: any. */
OST_API const char *ost_config_name(uint32_t index);
/** Writes {default, min, max} of config field i into out[3]. Thread: any. */
OST_API ost_result ost_config_range(uint32_t index, double *out);

/* ======================================================================
 * Devices (PortAudio output devices). A snapshot taken when opened.
 * ==================================================================== */

typedef struct ost_devices ost_devices;

/** Takes a snapshot of the output devices. Thread: control. */
OST_API ost_result ost_devices_open(ost_devices **out_devices);
/** Frees a snapshot; NULL is fine. Thread: control. */
OST_API void ost_devices_close(ost_devices *devices);
/** Number of output devices in the snapshot (0 for NULL). Thread: any. */
OST_API uint32_t ost_devices_count(const ost_devices *devices);
/** Index of the default output device in the snapshot, or -1. Thread: any. */
OST_API int32_t ost_devices_default(const ost_devices *devices);
/** Device name, or NULL when out of range. Thread: any. */
OST_API const char *ost_devices_name(const ost_devices *devices, uint32_t index);
/** Host API name ("JACK Audio Connection Kit", "ALSA"), or NULL. Thread: any. */
OST_API const char *ost_devices_host_api(const ost_devices *devices, uint32_t index);
/** PortAudio's own device index (what device_index in ost_config means), or -1. Thread: any. */
OST_API int32_t ost_devices_pa_index(const ost_devices *devices, uint32_t index);
/** Maximum output channels, or -1. Thread: any. */
OST_API int32_t ost_devices_max_channels(const ost_devices *devices, uint32_t index);
/** Default sample rate, Hz, or -1. Thread: any. */
OST_API double ost_devices_default_rate(const ost_devices *devices, uint32_t index);
/** Default low output latency, seconds, or -1. Thread: any. */
OST_API double ost_devices_low_latency(const ost_devices *devices, uint32_t index);

/* ======================================================================
 * Telemetry: a snapshot of the engine's counters, read torn-free.
 * X(type, name, count, doc); type 0 = uint64, 1 = double. Every field is
 * 8 bytes; `count` > 1 is an array. The struct layout is exported through
 * ost_telemetry_size / ost_telemetry_field.
 * ==================================================================== */

#define OST_MAX_CHANNELS 8
/** Buckets of the render-time histogram (telemetry render_hist). */
#define OST_RENDER_HIST_BUCKETS 8

#define OST_TELEMETRY_TABLE(X)                                                                    \
    X(0, frames, 1, "frames rendered since open: the engine clock")                              \
    X(0, block_ns, 1, "CLOCK_MONOTONIC ns when the last block finished rendering")               \
    X(1, now_frame, 1, "estimate of the frame being rendered now (frames + time since block_ns)") \
    X(0, blocks, 1, "render calls so far")                                                       \
    X(1, sample_rate, 1, "frames per second")                                                    \
    X(0, channels, 1, "output channels")                                                         \
    X(1, cpu_load, 1, "render time / block duration, smoothed (0..1, above 1 = too slow)")       \
    X(0, engine_overruns, 1, "callbacks whose render took more CPU time than the block lasts: the engine's own fault") \
    X(0, render_cpu_ns, 1, "CPU time of every real-time render so far, ns")                     \
    X(0, render_max_ns, 1, "longest CPU time one callback's render took, ns (real-time backends)") \
    X(0, render_wall_max_ns, 1, "longest wall-clock time one callback's render took, ns (includes time the host took the CPU away)") \
    X(0, render_hist, OST_RENDER_HIST_BUCKETS, "callbacks by render CPU time per block duration: <1/16 <1/8 <1/4 <1/2 <3/4 <1 <2 >=2") \
    X(0, host_xruns, 1, "periods the host missed: underflows the device reported, or null-backend wake-ups over a block late") \
    X(0, callback_gap_max_ns, 1, "longest time between the starts of two callbacks, ns (the host's scheduling; nominal: one block)") \
    X(0, late_events, 1, "NOTE events that arrived after their frame and played at a block start") \
    X(0, stolen_voices, 1, "voices stopped early because the pool was full")                     \
    X(0, events_played, 1, "NOTE events that started a voice")                                   \
    X(0, unknown_sounds, 1, "NOTE events with an unknown sound (played nothing)")                \
    X(0, cleared_events, 1, "pending events dropped by CLEAR")                                   \
    X(0, reset_voices, 1, "voices silenced because their state went non-finite")                 \
    X(0, active_voices, 1, "voices sounding")                                                    \
    X(0, pending_events, 1, "events drained from the ring, waiting for their frame")             \
    X(0, ring_fill, 1, "events pushed but not yet drained by the audio thread")                  \
    X(0, ring_capacity, 1, "event ring capacity")                                                \
    X(0, backend, 1, "ost_backend_kind in use")                                                  \
    X(0, device_lost, 1, "1 once the device died and the engine fell back to null (0 again once a device plays)") \
    X(0, device_losses, 1, "times the device died under the engine and it fell back to null")  \
    X(0, device_returns, 1, "times a lost JACK device came back and the engine went back to it by itself") \
    X(0, running, 1, "1 while started")                                                          \
    X(0, latency_frames, 1, "output latency of the master limiter's lookahead, frames (the clock accounts for it)") \
    X(1, limiter_gain, 1, "the master limiter's lowest gain in the last block (1 = not limiting)") \
    X(0, samples_not_ready, 1, "NOTE events whose sample was not loaded (or failed) when they started") \
    X(0, stream_underruns, 1, "frames a streaming voice found no data for (late disk reads)")   \
    X(0, streams_unavailable, 1, "NOTE events of a streamed sample that found no free stream")  \
    X(0, streams_active, 1, "streams in use")                                                   \
    X(0, recording, 1, "1 while the output is being recorded")                                  \
    X(0, record_start_frame, 1, "engine frame of the recording's first frame")                  \
    X(0, record_frames, 1, "frames handed to the recording writer since it started")            \
    X(0, record_dropped, 1, "frames the recording ring had no room for (0 in a healthy recording)") \
    X(0, record_lost, 1, "frames the disk refused (full): the take ends where it was whole (0 in a healthy recording)") \
    X(0, record_error, 1, "errno of the recording's first failed write, or 0")                 \
    X(1, peak, OST_MAX_CHANNELS, "per-channel peak |sample|: instant attack, -20 dB in 300 ms") \
    X(1, peak_max, OST_MAX_CHANNELS, "per-channel loudest |sample| since the engine opened (no decay)") \
    X(0, clock_captures, 1, "blocks that captured the clock source (0: none installed)")         \
    X(0, clock_frame, 1, "engine frame of the last captured block's first frame")               \
    X(1, clock_host_us, 1, "clock source's host time (µs) when that frame is heard")            \
    X(1, clock_beat, 1, "clock source's beat at clock_host_us")                                 \
    X(1, clock_bpm, 1, "clock source's tempo, beats per minute")                                \
    X(1, clock_playing, 1, "clock source's transport: 1 playing, 0 stopped")

typedef struct ost_telemetry {
#define OST_X(type, name, count, doc) \
    union {                            \
        uint64_t u;                    \
        double f;                      \
    } name[count];
    OST_TELEMETRY_TABLE(OST_X)
#undef OST_X
} ost_telemetry;

/** Size of ost_telemetry in bytes. Thread: any. */
OST_API uint32_t ost_telemetry_size(void);
/** Number of telemetry fields. Thread: any. */
OST_API uint32_t ost_telemetry_field_count(void);
/** Name of telemetry field i, or NULL. Thread: any. */
OST_API const char *ost_telemetry_field_name(uint32_t index);
/** Writes {byte offset, type (0 u64, 1 double), count} of field i into out[3]. Thread: any. */
OST_API ost_result ost_telemetry_field(uint32_t index, uint32_t *out);
/** Upper edge of render_hist's bucket i, in block durations, for i < OST_RENDER_HIST_BUCKETS - 1
 *  (the last bucket is open); 0 for any other i. Thread: any. */
OST_API double ost_render_hist_edge(uint32_t index);

/* ======================================================================
 * Engine
 * ==================================================================== */

typedef struct ost_engine ost_engine;

/** Opens an engine: allocates every buffer it will ever use, opens the
 *  backend (not started). device_name picks a PortAudio device by exact
 *  name when config->device_index is -1 (NULL or "" = the default output).
 *  Thread: control. */
OST_API ost_result ost_engine_open(const ost_config *config, const char *device_name, ost_engine **out_engine);
/** Stops and frees the engine. NULL is fine. The pointer is invalid after.
 *  Thread: control. */
OST_API void ost_engine_close(ost_engine *engine);
/** Starts the backend (portaudio, null); offline: marks it running.
 *  Starting a started engine is fine. Thread: control. */
OST_API ost_result ost_engine_start(ost_engine *engine);
/** Stops the backend; the clock, queue and voices stay. Thread: control. */
OST_API ost_result ost_engine_stop(ost_engine *engine);
/** Switches to another backend without losing the clock, the queued events
 *  or the sounding voices; restarts it if the engine was running. The sample
 *  rate and channel count stay those of the engine. device_index / device_name
 *  as in ost_engine_open; latency_s 0 = device default. Thread: control. */
OST_API ost_result ost_engine_set_backend(ost_engine *engine, uint32_t backend, int32_t device_index,
                                          const char *device_name, double latency_s);
/** Pushes up to `count` events; returns how many it took (a full ring takes
 *  what fits, never waits for the audio thread), or a negative ost_result.
 *  Parameters are sanitised as they are copied. Thread: producer. */
OST_API int32_t ost_engine_push(ost_engine *engine, const ost_event *events, uint32_t count);
/** As ost_engine_push, for a scheduler that may be replaced: taken only while
 *  `writer` is the engine's writer (ost_engine_set_writer), else
 *  OST_NOT_WRITER and nothing is queued. A live worker that was replaced
 *  (it hung, then woke up) cannot double what its successor queues.
 *  Thread: producer. */
OST_API int32_t ost_engine_push_as(ost_engine *engine, uint32_t writer, const ost_event *events, uint32_t count);
/** Makes `writer` the one whose ost_engine_push_as is taken (0: anyone's).
 *  Returns once no push of the previous writer is under way. Thread: any. */
OST_API ost_result ost_engine_set_writer(ost_engine *engine, uint32_t writer);
/** Offline backend only: renders `frames` frames, interleaved, into out
 *  (frames * channels floats). Same code as the real-time callback.
 *  Thread: control. */
OST_API ost_result ost_engine_render(ost_engine *engine, float *out, uint32_t frames);
/** Copies a torn-free telemetry snapshot into out (size bytes, at least
 *  ost_telemetry_size()). Thread: any. */
OST_API ost_result ost_engine_telemetry(const ost_engine *engine, void *out, uint32_t size);
/** Estimate of the frame being rendered now; -1 for NULL. Thread: any. */
OST_API double ost_engine_now_frame(const ost_engine *engine);
/** The clock pair of the last rendered block: out[0] = frames rendered,
 *  out[1] = CLOCK_REALTIME seconds when that block finished rendering (for a
 *  delay-locked loop that maps frames to wall-clock time). OST_WRONG_STATE
 *  before the first block. Thread: any (not the audio callback). */
OST_API ost_result ost_engine_clock_pair(const ost_engine *engine, double *out);
/* ======================================================================
 * MIDI out through JACK MIDI (midi_jack.c)
 * ==================================================================== */

typedef struct ost_midi ost_midi;

/** Bytes of one MIDI record: f64 engine frame, u32 slot tag, u8 port,
 *  u8 kind (0 message, 1 cut), u16 length, 64 data bytes at 16, 8 reserved. */
#define OST_MIDI_RECORD_BYTES 88

/** Opens a JACK client with that name (never starts a server): OST_NO_DEVICE
 *  when no JACK server runs. Thread: control. */
OST_API ost_result ost_midi_open(const char *client_name, ost_midi **out);
/** Deactivates and closes the client. Thread: control. */
OST_API void ost_midi_close(ost_midi *midi);
/** Registers a MIDI output port, connected to `connect_to` (a JACK port
 *  name) when given; returns its index or a negative ost_result
 *  (OST_NO_DEVICE: no such port to connect to; the port stays). Thread: control. */
OST_API int32_t ost_midi_add_port(ost_midi *midi, const char *name, const char *connect_to);
/** The full JACK name of a port of ours, or NULL. Thread: control. */
OST_API const char *ost_midi_port_name(const ost_midi *midi, int32_t index);
/** Queues `count` records for the process callback; returns how many fit. Thread: one producer. */
OST_API uint32_t ost_midi_push(ost_midi *midi, const void *records, uint32_t count);
/** Maps engine frames to JACK frames from the engine's last block (call
 *  every tick). OST_WRONG_STATE until both clocks have run. Thread: control. */
OST_API ost_result ost_midi_sync(ost_midi *midi, const ost_engine *engine);
/** out[8]: sent, late, dropped, offset (JACK frame - engine frame), last
 *  cycle start, period, synced, received messages dropped (input ring
 *  full). Thread: any. */
OST_API ost_result ost_midi_stats(const ost_midi *midi, double *out);
/** The JACK MIDI input ports (where our output can go), one name a line,
 *  into out; returns the count or a negative ost_result. Thread: control. */
OST_API int32_t ost_midi_list_ports(char *out, uint32_t size);
/** As ost_midi_list_ports; with `sources` non-zero, the JACK MIDI output
 *  ports instead (where our inputs can listen). Thread: control. */
OST_API int32_t ost_midi_list(char *out, uint32_t size, int32_t sources);

/** Bytes of one received message: f64 JACK frame, u8 input port, u8 length
 *  (1..3), 3 data bytes, 3 reserved. */
#define OST_MIDI_IN_BYTES 16
/** Registers a MIDI input port, connected from `connect_from` (a JACK output
 *  port) when given; returns its index or a negative ost_result
 *  (OST_NO_DEVICE: no such port; the port stays). Thread: control. */
OST_API int32_t ost_midi_add_input(ost_midi *midi, const char *name, const char *connect_from);
/** Connects our port `index` (an input when `input` is non-zero) with the
 *  JACK port `other` again (a device that came back): 1 when it already
 *  was, 0 when connected now, OST_NO_DEVICE when there is no such port.
 *  Thread: control. */
OST_API int32_t ost_midi_connect(ost_midi *midi, int32_t index, int32_t input, const char *other);
/** Moves up to `max` received messages (OST_MIDI_IN_BYTES each) into out;
 *  returns how many. Thread: one consumer. */
OST_API uint32_t ost_midi_read(ost_midi *midi, void *out, uint32_t max);
/** The full JACK name of an input port of ours, or NULL. Thread: control. */
OST_API const char *ost_midi_input_name(const ost_midi *midi, int32_t index);

/** Moves the next received SysEx message (F0..F7, whole) into out[1..]
 *  with its input port index at out[0]; returns its length, 0 when none
 *  waits, or minus its length when `cap` - 1 is too small. Thread: one consumer. */
OST_API int32_t ost_midi_read_sysex(ost_midi *midi, uint8_t *out, uint32_t cap);

/* ======================================================================
 * MIDI out and in through the ALSA sequencer (midi_alsa.c): the same
 * records and calls as JACK MIDI above, on a sequencer client of our own
 * whose thread schedules each message on an ALSA queue at its real time.
 * ==================================================================== */

typedef struct ost_alsa_midi ost_alsa_midi;

/** Opens a sequencer client with that name, its queue and its thread:
 *  OST_NO_DEVICE when the sequencer cannot open (no /dev/snd/seq), with the
 *  reason in words in `why` (when given). Thread: control. */
OST_API ost_result ost_alsa_midi_open(const char *client_name, ost_alsa_midi **out, char *why, uint32_t why_size);
/** Writes what is pending at once (note-offs first), stops the thread, closes the client. Thread: control. */
OST_API void ost_alsa_midi_close(ost_alsa_midi *midi);
/** As ost_midi_add_port: an output port, subscribed to `connect_to`
 *  ("client:port" as ost_alsa_midi_list gives it, or "20:0"). Thread: control. */
OST_API int32_t ost_alsa_midi_add_port(ost_alsa_midi *midi, const char *name, const char *connect_to);
/** As ost_midi_add_input: an input port, subscribed from `connect_from`. Thread: control. */
OST_API int32_t ost_alsa_midi_add_input(ost_alsa_midi *midi, const char *name, const char *connect_from);
/** As ost_midi_connect (1 already, 0 now, OST_NO_DEVICE no such port). Thread: control. */
OST_API int32_t ost_alsa_midi_connect(ost_alsa_midi *midi, int32_t index, int32_t input, const char *other);
/** "client:port" of a port of ours, or NULL. Thread: control. */
OST_API const char *ost_alsa_midi_port_name(const ost_alsa_midi *midi, int32_t index);
OST_API const char *ost_alsa_midi_input_name(const ost_alsa_midi *midi, int32_t index);
/** Queues records (OST_MIDI_RECORD_BYTES each) for the thread; returns how many fit. Thread: one producer. */
OST_API uint32_t ost_alsa_midi_push(ost_alsa_midi *midi, const void *records, uint32_t count);
/** The frame -> CLOCK_REALTIME map: `frame` is at `realtime` seconds, and
 *  each frame lasts `seconds_per_frame` (the live worker's delay-locked
 *  loop, latency included). Nothing is sent before the first. Thread: control. */
OST_API ost_result ost_alsa_midi_map(ost_alsa_midi *midi, double frame, double realtime, double seconds_per_frame);
/** As ost_midi_read (the frame of each record is 0). Thread: one consumer. */
OST_API uint32_t ost_alsa_midi_read(ost_alsa_midi *midi, void *out, uint32_t max);
/** As ost_midi_read_sysex. Thread: one consumer. */
OST_API int32_t ost_alsa_midi_read_sysex(ost_alsa_midi *midi, uint8_t *out, uint32_t cap);
/** out[8] as ost_midi_stats (offset, cycle and period 0; synced: mapped). Thread: any. */
OST_API ost_result ost_alsa_midi_stats(const ost_alsa_midi *midi, double *out);
/** The sequencer's ports, "client:port" one a line: where our output can
 *  go, or with `sources` non-zero where our inputs can listen. Returns the
 *  count, or OST_NO_DEVICE with the reason in words in out. Thread: control. */
OST_API int32_t ost_alsa_midi_list(char *out, uint32_t size, int32_t sources);
/** The seam, for tests: sizeof(snd_seq_event_t); one MIDI message as an
 *  event (1, or a negative ost_result: midi_alsa_event.h); an event as MIDI
 *  bytes (their count, 0 for none, OST_FULL). Thread: any. */
OST_API int32_t ost_alsa_midi_event_size(void);
OST_API int32_t ost_alsa_midi_translate(const uint8_t *bytes, uint32_t len, void *event);
OST_API int32_t ost_alsa_midi_bytes(const void *event, uint8_t *out, uint32_t cap);
/** The client thread's pending messages without a sequencer, for tests: a
 *  pool of its own; records and cuts pushed as to ost_alsa_midi_push
 *  (returns how many it took); then what the thread would hand to the
 *  kernel before `horizon` (CLOCK_REALTIME seconds) under the map given, in
 *  the order it goes, copied to out (OST_MIDI_RECORD_BYTES each) with each
 *  one's time in times. Thread: any (one pool, one thread). */
OST_API void *ost_alsa_midi_pool_new(void);
OST_API void ost_alsa_midi_pool_free(void *pool);
OST_API uint32_t ost_alsa_midi_pool_push(void *pool, const void *records, uint32_t count);
OST_API uint32_t ost_alsa_midi_pool_hand(void *pool, double frame, double realtime, double seconds_per_frame, double horizon, double *times, void *out, uint32_t max);

/** PortAudio device index in use (-1 when not on portaudio, or NULL). Thread: any. */
OST_API int32_t ost_engine_device_index(const ost_engine *engine);
/** The most recent `frames` frames of the output, mono (the mean of the
 *  channels, after the limiter), oldest first, into out; frames not
 *  rendered yet are 0. `frames` is at most 4096 (OST_SCOPE_MAX_READ).
 *  Lock-free: never waits for the audio thread, which never waits for it.
 *  Returns the frames copied, or a negative ost_result. Thread: any. */
OST_API int32_t ost_engine_scope(const ost_engine *engine, float *out, uint32_t frames);

/* ======================================================================
 * Samples: audio files decoded off the audio thread (libsndfile: WAV, AIFF,
 * FLAC, OGG, MP3 and more). A slot id names a file; a NOTE event plays it
 * with s = _sample and sample = id. Files at any rate play at the right
 * pitch at any engine rate (resampled as they play). A file whose decoded
 * size is above stream_threshold_mb is not loaded whole: a reader thread
 * streams it from disk into a ring as voices play it.
 * Memory the audio thread may still read is freed only after the audio
 * thread has handed it back (deferred free).
 * ==================================================================== */

typedef enum ost_sample_state {
    OST_SAMPLE_LOADING = 0, /**< queued or being decoded */
    OST_SAMPLE_READY = 1,   /**< playable */
    OST_SAMPLE_FAILED = 2,  /**< could not be read: see ost_engine_sample_error */
    OST_SAMPLE_FREE = 3,    /**< no sample in this slot */
} ost_sample_state;

/** Starts loading a file (an absolute or working-directory path) and
 *  returns its slot id at once in *out_id; decoding runs on the loader
 *  thread. Loading the same path again returns the same id. Thread: any. */
OST_API ost_result ost_engine_sample_load(ost_engine *engine, const char *path, int32_t *out_id);
/** As ost_engine_sample_load, for a file of a wt_ bank (Strudel's
 *  convention: a single-cycle or 2048-frame-cycle wavetable): the loader
 *  also builds its band-limited tables, and it plays as an oscillator at
 *  the note's pitch. A file in a folder named wt_... is one either way.
 *  Thread: any. */
OST_API ost_result ost_engine_wavetable_load(ost_engine *engine, const char *path, int32_t *out_id);
/** Writes {state (ost_sample_state), frames, channels, sample rate,
 *  streamed (0/1)} of slot `id` into out[5]. Thread: any. */
OST_API ost_result ost_engine_sample_info(ost_engine *engine, int32_t id, double *out);
/** Copies the error of a FAILED slot ("path: reason") into buf (size bytes,
 *  NUL-terminated); "" when it did not fail. Thread: any. */
OST_API ost_result ost_engine_sample_error(ost_engine *engine, int32_t id, char *buf, uint32_t size);
/** Waits until no load is queued or running, at most timeout_s seconds;
 *  OST_OK when idle. Not for the audio thread. Thread: control. */
OST_API ost_result ost_engine_samples_wait(ost_engine *engine, double timeout_s);
/** Empties a slot: new events with it play nothing; voices playing it
 *  finish, and its memory is freed once the audio thread has let go of it.
 *  Thread: any. */
OST_API ost_result ost_engine_sample_free(ost_engine *engine, int32_t id);

/** Audio file formats ost_audio_file_write can write. */
typedef enum ost_file_format {
    OST_FILE_WAV_FLOAT = 0, /**< WAV, 32-bit float */
    OST_FILE_WAV_16 = 1,    /**< WAV, 16-bit integer */
    OST_FILE_WAV_24 = 2,    /**< WAV, 24-bit integer */
    OST_FILE_AIFF_16 = 3,   /**< AIFF, 16-bit integer */
    OST_FILE_FLAC_16 = 4,   /**< FLAC, 16-bit */
    OST_FILE_OGG = 5,       /**< Ogg Vorbis */
    OST_FILE_MP3 = 6,       /**< MPEG layer III */
} ost_file_format;

/** Writes `frames` interleaved float frames to an audio file of the given
 *  format (for renders to other formats, and test fixtures). Thread: any. */
OST_API ost_result ost_audio_file_write(const char *path, uint32_t format, uint32_t channels, uint32_t sample_rate,
                                        const float *data, uint32_t frames);

/* ======================================================================
 * Recording the output: a 32-bit float WAV of every frame rendered between
 * start and stop, written by a writer thread that drains a ring (the audio
 * thread never touches the file). The recording belongs to the engine: it
 * outlives the program that started it, until stopped or the engine closes.
 * ==================================================================== */

/** Opens `path` for writing and starts recording at the next block.
 *  OST_WRONG_STATE when a recording is running; OST_FILE_ERROR when the
 *  file cannot be created. Thread: any. */
OST_API ost_result ost_engine_record_start(ost_engine *engine, const char *path);
/** Stops at the next block (or at once when the engine is not rendering),
 *  writes out what the ring holds and closes the file. Writes {first frame,
 *  frames handed to the writer, frames dropped (ring full), frames the disk
 *  refused, errno of the first failed write or 0} into out[5] (out may be
 *  NULL). OST_WRONG_STATE when no recording runs; OST_FILE_ERROR when the
 *  disk refused frames (the file holds what was written before). Thread: any. */
OST_API ost_result ost_engine_record_stop(ost_engine *engine, double *out);

/* ======================================================================
 * Orbits: effect buses. Each voice plays into an orbit (the `orbit`
 * parameter) through its dry level and its delay and reverb sends; the
 * orbit's delay, reverb, phaser and compressor take their settings from the
 * latest event that used them. An orbit's output goes to the output pair 0
 * (channels 0-1, the master, through the limiter) or to its own pair of
 * device channels.
 * ==================================================================== */

/** Routes orbit `orbit` to output channels 2*pair and 2*pair+1 (pair 0 =
 *  the master). The pair must exist (2*pair+1 < channels; pair 0 always).
 *  Thread: any. */
OST_API ost_result ost_engine_route_orbit(ost_engine *engine, uint32_t orbit, uint32_t pair);

/* ======================================================================
 * Clock sources: an outside timeline (Ableton Link) read once per block.
 * A clock source is a function-pointer table that a separate module (the
 * optional libostinato-link.so) fills. The audio thread calls `capture` at
 * the start of every block, before rendering, and publishes what it got with
 * the block's first frame in telemetry (clock_* fields); the binding maps
 * those beats to frames in the tempo map. `capture` must be real-time safe
 * (Link's captureAudioSessionState is): it is the one outside call the
 * render makes.
 * ==================================================================== */

/** What a clock source says about the block being rendered. */
typedef struct ost_clock_capture {
    double host_us; /**< the source's host time (µs) at which the block's first frame is heard */
    double beat;    /**< the session's beat at host_us */
    double bpm;     /**< the session's tempo */
    double playing; /**< 1 while the session's transport plays (start/stop sync), else 0 */
} ost_clock_capture;

typedef struct ost_clock_source {
    void *context;
    /** Thread: audio. Real-time safe: no locks, allocation, I/O. */
    void (*capture)(void *context, ost_clock_capture *out);
} ost_clock_source;

/** Makes `source` (NULL: none) the engine's clock source. Returns only when
 *  the audio thread no longer uses the previous one, so its owner may free it
 *  then. The table must stay valid while it is installed. Thread: control. */
OST_API ost_result ost_engine_set_clock_source(ost_engine *engine, const ost_clock_source *source);

/** How long after its render a block is heard: the device's output latency
 *  in seconds (PortAudio's stream figure; 0 for null and offline; -1 for
 *  NULL). A clock source adds it to the host time it stamps. Thread: control. */
OST_API double ost_engine_output_latency(const ost_engine *engine);

/* ======================================================================
 * MIDI clock through JACK MIDI (midi_clock.c): 24 pulses per quarter note,
 * Start / Continue / Stop, Song Position. A JACK client of its own with
 * ports clock_out and clock_in; frames are JACK frames.
 * ==================================================================== */

typedef struct ost_midi_clock ost_midi_clock;

/** Opens the client `name` on the default JACK server and activates it.
 *  OST_DEVICE_ERROR when no JACK server answers. Thread: control. */
OST_API ost_result ost_midi_clock_open(const char *name, ost_midi_clock **out);
/** Deactivates and closes. NULL is fine. Thread: control. */
OST_API void ost_midi_clock_close(ost_midi_clock *clock);
/** JACK's frame time now (an estimate between cycles) and its sample rate:
 *  out[0] frame, out[1] rate. Thread: control. */
OST_API ost_result ost_midi_clock_time(ost_midi_clock *clock, double *out);
/** From JACK frame `start_frame` on, a pulse (0xF8) every `frames_per_pulse`
 *  frames. `transport`: 0 pulses only (a tempo change), 1 Song Position
 *  `song_position` (in sixteenths) then Start (0xFA) at start_frame, 2 the
 *  same with Continue (0xFB), 3 Stop (0xFC) at start_frame and no pulses
 *  after. Thread: control. */
OST_API ost_result ost_midi_clock_plan(ost_midi_clock *clock, double start_frame, double frames_per_pulse, uint32_t transport,
                                       uint32_t song_position);
/** What was sent and received: out[0] pulses sent, out[1] frame of the last
 *  pulse sent, out[2] pulses received, out[3] JACK frame of the last pulse
 *  received, out[4] smoothed frames per received pulse (0: none yet),
 *  out[5] 1 while the input runs (Start/Continue seen, no Stop since),
 *  out[6] pulses the output sent late (past their frame), out[7] the input's
 *  song position (pulses) at its last pulse while running (Start: the first
 *  pulse after it is 0; Song Position sets it), out[8] Starts and Continues
 *  received, out[9] reserved; out has 10 doubles. Thread: any. */
OST_API ost_result ost_midi_clock_stats(ost_midi_clock *clock, double *out);
/** The MIDI clock on the MIDI client's own JACK client (ports clock_out and
 *  clock_in beside the note ports: one client for MIDI out, in and clock),
 *  made on the first call; it lives as long as the MIDI client (its
 *  ost_midi_clock_close does nothing). Thread: control. */
OST_API ost_result ost_midi_clock_on(ost_midi *midi, ost_midi_clock **out);

#ifdef __cplusplus
}
#endif

#endif /* OSTINATO_H */
