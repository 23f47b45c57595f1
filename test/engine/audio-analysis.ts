/**
 * Helpers that listen to rendered audio: onsets, levels, spectra, aliasing,
 * and a WAV writer so a failing test can leave its audio behind
 * (test/artifacts/, as PortAudio's qa/loopback does).
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One channel of an interleaved buffer. */
export function channel(interleaved: Float32Array, channels: number, c: number): Float32Array {
  const frames = Math.floor(interleaved.length / channels);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = interleaved[i * channels + c]!;
  return out;
}

/** Index of the first sample whose magnitude exceeds `threshold`, or -1. */
export function firstOnset(samples: Float32Array, threshold = 0, from = 0): number {
  for (let i = from; i < samples.length; i++) if (Math.abs(samples[i]!) > threshold) return i;
  return -1;
}

/** Where short clicks start: a sample over `threshold` after at least `quiet` samples under 1e-4 (a take that starts inside a click does not count it). */
export function clickOnsets(samples: Float32Array, threshold = 0.01, quiet = 400): number[] {
  const out: number[] = [];
  let still = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]!);
    if (a > threshold && still >= quiet) out.push(i);
    still = a < 1e-4 ? still + 1 : 0;
  }
  return out;
}

/** Index of the first sample where a and b differ, or -1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let acc = 0;
  for (let i = from; i < to; i++) acc += samples[i]! * samples[i]!;
  return Math.sqrt(acc / Math.max(1, to - from));
}

export function peak(samples: Float32Array): number {
  let m = 0;
  for (const x of samples) m = Math.max(m, Math.abs(x));
  return m;
}

export const dB = (x: number) => 20 * Math.log10(x);

/** True when every sample is a finite number. */
export function allFinite(samples: Float32Array): boolean {
  for (const x of samples) if (!Number.isFinite(x)) return false;
  return true;
}

/** In-place radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const a = i + k, b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi, xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr, im[b] = im[a]! - xi;
        re[a] = re[a]! + xr, im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * Power spectrum (|X|^2 per bin, bins 0..n/2) of `n` samples starting at
 * `from`, Blackman-Harris windowed (sidelobes below -90 dB).
 */
export function powerSpectrum(samples: Float32Array, n: number, from = 0): Float64Array {
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / (n - 1);
    const w = 0.35875 - 0.48829 * Math.cos(t) + 0.14128 * Math.cos(2 * t) - 0.01168 * Math.cos(3 * t);
    re[i] = samples[from + i]! * w;
  }
  fft(re, im);
  const p = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) p[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return p;
}

/**
 * Aliasing of a periodic tone at f0: the strongest spectral peak between
 * `loHz` and `hiHz` that is not near a harmonic of f0, in dB relative to the
 * fundamental. A band-limited oscillator keeps this far down; a naive one
 * shows folded partials. Pick f0 so that rate / f0 is not a whole number, or
 * the folded partials land on harmonics and hide.
 */
export function aliasLevel(samples: Float32Array, rate: number, f0: number, loHz = 0, hiHz = rate / 2, n = 32768, from = 4096): number {
  const p = powerSpectrum(samples, n, from);
  const hz = rate / n;
  const fundamental = Math.round(f0 / hz);
  let ref = 0;
  for (let k = fundamental - 4; k <= fundamental + 4; k++) ref = Math.max(ref, p[k]!);
  let worst = 0;
  for (let k = Math.max(8, Math.ceil(loHz / hz)); k < p.length && k * hz <= hiHz; k++) {
    const f = k * hz;
    const h = Math.round(f / f0);
    if (h >= 1 && Math.abs(f - h * f0) < 8 * hz) continue; // a harmonic's main lobe
    worst = Math.max(worst, p[k]!);
  }
  return 10 * Math.log10(worst / ref);
}

/** Magnitude (linear) of the component at `freq` of a steady signal, by correlation. */
export function toneAmplitude(samples: Float32Array, rate: number, freq: number, from = 0, to = samples.length): number {
  let c = 0, s = 0;
  for (let i = from; i < to; i++) {
    const ph = (2 * Math.PI * freq * i) / rate;
    c += samples[i]! * Math.cos(ph);
    s += samples[i]! * Math.sin(ph);
  }
  return (2 * Math.hypot(c, s)) / (to - from);
}

const artifacts = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");

/** Writes interleaved float32 audio as a WAV file under test/artifacts/; returns the path. */
export function saveWav(name: string, interleaved: Float32Array, channels: number, rate: number): string {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, name.endsWith(".wav") ? name : `${name}.wav`);
  writeFileSync(path, encodeWav(interleaved, channels, rate));
  return path;
}

/** A float32 WAV file of interleaved samples. */
export function encodeWav(interleaved: Float32Array, channels: number, rate: number): Uint8Array {
  const data = interleaved.length * 4;
  const out = new Uint8Array(44 + data);
  const v = new DataView(out.buffer);
  const text = (o: number, s: string) => { for (let i = 0; i < s.length; i++) out[o + i] = s.charCodeAt(i); };
  text(0, "RIFF"); v.setUint32(4, 36 + data, true); text(8, "WAVE");
  text(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 3, true); v.setUint16(22, channels, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * channels * 4, true); v.setUint16(32, channels * 4, true); v.setUint16(34, 32, true);
  text(36, "data"); v.setUint32(40, data, true);
  out.set(new Uint8Array(interleaved.buffer, interleaved.byteOffset, data), 44);
  return out;
}

