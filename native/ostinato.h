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
    X(OST_BAD_EVENT, -9, "an event record has an unknown kind")

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
 * X(ID, name, alias) — alias is "" when there is none. Later sources
 * (drums, samples) extend this table.
 * ==================================================================== */

#define OST_SOUND_TABLE(X)        \
    X(SINE, "sine", "")           \
    X(SAWTOOTH, "sawtooth", "saw") \
    X(SQUARE, "square", "")       \
    X(TRIANGLE, "triangle", "tri") \
    X(WHITE, "white", "")         \
    X(PINK, "pink", "")           \
    X(BROWN, "brown", "")

typedef enum ost_sound {
#define OST_X(id, name, alias) OST_SOUND_##id,
    OST_SOUND_TABLE(OST_X)
#undef OST_X
    OST_SOUND_COUNT
} ost_sound;

/** The sound index for "unknown": the event is counted in telemetry
 *  (unknown_sounds) and plays nothing. */
#define OST_SOUND_UNKNOWN (-1)

/** Number of sounds. Thread: any. */
OST_API uint32_t ost_sound_count(void);
/** Name of sound i, or NULL when out of range. Thread: any. */
OST_API const char *ost_sound_name(uint32_t index);
/** Alias of sound i ("" when none), or NULL when out of range. Thread: any. */
OST_API const char *ost_sound_alias(uint32_t index);

/* ======================================================================
 * Voice parameters: the float array of a NOTE event, indexed by ost_param.
 * X(ID, name, default, min, max, doc). Adding a parameter is one line here.
 * Values are sanitised when pushed: NaN becomes the default, everything else
 * is clamped to [min, max] (so +-Inf and 1e30 land on a bound).
 * A filter whose frequency is 0 (its default) is off.
 * ==================================================================== */

#define OST_PARAM_TABLE(X)                                                                  \
    X(SOUND, "s", (float)OST_SOUND_TRIANGLE, -1.0f, (float)(OST_SOUND_COUNT - 1), "sound index (ost_sound_name); -1 = unknown") \
    X(FREQ, "freq", 65.406395f /* midi 36 */, 0.0f, 24000.0f, "oscillator frequency, Hz")     \
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
    X(BANDQ, "bandq", 0.70710678f, 0.1f, 50.0f, "bandpass Q (linear)")

typedef enum ost_param {
#define OST_X(id, name, def, lo, hi, doc) OST_PARAM_##id,
    OST_PARAM_TABLE(OST_X)
#undef OST_X
    OST_PARAM_COUNT
} ost_param;

/** Room in every event record for parameters; the table may grow up to it. */
#define OST_EVENT_PARAM_CAPACITY 64

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
    uint32_t reserved;    /**< zero */
    float params[OST_EVENT_PARAM_CAPACITY]; /**< indexed by ost_param */
} ost_event;

/** Writes the event record's layout into out[7]: {size_bytes,
 *  start_frame offset, dur_frames offset, kind offset, slot offset,
 *  params offset, param capacity}. Thread: any. */
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
    X(seed, 1, 0, 4294967295.0, "seed of the noise sources")

typedef struct ost_config {
#define OST_X(name, def, lo, hi, doc) double name;
    OST_CONFIG_TABLE(OST_X)
#undef OST_X
} ost_config;

typedef enum ost_backend_kind {
    OST_BACKEND_OFFLINE = 0,   /**< the caller renders with ost_engine_render */
    OST_BACKEND_NULL = 1,      /**< a native thread renders at real-time pace */
    OST_BACKEND_PORTAUDIO = 2, /**< a PortAudio output stream */
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

#define OST_TELEMETRY_TABLE(X)                                                                    \
    X(0, frames, 1, "frames rendered since open: the engine clock")                              \
    X(0, block_ns, 1, "CLOCK_MONOTONIC ns when the last block finished rendering")               \
    X(1, now_frame, 1, "estimate of the frame being rendered now (frames + time since block_ns)") \
    X(0, blocks, 1, "render calls so far")                                                       \
    X(1, sample_rate, 1, "frames per second")                                                    \
    X(0, channels, 1, "output channels")                                                         \
    X(1, cpu_load, 1, "render time / block duration, smoothed (0..1, above 1 = too slow)")       \
    X(0, xruns, 1, "output underflows reported by the backend")                                  \
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
    X(0, device_lost, 1, "1 once the PortAudio stream died and the engine fell back to null")    \
    X(0, running, 1, "1 while started")                                                          \
    X(1, peak, OST_MAX_CHANNELS, "per-channel peak |sample|: instant attack, -20 dB in 300 ms")

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
/** Offline backend only: renders `frames` frames, interleaved, into out
 *  (frames * channels floats). Same code as the real-time callback.
 *  Thread: control. */
OST_API ost_result ost_engine_render(ost_engine *engine, float *out, uint32_t frames);
/** Copies a torn-free telemetry snapshot into out (size bytes, at least
 *  ost_telemetry_size()). Thread: any. */
OST_API ost_result ost_engine_telemetry(const ost_engine *engine, void *out, uint32_t size);
/** Estimate of the frame being rendered now; -1 for NULL. Thread: any. */
OST_API double ost_engine_now_frame(const ost_engine *engine);
/** PortAudio device index in use (-1 when not on portaudio, or NULL). Thread: any. */
OST_API int32_t ost_engine_device_index(const ost_engine *engine);
/** The most recent `frames` frames of the output, mono (the mean of the
 *  channels, after the limiter), oldest first, into out; frames not
 *  rendered yet are 0. `frames` is at most 4096 (OST_SCOPE_MAX_READ).
 *  Lock-free: never waits for the audio thread, which never waits for it.
 *  Returns the frames copied, or a negative ost_result. Thread: any. */
OST_API int32_t ost_engine_scope(const ost_engine *engine, float *out, uint32_t frames);

#ifdef __cplusplus
}
#endif

#endif /* OSTINATO_H */
