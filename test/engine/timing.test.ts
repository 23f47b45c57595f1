// Sample accuracy: events start, release and are ordered on their exact frames.
import { describe, expect, test } from "vitest";
import { EventBuffer } from "../../server/engine/index.ts";
import { channel, firstDifference, firstOnset } from "./audio-analysis.ts";
import { offline, pushNotes, renderNotes } from "./helpers.ts";

const SOUNDS = ["sine", "sawtooth", "square", "triangle", "white", "pink", "brown"];

describe("onsets", () => {
  for (const s of SOUNDS) {
    test(`${s}: an event at frame F gives its first non-zero sample exactly at F`, () => {
      for (const at of [0, 1, 127, 128, 1000, 4097]) {
        const out = renderNotes([{ controls: { s, note: 57 }, at, dur: 2000 }], at + 512);
        expect(firstOnset(channel(out, 2, 0))).toBe(at);
        expect(firstOnset(channel(out, 2, 1))).toBe(at);
      }
    });
  }

  test("two events in one block start at their own frames", () => {
    // One 128-frame render block; the second voice is panned hard right so each
    // channel shows one onset.
    const out = renderNotes([
      { controls: { s: "sawtooth", note: 45, pan: 0 }, at: 10, dur: 500 },
      { controls: { s: "sawtooth", note: 52, pan: 1 }, at: 77, dur: 500 },
    ], 128);
    expect(firstOnset(channel(out, 2, 0), 1e-9)).toBe(10);
    expect(firstOnset(channel(out, 2, 1), 1e-9)).toBe(77);
  });

  test("events pushed out of order (several slots looking ahead) play in frame order", () => {
    const engine = offline();
    const late = new EventBuffer(1), early = new EventBuffer(1);
    late.add({ s: "square", pan: 1 }, 3000, 100, 2);
    early.add({ s: "square", pan: 0 }, 1000, 100, 1);
    expect(engine.push(late)).toBe(1);
    expect(engine.push(early)).toBe(1);
    const out = engine.render(4096);
    engine.close();
    expect(firstOnset(channel(out, 2, 0), 1e-9)).toBe(1000);
    expect(firstOnset(channel(out, 2, 1), 1e-9)).toBe(3000);
  });

  test("an event whose frame has passed plays at the start of the next block and is counted late", () => {
    // The voices render the limiter's lookahead ahead of the output clock, so
    // the next block they start is heard `latencyFrames` into the next output.
    const engine = offline();
    engine.render(1000);
    pushNotes(engine, [{ controls: { s: "sawtooth" }, at: 200, dur: 100 }]);
    const out = engine.render(256);
    const t = engine.telemetry();
    engine.close();
    expect(t.latencyFrames).toBe(48); // 1 ms at 48 kHz
    expect(firstOnset(channel(out, 2, 0))).toBe(t.latencyFrames);
    expect(t.lateEvents).toBe(1);
    expect(t.eventsPlayed).toBe(1);
  });

  test("events on the same frame keep their push order", () => {
    // A RELEASE of slot 1 on the note's own frame silences the note only when
    // it was pushed after it.
    const render = (releaseFirst: boolean) => {
      const engine = offline();
      const buf = new EventBuffer(2);
      if (releaseFirst) buf.addRelease(1, 500, 1);
      buf.add({ s: "square", attack: 0, release: 0 }, 500, 1000, 1);
      if (!releaseFirst) buf.addRelease(1, 500, 1);
      expect(engine.push(buf)).toBe(2);
      const out = channel(engine.render(1024), 2, 0);
      engine.close();
      return out;
    };
    expect(firstOnset(render(true))).toBe(500); // release came first: nothing to release yet
    expect(firstOnset(render(false))).toBe(-1); // released on its first frame, with a 1-frame fade
  });
});

describe("note-off", () => {
  test("the release starts at start + duration exactly", () => {
    for (const [at, dur] of [[0, 300], [100, 1000], [37, 129]] as const) {
      const controls = { s: "sawtooth", attack: 0.001, decay: 0, sustain: 1, release: 0.1 };
      const short = channel(renderNotes([{ controls, at, dur }], 4096), 2, 0);
      const held = channel(renderNotes([{ controls, at, dur: 100000 }], 4096), 2, 0);
      // identical until the note-off frame, different from it on
      expect(firstDifference(short, held)).toBe(at + dur);
    }
  });

  test("the voice ends when its release does", () => {
    const rate = 48000;
    const out = channel(renderNotes([{ controls: { s: "square", attack: 0, decay: 0, release: 0.01 }, at: 0, dur: 1000 }], 4096), 2, 0);
    const release = Math.round(0.01 * rate);
    expect(Math.abs(out[1000 + release - 2]!)).toBeGreaterThan(0);
    for (let i = 1000 + release; i < 4096; i++) expect(out[i]).toBe(0);
  });

  test("a linear attack reaches full level after `attack` seconds", () => {
    // The envelope is the voice with the attack over the same voice without
    // (a 37 Hz sine: no zero crossing at the frames looked at).
    const voice = (attack: number) => channel(renderNotes([{ controls: { s: "sine", freq: 37, attack, decay: 0, sustain: 1 }, at: 0, dur: 10000 }], 1024), 2, 0);
    const out = voice(0.01), flat = voice(0);
    expect(out[2]! / flat[2]!).toBeCloseTo(3 / 480, 6);
    expect(out[239]! / flat[239]!).toBeCloseTo(0.5, 4);
    expect(out[479]! / flat[479]!).toBeCloseTo(1, 4);
    expect(out[800]! / flat[800]!).toBeCloseTo(1, 6);
  });
});