/** Energy-weighted mean frequency (Hz) of `n` samples from `from`. */
export function spectralCentroid(samples: Float32Array, rate: number, n = 8192, from = 0): number {
  const p = powerSpectrum(samples, n, from);
  let num = 0, den = 0;
  for (let k = 1; k < p.length; k++) {
    num += ((k * rate) / n) * p[k]!;
    den += p[k]!;
  }
  return den > 0 ? num / den : 0;
}

/**
 * Energy in bands a third of an octave wide from 31.5 Hz up, in dB, of `n`
 * samples from `from`: a coarse spectral fingerprint.
 */
export function thirdOctaveBands(samples: Float32Array, rate: number, n = 16384, from = 0): number[] {
  const p = powerSpectrum(samples, n, from);
  const out: number[] = [];
  for (let lo = 31.5 / Math.pow(2, 1 / 6); lo < rate / 2; lo *= Math.pow(2, 1 / 3)) {
    const hi = lo * Math.pow(2, 1 / 3);
    let e = 1e-20;
    for (let k = Math.max(1, Math.ceil((lo * n) / rate)); k < p.length && (k * rate) / n < hi; k++) e += p[k]!;
    out.push(10 * Math.log10(e));
  }
  return out;
}

/** RMS of consecutive windows of `win` samples (an amplitude envelope). */
export function rmsEnvelope(samples: Float32Array, win: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + win <= samples.length; i += win) out.push(rms(samples, i, i + win));
  return out;
}

/** Samples from the peak until the envelope (5 ms windows) stays below peak - `dB`. */
export function decayTime(samples: Float32Array, rate: number, dB = 40): number {
  const win = Math.round(rate * 0.005);
  const env = rmsEnvelope(samples, win);
  const top = Math.max(...env);
  let last = 0;
  for (let i = 0; i < env.length; i++) if (env[i]! > top * Math.pow(10, -dB / 20)) last = i;
  return (last + 1) * win;
}

/**
 * Frequency of the strongest spectral peak between loHz and hiHz, refined
 * by parabolic interpolation of the log spectrum.
 */
export function peakFrequency(samples: Float32Array, rate: number, loHz: number, hiHz: number, n = 16384, from = 0): number {
  const p = powerSpectrum(samples, n, from);
  let best = -1, bk = 0;
  for (let k = Math.max(1, Math.floor((loHz * n) / rate)); k <= Math.ceil((hiHz * n) / rate) && k < p.length - 1; k++) {
    if (p[k]! > best) {
      best = p[k]!;
      bk = k;
    }
  }
  const a = Math.log(p[bk - 1]! + 1e-30), b = Math.log(p[bk]! + 1e-30), c = Math.log(p[bk + 1]! + 1e-30);
  const shift = (a - c) / (2 * (a - 2 * b + c));
  return ((bk + (Number.isFinite(shift) ? shift : 0)) * rate) / n;
}

/** Modified Bessel function I0 (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 60; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** A Kaiser window of n points, shape beta (beta 20: sidelobes far below -150 dB, main lobe +-6.5 bins). */
export function kaiserWindow(n: number, beta = 20): Float64Array {
  const w = new Float64Array(n), norm = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = (2 * i) / (n - 1) - 1;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
  }
  return w;
}

/** Power spectrum (bins 0..n/2) of `n` samples from `from` through a Kaiser window: a measure whose floor (far below -150 dB) is below every level these tests assert. */
export function kaiserSpectrum(samples: Float32Array, n: number, from = 0, beta = 20): Float64Array {
  const re = new Float64Array(n), im = new Float64Array(n), w = kaiserWindow(n, beta);
  for (let i = 0; i < n; i++) re[i] = samples[from + i]! * w[i]!;
  fft(re, im);
  const p = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) p[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return p;
}

/**
 * The strongest component of a periodic tone at f0 that is not a harmonic,
 * anywhere up to `hiHz` (default Nyquist), in dB re the fundamental: the
 * worst alias. Kaiser-windowed, so the measure's own floor is far below -90 dB;
 * pick f0 so that rate / f0 is not a whole number (folded partials would land on harmonics).
 */
export function worstAlias(samples: Float32Array, rate: number, f0: number, hiHz = rate / 2, n = 32768, from = 4096): number {
  const p = kaiserSpectrum(samples, n, from);
  const hz = rate / n, guard = 14; // bins: the window's main lobe is +-6.5
  let ref = 0;
  for (let k = Math.round(f0 / hz) - 2; k <= Math.round(f0 / hz) + 2; k++) ref = Math.max(ref, p[k]!);
  let worst = 0;
  for (let k = guard; k < p.length && k * hz <= hiHz; k++) {
    const h = Math.round((k * hz) / f0);
    if (h >= 1 && Math.abs(k * hz - h * f0) < guard * hz) continue;
    worst = Math.max(worst, p[k]!);
  }
  return 10 * Math.log10(worst / ref);
}

