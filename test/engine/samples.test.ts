// Samples from disk through the real engine: every format loads, a bad file
// says which and why, any rate plays at the right pitch, and the sample
// controls play the frames they should (measured on the output).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, type AudioFileFormat, type SampleResolver } from "../../server/engine/index.ts";
import { channel, firstOnset, peakFrequency, rms } from "./audio-analysis.ts";

const RATE = 48000;
const dir = mkdtempSync(join(tmpdir(), "ostinato-samples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stereo file: sine `fl` Hz left, `fr` Hz right, amplitude 0.5. */
function sines(seconds: number, rate: number, fl: number, fr = fl): Float32Array {
  const n = Math.round(seconds * rate);
  const d = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    d[2 * i] = 0.5 * Math.sin((2 * Math.PI * fl * i) / rate);
    d[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * fr * i) / rate);
  }
  return d;
}

/** A mono float WAV whose frame i holds (i + 1) / 1e6: every frame says which it is. */
function rampFile(frames: number, name = "ramp.wav"): string {
  const d = new Float32Array(frames);
  for (let i = 0; i < frames; i++) d[i] = (i + 1) / 1e6;
  const path = join(dir, name);
  Engine.writeAudioFile(path, "wav-float", 1, RATE, d);
  return path;
}

/** A resolver that maps names straight to loaded slots. */
const named = (ids: Record<string, number>): SampleResolver => ({
  resolve: (name) => (ids[name] === undefined ? undefined : { id: ids[name]!, baseMidi: 36 }),
});

/** Loads files, pushes notes ({s: name, ...}), renders. */
function play(files: Record<string, string>, notes: { controls: Record<string, unknown>; at: number; dur?: number }[], frames: number, config = {}) {
  const engine = Engine.open({ backend: "offline", ...config });
  try {
    const ids = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, engine.loadSample(f)]));
    expect(engine.waitSamples(20)).toBe(true);
    const buf = new EventBuffer(Math.max(1, notes.length), { samples: named(ids) });
    for (const n of notes) buf.add(n.controls, n.at, n.dur ?? DUR_FOREVER);
    expect(engine.push(buf)).toBe(notes.length);
    const out = engine.render(frames);
    return { out, telemetry: engine.telemetry(), info: Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, engine.sampleInfo(id)])) };
  } finally {
    engine.close();
  }
}

const haveSox = spawnSync("sh", ["-c", "command -v sox"]).status === 0;

