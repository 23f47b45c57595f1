/**
 * The rest of Strudel 1.2.6's controls: envelopes and modulation of the
 * filters, pitch, FM and wavetables, the extra effects, the ducking bus and
 * the MIDI/OSC output controls. Where the engine has the DSP (pw, spread,
 * the FM and pitch envelopes, ftype, loopBegin/loopEnd, the compressor's
 * release, the filter LFOs, tremolo, ducking, chorus, delaysync) it reads
 * the key by its name; the others are carried as values
 * for the targets that will read them (MIDI, OSC, later issues).
 * @module
 */
import type { ControlSpec } from "./controls.ts";

const c = (names: string | string[], doc: string, example: string, listKeys?: string[]): ControlSpec => ({
  names: typeof names === "string" ? [names] : names,
  listKeys,
  doc,
  example,
});

/** The ADSR and modulation family of one filter (lp, hp, bp): Strudel names each part the same way. */
function filterFamily(f: "lp" | "hp" | "bp", what: string): ControlSpec[] {
  const env: ControlSpec[] =
    f === "lp"
      ? []
      : [
          c([`${f}attack`, `${f}a`], `${what} filter envelope attack in seconds.`, '"0.1"'),
          c([`${f}decay`, `${f}d`], `${what} filter envelope decay in seconds.`, '"0.2"'),
          c([`${f}sustain`, `${f}s`], `${what} filter envelope sustain level.`, '"0.5"'),
          c([`${f}release`, `${f}r`], `${what} filter envelope release in seconds.`, '"0.3"'),
        ];
  if (f === "bp") env.push(c(["bpenv", "bpe"], "Band-pass filter envelope depth.", '"4"'));
  return [
    ...env,
    c(`${f}rate`, `Rate of the ${what.toLowerCase()} filter's LFO.`, '"2"'),
    c(`${f}sync`, `Rate of the ${what.toLowerCase()} filter's LFO in cycles (synced to the tempo).`, '"1"'),
    c(`${f}depth`, `Depth of the ${what.toLowerCase()} filter's LFO.`, '"0.5"'),
    c([`${f}depthfrequency`, `${f}depthfreq`], `Depth of the ${what.toLowerCase()} filter's LFO in Hz.`, '"500"'),
    c(`${f}shape`, `Waveform of the ${what.toLowerCase()} filter's LFO.`, '"0 1"'),
    c(`${f}dc`, `DC offset of the ${what.toLowerCase()} filter's LFO.`, '"0.2"'),
    c(`${f}skew`, `Skew of the ${what.toLowerCase()} filter's LFO waveform.`, '"0.5"'),
  ];
}

/** The envelope and modulation family of a wavetable parameter (wt position, warp). */
function tableFamily(p: "wt" | "warp", what: string): ControlSpec[] {
  return [
    c(`${p}env`, `Envelope depth of the wavetable ${what}.`, '"0.5"'),
    c([`${p}attack`, `${p}att`], `Envelope attack of the wavetable ${what}, in seconds.`, '"0.1"'),
    c([`${p}decay`, `${p}dec`], `Envelope decay of the wavetable ${what}, in seconds.`, '"0.2"'),
    c([`${p}sustain`, `${p}sus`], `Envelope sustain of the wavetable ${what}.`, '"0.5"'),
    c([`${p}release`, `${p}rel`], `Envelope release of the wavetable ${what}, in seconds.`, '"0.3"'),
    c(`${p}rate`, `LFO rate of the wavetable ${what}.`, '"2"'),
    c(`${p}sync`, `LFO rate of the wavetable ${what} in cycles.`, '"1"'),
    c(`${p}depth`, `LFO depth of the wavetable ${what}.`, '"0.5"'),
    c(`${p}shape`, `LFO waveform of the wavetable ${what}.`, '"0 1"'),
    c(`${p}dc`, `LFO offset of the wavetable ${what}.`, '"0.2"'),
    c(`${p}skew`, `LFO skew of the wavetable ${what}.`, '"0.5"'),
  ];
}

/** The further FM operators' index and harmonicity (fm2 ... fm8, fmh2 ... fmh8). */
function fmOperators(): ControlSpec[] {
  const out: ControlSpec[] = [];
  for (let k = 2; k <= 8; k++) {
    out.push(c([`fmi${k}`, `fm${k}`], `Modulation index of FM operator ${k}. A list also sets fmh${k}.`, '"2"', [`fmi${k}`, `fmh${k}`]));
    out.push(c(`fmh${k}`, `Harmonicity ratio of FM operator ${k}. A list also sets fmi${k}.`, '"1.5"', [`fmh${k}`, `fmi${k}`]));
  }
  return out;
}