/** Amplitude (linear) of the component at `freq`, by Kaiser-windowed correlation over n samples from `from` (no leakage from the other harmonics). */
export function windowedAmplitude(samples: Float32Array, rate: number, freq: number, from: number, n: number): number {
  const w = kaiserWindow(n, 14);
  let c = 0, s = 0, sw = 0;
  for (let i = 0; i < n; i++) {
    const ph = (2 * Math.PI * freq * i) / rate;
    c += samples[from + i]! * w[i]! * Math.cos(ph);
    s += samples[from + i]! * w[i]! * Math.sin(ph);
    sw += w[i]!;
  }
  return (2 * Math.hypot(c, s)) / sw;
}

/** An 8th-order Butterworth highpass at `hz` (four biquads, double precision). */
export function highpass(x: Float32Array, rate: number, hz: number): Float64Array {
  let y = Float64Array.from(x);
  for (const q of [0.50979558, 0.60134489, 0.89997622, 2.56291545]) {
    const w = (2 * Math.PI * hz) / rate, alpha = Math.sin(w) / (2 * q), cw = Math.cos(w), a0 = 1 + alpha;
    const b0 = (1 + cw) / 2 / a0, b1 = -(1 + cw) / a0, b2 = b0, a1 = (-2 * cw) / a0, a2 = (1 - alpha) / a0;
    const out = new Float64Array(y.length);
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (let i = 0; i < y.length; i++) {
      const v = b0 * y[i]! + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1, x1 = y[i]!, y2 = y1, y1 = v;
      out[i] = v;
    }
    y = out;
  }
  return y;
}

/**
 * The high-frequency burst of an event boundary (a click): the loudest
 * 1 ms RMS of `x` high-passed at `hz` (8th order) within [from, to), in dB
 * re `reference` (the tone's RMS). A steady low tone leaves nothing there.
 */
export function hfBurst(x: Float32Array, rate: number, from: number, to: number, reference: number, hz = 8000): number {
  const y = highpass(x, rate, hz), win = Math.round(rate / 1000);
  let worst = 0;
  for (let s = Math.max(0, from); s + win <= Math.min(to, y.length); s += win >> 2) {
    let e = 0;
    for (let i = s; i < s + win; i++) e += y[i]! * y[i]!;
    worst = Math.max(worst, Math.sqrt(e / win));
  }
  return 20 * Math.log10(Math.max(worst, 1e-15) / reference);
}

/** True peak (linear) of a signal: its maximum between samples too, by 16x windowed-sinc interpolation (64 taps per phase). */
export function truePeak(x: Float32Array, factor = 16, taps = 64): number {
  const half = taps / 2, w = kaiserWindow(taps * factor + 1, 10);
  let best = peak(x);
  const kernel: Float64Array[] = [];
  for (let ph = 1; ph < factor; ph++) {
    const k = new Float64Array(taps);
    for (let j = 0; j < taps; j++) {
      const t = j - half + 1 - ph / factor; // distance from the point to x[i + j - half + 1]
      const wi = Math.round((t + half) * factor);
      k[j] = (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)) * w[Math.min(w.length - 1, Math.max(0, wi))]!;
    }
    kernel.push(k);
  }
  for (let i = half; i + half < x.length; i++) {
    for (const k of kernel) {
      let s = 0;
      for (let j = 0; j < taps; j++) s += k[j]! * x[i + j - half + 1]!;
      best = Math.max(best, Math.abs(s));
    }
  }
  return best;
}

/**
 * Loudness of a stereo render in LUFS, as ITU-R BS.1770 defines it for
 * 48 kHz without its gating: each channel K-weighted (the standard's
 * high shelf and highpass), the mean squares of the channels summed,
 * -0.691 + 10 log10(sum). A full-scale 1 kHz sine in one channel reads
 * -3.0 LUFS; the same sine panned centre (each channel at -3 dB) too.
 */
export function loudness(interleaved: Float32Array, from = 0, to = interleaved.length / 2): number {
  const stages = [
    { b: [1.53512485958697, -2.69169618940638, 1.19839281085285], a: [-1.69065929318241, 0.73248077421585] },
    { b: [1, -2, 1], a: [-1.99004745483398, 0.99007225036621] },
  ];
  let sum = 0;
  for (let c = 0; c < 2; c++) {
    const s = stages.map(() => ({ x1: 0, x2: 0, y1: 0, y2: 0 }));
    let ms = 0;
    for (let i = 0; i < to; i++) {
      let v = interleaved[2 * i + c]!;
      for (let k = 0; k < 2; k++) {
        const { b, a } = stages[k]!, z = s[k]!;
        const y = b[0]! * v + b[1]! * z.x1 + b[2]! * z.x2 - a[0]! * z.y1 - a[1]! * z.y2;
        z.x2 = z.x1, z.x1 = v, z.y2 = z.y1, z.y1 = y;
        v = y;
      }
      if (i >= from) ms += v * v;
    }
    sum += ms / (to - from);
  }
  return -0.691 + 10 * Math.log10(sum);
}