describe("sample files", () => {
  const source = sines(1, 44100, 440, 660);
  const write = (name: string, format: AudioFileFormat) => {
    const path = join(dir, name);
    Engine.writeAudioFile(path, format, 2, 44100, source);
    return path;
  };
  const written: Record<string, string> = {
    "wav, 32-bit float": write("f.wav", "wav-float"),
    "wav, 16-bit": write("i16.wav", "wav16"),
    "wav, 24-bit": write("i24.wav", "wav24"),
    aiff: write("a.aiff", "aiff16"),
    flac: write("a.flac", "flac16"),
    "ogg vorbis": write("a.ogg", "ogg"),
    mp3: write("a.mp3", "mp3"),
  };
  if (haveSox) {
    // the same formats from another encoder
    for (const ext of ["wav", "aiff", "flac", "ogg"]) {
      const out = join(dir, `sox.${ext}`);
      const r = spawnSync("sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", out, "synth", "1", "sine", "440", "sine", "660"], { encoding: "utf8" });
      if (r.status === 0) written[`${ext} (sox)`] = out;
    }
  }

  for (const [format, path] of Object.entries(written)) {
    test(`${format} loads and plays at its pitch on a 48 kHz engine (a 44.1 kHz file: 440 Hz left, 660 Hz right)`, () => {
      const { out, info, telemetry } = play({ x: path }, [{ controls: { s: "x" }, at: 0 }], 40000);
      expect(info.x!.state).toBe("ready");
      expect(info.x!.channels).toBe(2);
      expect(info.x!.sampleRate).toBe(44100);
      expect(info.x!.frames).toBeGreaterThanOrEqual(44100);
      expect(info.x!.frames).toBeLessThan(44100 + 2000); // lossy codecs may pad a little
      expect(telemetry.eventsPlayed).toBe(1);
      expect(peakFrequency(channel(out, 2, 0), RATE, 200, 2000, 16384, 8000)).toBeCloseTo(440, 0);
      expect(peakFrequency(channel(out, 2, 1), RATE, 200, 2000, 16384, 8000)).toBeCloseTo(660, 0);
    });
  }

  test("any rate plays at the right pitch at any engine rate: 1 kHz files at 22.05 and 96 kHz on 48 and 44.1 kHz engines", () => {
    const lo = join(dir, "lo.wav"), hi = join(dir, "hi.wav");
    Engine.writeAudioFile(lo, "wav16", 1, 22050, sines(1, 22050, 1000).filter((_, i) => i % 2 === 0));
    Engine.writeAudioFile(hi, "wav16", 1, 96000, sines(1, 96000, 1000).filter((_, i) => i % 2 === 0));
    for (const sampleRate of [48000, 44100]) {
      for (const f of [lo, hi]) {
        const { out } = play({ x: f }, [{ controls: { s: "x" }, at: 0 }], 30000, { sampleRate });
        expect(peakFrequency(channel(out, 2, 0), sampleRate, 500, 2000, 16384, 4000), `${f} at ${sampleRate}`).toBeCloseTo(1000, 0);
      }
    }
  });

  test("a corrupt file fails with an error naming the file and the reason; its events play nothing and are counted", () => {
    const bad = join(dir, "broken.wav");
    writeFileSync(bad, "RIFF\u0024\u0000\u0000\u0000WAVEnot really audio at all");
    const text = join(dir, "notes.mp3");
    writeFileSync(text, "this is a text file with an audio file's name\n".repeat(50));
    const missing = join(dir, "nowhere.flac");
    const { out, info, telemetry } = play({ bad, text, missing }, [{ controls: { s: "bad" }, at: 0 }, { controls: { s: "text" }, at: 10 }], 4800);
    for (const [key, path] of [["bad", bad], ["text", text], ["missing", missing]] as const) {
      expect(info[key]!.state).toBe("failed");
      expect(info[key]!.error).toContain(path);
      expect(info[key]!.error!.length).toBeGreaterThan(path.length + 10); // and says why
    }
    expect(info.missing!.error).toMatch(/No such file/);
    expect(rms(out)).toBe(0);
    expect(telemetry.samplesNotReady).toBe(2);
    expect(telemetry.eventsPlayed).toBe(0);
  });
});