export const MORE_CONTROLS: readonly ControlSpec[] = [
  ...fmOperators(),
  ...filterFamily("lp", "Low-pass"),
  ...filterFamily("hp", "High-pass"),
  ...filterFamily("bp", "Band-pass"),
  c("ftype", "Low-pass filter type: 0 (12 dB), 1 (ladder) or 2 (24 dB).", '"0 1 2"'),
  c("fanchor", "Where the filter envelope starts, from 0 (the cutoff) to 1 (the cutoff plus the depth).", '"0 0.5"'),
  c("drive", "Drive of the ladder filter.", '"0.5"'),
  c("djf", "DJ filter: below 0.5 a low-pass, above a high-pass, 0.5 open.", '"0.2 0.5 0.8"'),
  c("penv", "Pitch envelope depth in semitones.", '"12 -12"'),
  c(["pattack", "patt"], "Pitch envelope attack in seconds.", '"0.1"'),
  c(["pdecay", "pdec"], "Pitch envelope decay in seconds.", '"0.2"'),
  c(["prelease", "prel"], "Pitch envelope release in seconds.", '"0.3"'),
  c("pcurve", "Pitch envelope curve: 0 linear, 1 exponential.", '"0 1"'),
  c("panchor", "Where the pitch envelope is anchored, from 0 to 1.", '"0 1"'),
  c("pw", "Pulse width of the pulse oscillator, from 0 to 1. A list also sets pwrate and pwsweep.", '"0.5 0.2"', ["pw", "pwrate", "pwsweep"]),
  c("pwrate", "Rate of the pulse width modulation in Hz.", '"2"'),
  c("pwsweep", "Depth of the pulse width modulation.", '"0.3"'),
  // Strudel's FM controls take only the first part of a list (the others name further operators).
  c("fmenv", "FM envelope type (lin or exp) or depth.", '"lin exp"', ["fmenv"]),
  c(["fmattack", "fmatt"], "FM envelope attack in seconds.", '"0.1"', ["fmattack"]),
  c(["fmdecay", "fmdec"], "FM envelope decay in seconds.", '"0.2"', ["fmdecay"]),
  c(["fmsustain", "fmsus"], "FM envelope sustain level.", '"0.5"', ["fmsustain"]),
  c(["fmrelease", "fmrel"], "FM envelope release in seconds.", '"0.3"', ["fmrelease"]),
  c("fmwave", "Waveform of the FM modulator (sine, square, sawtooth, triangle).", '"sine square"', ["fmwave"]),
  c("spread", "Stereo spread of the supersaw's unison voices, from 0 to 1.", '"0 1"'),
  c(["wt", "wavetablePosition"], "Position in the wavetable, from 0 to 1.", '"0 0.5 1"'),
  ...tableFamily("wt", "position"),
  c(["warp", "wavetableWarp"], "Warp amount of the wavetable, from 0 to 1.", '"0 0.5"'),
  c(["warpmode", "wavetableWarpMode"], "Warp mode of the wavetable (asym, bendp, spin, sync ...).", '"spin"'),
  ...tableFamily("warp", "warp"),
  c(["wtphaserand", "wavetablePhaseRand"], "Random start phase of the wavetable's voices, from 0 to 1.", '"0 1"'),
  c(["source", "src"], "A custom sound source (a function), for Strudel's web audio output.", '"0"'),
  c("density", "Density of the crackle noise source (events per second, roughly).", '"0.1 0.5"'),
  c("chorus", "Chorus amount, from 0 to 1.", '"0.5"'),
  c(["loopBegin", "loopb"], "Where a looping sample's loop starts, from 0 to 1.", '"0 0.25"'),
  c(["loopEnd", "loope"], "Where a looping sample's loop ends, from 0 to 1.", '"1 0.75"'),
  c(["tremolosync", "tremsync"], "Tremolo rate in cycles. A list also sets depth, skew and phase.", '"4"', ["tremolosync", "tremolodepth", "tremoloskew", "tremolophase"]),
  c(["tremolodepth", "tremdepth"], "Tremolo depth, from 0 to 1.", '"0.5"'),
  c(["tremoloskew", "tremskew"], "Tremolo waveform skew.", '"0.5"'),
  c(["tremolophase", "tremphase"], "Tremolo phase offset in cycles.", '"0 0.5"'),
  c(["tremoloshape", "tremshape"], "Tremolo waveform (sine, square, tri, saw, ramp).", '"sine"'),
  c(["duckorbit", "duck"], "The orbit(s) this event ducks (sidechain).", '"1"'),
  c(["duckdepth"], "How far the ducked orbit goes down, from 0 to 1.", '"0.8"'),
  c(["duckonset", "duckons"], "Ducking onset time in seconds.", '"0.01"'),
  c(["duckattack", "duckatt"], "Ducking recovery (attack) time in seconds.", '"0.2"'),
  c(["byteBeatExpression", "bbexpr"], "A bytebeat expression for the bytebeat synth.", '"t"'),
  c(["byteBeatStartTime", "bbst"], "Start time of the bytebeat, in samples.", '"0"'),
  c(["channels", "ch"], "Output channels of the event (a list for several).", '"1 2"'),
  c(["phasercenter", "phc"], "Phaser centre frequency in Hz.", '"1000"'),
  c(["phasersweep", "phs"], "Phaser sweep width in Hz.", '"2000"'),
  c("compressorRatio", "Compressor ratio (the part of `compressor`'s list after the threshold).", '"4"'),
  c("compressorKnee", "Compressor knee in dB.", '"10"'),
  c("compressorAttack", "Compressor attack in seconds.", '"0.005"'),
  c("compressorRelease", "Compressor release in seconds.", '"0.05"'),
  c("leslie", "Leslie (rotary speaker) amount, from 0 to 1.", '"0.5"'),
  c("lrate", "Leslie rotor rate in Hz.", '"6"'),
  c("lsize", "Leslie rotor size in metres.", '"0.3"'),
  c(["busgain", "bgain"], "Gain of the signal sent to a bus.", '"0.5"'),
  c("bus", "The bus the event's signal is sent to.", '"1"'),
  c("delayspeed", "Delay line playback speed (pitch-shifts the repeats).", '"1 2"'),
  c("delaysync", "Delay time in cycles (synced to the tempo).", '"0.25 0.375"'),
  c(["distortvol", "distvol"], "Volume after the distortion.", '"0.5"'),
  c(["distorttype", "disttype"], "Distortion type (a name or an index).", '"soft diode"'),
  c("irspeed", "Playback speed of the reverb's impulse response.", '"1 2"'),
  c("irbegin", "Where in the impulse response the reverb starts, from 0 to 1.", '"0 0.5"'),
  c("label", "A label shown for the event. A list also sets activeLabel.", '"lead"', ["label", "activeLabel"]),
  c("noise", "Noise mixed into a synth's oscillator, from 0 to 1.", '"0 0.3"'),
  c("octaves", "Octaves the additive synth's partials span.", '"2"'),
  // Lists of values per partial: an array argument is one value (randL, binaryL give such lists).
  { ...c("partials", "Partial amplitudes of the additive synth, a list (`partials([1, 0, 0.5])`).", "[1, 0, 0.5]"), wholeList: true },
  { ...c("phases", "Partial phases of the additive synth, a list.", "[0, 0.5]"), wholeList: true },
  c("stretch", "Time stretch of a sample without changing its pitch.", '"1 2"'),
  c("transient", "Transient shaping amount. A list also sets transsustain.", '"0.5"', ["transient", "transsustain"]),
  c("midiport", "MIDI output port (name or index).", '"0"'),
  c("midicmd", "MIDI command to send (clock, start, stop ...).", '"start"'),
  c("midibend", "MIDI pitch bend, from -1 to 1.", '"0 0.5"'),
  c("miditouch", "MIDI aftertouch, from 0 to 1.", '"0.5"'),
  c("nrpnn", "MIDI NRPN parameter number.", '"1"'),
  c("nrpv", "MIDI NRPN value.", '"64"'),
  c("progNum", "MIDI program change number.", '"1 2"'),
  c("sysexid", "MIDI SysEx manufacturer id.", '"0x77"'),
  c("sysexdata", "MIDI SysEx data bytes (a list).", '"0x01"'),
  c("oschost", "OSC target host.", '"127.0.0.1"'),
  c("oscport", "OSC target port.", '"57120"'),
  c(["FXrelease", "fxr"], "Release time in seconds of the effects of an FX chain (a delay's tail).", '"1.7"'),
];

/** Aliases Strudel gives to controls that already exist here, by canonical key. */
export const MORE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  orbit: ["o"],
  detune: ["det"],
  distort: ["dist"],
  hpenv: ["hpe"],
  lpattack: ["lpa"],
  lpdecay: ["lpd"],
  lpenv: ["lpe"],
  lprelease: ["lpr"],
  lpsustain: ["lps"],
  octave: ["oct"],
  phaserdepth: ["phasdp"],
  roomdim: ["rdim"],
  roomfade: ["rfade"],
  roomlp: ["rlp"],
  tremolo: ["trem"],
  velocity: ["vel"],
};