describe("sample controls", () => {
  const N = 48000;
  const ramp = rampFile(N);
  /** The frame numbers the left channel played (-1 for silence), from a ramp sample played at pan 0 with no attack. */
  const frames = (controls: Record<string, unknown>, length = N + 1000, dur?: number) =>
    Array.from(channel(play({ r: ramp }, [{ controls: { s: "r", pan: 0, attack: 0, ...controls }, at: 0, dur }], length).out, 2, 0), (x) => Math.round(x * 1e6) - 1);

  test("the whole sample, frame for frame, then silence (the voice ends)", () => {
    const f = frames({});
    for (let i = 0; i < N; i++) if (f[i] !== i) throw new Error(`frame ${i} played ${f[i]}`);
    expect(f.slice(N + 1)).toEqual(new Array(999).fill(-1));
  });

  test("begin and end play exactly the frames between them", () => {
    const f = frames({ begin: 0.25, end: 0.5 });
    expect(f.slice(0, N / 4)).toEqual(Array.from({ length: N / 4 }, (_, i) => N / 4 + i));
    expect(f.slice(N / 4 + 2, N)).toEqual(new Array(N - N / 4 - 2).fill(-1));
  });

  test("speed -1 plays backwards: the last frame first", () => {
    const f = frames({ speed: -1 });
    expect(f.slice(0, 5)).toEqual([N - 1, N - 2, N - 3, N - 4, N - 5]);
    for (let i = 0; i < N; i++) if (f[i] !== N - 1 - i) throw new Error(`output ${i} played frame ${f[i]}`);
    // with begin/end: from end back to begin
    expect(frames({ speed: -1, begin: 0.5, end: 0.75 }).slice(0, 3)).toEqual([0.75 * N - 1, 0.75 * N - 2, 0.75 * N - 3]);
  });

  test("speed 2 doubles the measured pitch, and halves the length", () => {
    const tone = join(dir, "tone.wav");
    Engine.writeAudioFile(tone, "wav-float", 1, RATE, sines(1, RATE, 300).filter((_, i) => i % 2 === 0));
    const one = channel(play({ t: tone }, [{ controls: { s: "t" }, at: 0 }], 48000).out, 2, 0);
    const two = channel(play({ t: tone }, [{ controls: { s: "t", speed: 2 }, at: 0 }], 48000).out, 2, 0);
    const f1 = peakFrequency(one, RATE, 100, 2000, 16384, 2000), f2 = peakFrequency(two, RATE, 100, 2000, 16384, 2000);
    expect(f2 / f1).toBeCloseTo(2, 3);
    expect(rms(two, 24100, 48000)).toBe(0);
    expect(rms(two, 20000, 23900)).toBeGreaterThan(0.1);
  });

  test('unit "c": speed is in cycles per sample length (rate = speed x the sample\'s seconds)', () => {
    const short = rampFile(RATE / 2, "half.wav"); // 0.5 s
    const out = channel(play({ h: short }, [{ controls: { s: "h", pan: 0, attack: 0, unit: "c", speed: 1 }, at: 0 }], RATE + 100).out, 2, 0);
    // rate 0.5: the 0.5 s sample lasts 1 s
    expect(Math.round(out[RATE - 4]! * 1e6) - 1).toBeGreaterThan(RATE / 2 - 4);
    expect(rms(out, RATE + 10, RATE + 100)).toBe(0);
    expect(Math.round(out[2000]! * 1e6) - 1).toBe(1000);
  });

  test("loop repeats loopBegin..loopEnd until the note ends", () => {
    const f = frames({ loop: 1, loopBegin: 0.5, loopEnd: 0.75, release: 0 }, 3 * N, 2 * N);
    // from the start to 3/4, then 1/2..3/4 again and again
    expect(f.slice(0, 3)).toEqual([0, 1, 2]);
    expect(f.slice(0.75 * N - 2, 0.75 * N + 2)).toEqual([0.75 * N - 2, 0.75 * N - 1, N / 2, N / 2 + 1]);
    expect(f[N]).toBe(N / 2); // 0.75 N to play the way in, then one whole loop of N / 4: back at its start
    expect(f[N + 100]).toBe(N / 2 + 100);
    expect(f[2 * N - 1]).toBeGreaterThanOrEqual(N / 2);
    expect(f.slice(2 * N + 5, 2 * N + 100)).toEqual(new Array(95).fill(-1)); // the note ended
  });

  test("a cut group silences the previous sound within a millisecond", () => {
    const { out } = play({ r: ramp }, [
      { controls: { s: "r", pan: 0, cut: 1 }, at: 0 },
      { controls: { s: "r", pan: 1, cut: 1 }, at: 10000 },
    ], 20000);
    const left = channel(out, 2, 0), right = channel(out, 2, 1);
    expect(rms(left, 9000, 10000)).toBeGreaterThan(0);
    expect(rms(left, 10000 + 48, 20000)).toBe(0); // silent 1 ms after the cut
    expect(Math.abs(left[10001]!)).toBeGreaterThan(0); // a fade, not a hard cut
    expect(firstOnset(right)).toBe(10000);
    // a different group does not cut
    const other = play({ r: ramp }, [
      { controls: { s: "r", pan: 0, cut: 1 }, at: 0 },
      { controls: { s: "r", pan: 1, cut: 2 }, at: 10000 },
    ], 20000).out;
    expect(rms(channel(other, 2, 0), 10100, 20000)).toBeGreaterThan(0);
  });

  test("accelerate glides the rate to rate x (1 + accelerate) over the note", () => {
    const tone = join(dir, "tone2.wav");
    Engine.writeAudioFile(tone, "wav-float", 1, RATE, sines(4, RATE, 300).filter((_, i) => i % 2 === 0));
    const out = channel(play({ t: tone }, [{ controls: { s: "t", accelerate: 1, release: 0.001 }, at: 0, dur: RATE }], RATE).out, 2, 0);
    const start = peakFrequency(out, RATE, 100, 1000, 4096, 0);
    const end = peakFrequency(out, RATE, 100, 1000, 4096, RATE - 4096);
    expect(start).toBeCloseTo(300 * 1.04, -1); // the first 85 ms: about 300 Hz
    expect(end / start).toBeGreaterThan(1.8);
  });

  test("a stereo sample keeps its channels; pan balances them", () => {
    const st = join(dir, "st.wav");
    Engine.writeAudioFile(st, "wav-float", 2, RATE, sines(0.5, RATE, 300, 500));
    const mid = play({ s: st }, [{ controls: { s: "s" }, at: 0 }], 12000).out;
    expect(peakFrequency(channel(mid, 2, 0), RATE, 100, 1000, 8192, 1000)).toBeCloseTo(300, 0);
    expect(peakFrequency(channel(mid, 2, 1), RATE, 100, 1000, 8192, 1000)).toBeCloseTo(500, 0);
    expect(rms(channel(mid, 2, 0), 1000, 9000)).toBeCloseTo(0.5 / Math.SQRT2, 2); // unity in the middle
    const left = play({ s: st }, [{ controls: { s: "s", pan: 0 }, at: 0 }], 12000).out;
    expect(rms(channel(left, 2, 1))).toBe(0);
  });
});

describe("memory the audio thread may still read", () => {
  test("freeing a sample while it plays: the voice plays on unchanged, new events play nothing", () => {
    const tone = join(dir, "free.wav");
    Engine.writeAudioFile(tone, "wav-float", 1, RATE, sines(1, RATE, 440).filter((_, i) => i % 2 === 0));
    const run = (free: boolean) => {
      const engine = Engine.open({ backend: "offline" });
      try {
        const id = engine.loadSample(tone);
        engine.waitSamples(10);
        const buf = new EventBuffer(2, { samples: named({ t: id }) });
        buf.add({ s: "t" }, 0, DUR_FOREVER);
        engine.push(buf);
        const a = engine.render(10000);
        if (free) {
          engine.freeSample(id);
          expect(engine.sampleInfo(id).state).toBe("free");
          buf.clear();
          buf.add({ s: "t", pan: 1 }, 20000, DUR_FOREVER); // its slot is empty now
          engine.push(buf);
        }
        const b = engine.render(50000); // the voice finishes; the memory goes back after
        return { a, b, t: engine.telemetry() };
      } finally {
        engine.close();
      }
    };
    const kept = run(false), freed = run(true);
    expect(Buffer.from(freed.a.buffer).equals(Buffer.from(kept.a.buffer))).toBe(true);
    // the first 30000 frames after the free are the same sound (the voice kept its memory)
    expect(Buffer.from(freed.b.buffer, 0, 4 * 2 * 10000).equals(Buffer.from(kept.b.buffer, 0, 4 * 2 * 10000))).toBe(true);
    expect(freed.t.samplesNotReady).toBe(1);
  });
});
