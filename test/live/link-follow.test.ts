// The Link follower against a simulated session and sound card: a clock
// 375 ppm fast (as JACK's dummy driver measured against system time), block
// stamps that arrive up to 0.3 ms late, a peer that changes tempo mid-phrase.
// What is asserted is the follower's own arithmetic: where the tempo map puts
// its cycle starts on the session's timeline (the two-process test,
// link-peers.rt.test.ts, checks the real thing).
import { describe, expect, test } from "vitest";
import { LinkFollower, type ClockStamp } from "../../server/live/link-follow.ts";
import { TempoMap } from "../../server/live/tempo.ts";
import { Engine } from "../../server/engine/index.ts";
import { ZERO } from "../../server/pattern/rational.ts";
import { evaluate } from "../../server/live/program.ts";
import { Scheduler, type ScheduledEvent } from "../../server/live/scheduler.ts";
import { SlotTable } from "../../server/live/slots.ts";
import type { Pattern } from "../../server/pattern/pattern.ts";

const RATE = 48000;
const DRIFT = 375e-6;
const BLOCK = 128;
const HORIZON = 0.15 * RATE;

/** A session timeline: piecewise constant tempo, beat continuous at each change (as Link does). */
class Session {
  private pieces = [{ us: 0, beat: 3.3, bpm: 120 }];
  beatAt(us: number): number {
    const p = this.pieces.filter((q) => q.us <= us).at(-1) ?? this.pieces[0]!;
    return p.beat + ((us - p.us) * p.bpm) / 60e6;
  }
  bpmAt(us: number): number {
    return (this.pieces.filter((q) => q.us <= us).at(-1) ?? this.pieces[0]!).bpm;
  }
  setTempo(bpm: number, us: number): void {
    this.pieces.push({ us, beat: this.beatAt(us), bpm });
  }
}

/** Host µs at which a frame is heard (the simulated card runs DRIFT fast). */
const hostUsOf = (frame: number) => (frame / (RATE * (1 + DRIFT))) * 1e6;

/** How late (µs) the stamp of the block heard at `us` is: the callback's wake-up, plus what a test adds. */
type Lateness = (us: number, random: () => number) => number;
const jitter: Lateness = (_us, random) => random() * 300;

function run(seconds: number, session: Session, map: TempoMap, follower: LinkFollower, from = 0, seed = 1, late: Lateness = jitter) {
  let rnd = seed;
  const random = () => ((rnd = (rnd * 16807) % 2147483647) / 2147483647);
  const stamp: ClockStamp = { clockCaptures: 0, clockFrame: 0, clockHostUs: 0, clockBeat: 0, clockBpm: 0, clockPlaying: 1 };
  const kinds = new Set<string>();
  for (let us = from; us < from + seconds * 1e6; us += 5000) {
    const now = (us / 1e6) * RATE * (1 + DRIFT);
    const block = Math.floor(now / BLOCK) * BLOCK;
    const heard = hostUsOf(block) + late(us, random); // the callback ran late: its stamp says so
    stamp.clockCaptures++;
    stamp.clockFrame = block;
    stamp.clockHostUs = heard;
    stamp.clockBeat = session.beatAt(heard);
    stamp.clockBpm = session.bpmAt(heard);
    follower.take(stamp);
    const h = now + HORIZON;
    const steer = follower.follow(stamp, h, map.cycleAt(h), map.cps(h));
    kinds.add(steer.kind);
    if (steer.kind === "tempo") map.setCps(steer.cps, Math.ceil(Math.max(now + 0.01 * RATE, steer.atFrame ?? 0)));
    else if (steer.kind === "steer") {
      map.setCps(steer.cps, Math.ceil(h));
      if (steer.frames > 0) map.setCps(steer.base, Math.ceil(h) + steer.frames);
    }
    else if (steer.kind === "jump") map.jump(Math.ceil(steer.cycle * 2 ** 20) / 2 ** 20, steer.cps, Math.ceil(h));
  }
  return kinds;
}

/** How far (µs) the map's next cycle start after `frame` is from the session's bar line. */
function barError(map: TempoMap, session: Session, frame: number): number {
  const cycle = Math.ceil(map.cycleAt(frame));
  const us = hostUsOf(map.frameAt(cycle));
  const beat = session.beatAt(us);
  const off = beat / 4 - Math.round(beat / 4); // bars
  return (off * 4 * 60e6) / session.bpmAt(us);
}

describe("LinkFollower", () => {
  test("joins by a jump forward, then holds the session's bar lines on a drifting clock", () => {
    const session = new Session();
    const map = new TempoMap(RATE, 0.5);
    const follower = new LinkFollower(RATE);
    const kinds = run(10, session, map, follower);
    expect(kinds.has("jump")).toBe(true);
    // from 10 s on, second by second: the next cycle start is on a bar line, but
    // for the stamps' mean lateness (150 µs early: no follower can tell it from the clock) and 50 µs
    for (let s = 10; s < 14; s++) {
      if (s > 10) run(1, session, map, follower, (s - 1) * 1e6, s);
      expect(Math.abs(barError(map, session, s * RATE * (1 + DRIFT)) + 150)).toBeLessThan(50);
    }
    // the clock's drift is measured, not assumed: the map runs 375 ppm slow in frames
    expect(map.cps() / 0.5 - 1).toBeCloseTo(-DRIFT, 4); // within the phase nudge (a few ppm)
  });

  test("a peer's tempo change mid-phrase: followed at once, the bar lines held again within a second", () => {
    const session = new Session();
    const map = new TempoMap(RATE, 0.5);
    const follower = new LinkFollower(RATE);
    run(5, session, map, follower);
    session.setTempo(90, 5.0123e6);
    const kinds = run(1.5, session, map, follower, 5e6, 7);
    expect(kinds.has("tempo")).toBe(true);
    expect(kinds.has("jump")).toBe(false); // slowing down is never a jump: nothing skipped
    const at = 6.5 * RATE * (1 + DRIFT);
    expect(Math.abs(barError(map, session, at) + 150)).toBeLessThan(100);
    expect(map.cps() * 240).toBeCloseTo(90 * (1 - DRIFT), 2);
  });

  test("stamps made late by a loaded machine (a few ticks 5-40 ms late) do not move the bar lines", () => {
    const session = new Session();
    const map = new TempoMap(RATE, 0.5);
    const follower = new LinkFollower(RATE);
    run(10, session, map, follower);
    // every 0.7 s, a burst of 3 stamps 5..40 ms late (a caught-up xrun, a descheduled audio thread)
    const bursts: Lateness = (us, random) => random() * 300 + ((us / 5000) % 140 < 3 ? 5000 + random() * 35000 : 0);
    let worst = 0;
    for (let s = 10; s < 20; s++) {
      run(1, session, map, follower, s * 1e6, s, bursts);
      for (let k = 0; k < 10; k++) worst = Math.max(worst, Math.abs(barError(map, session, (s + 1 + k / 10) * RATE * (1 + DRIFT)) + 150));
    }
    expect(follower.rejected).toBeGreaterThan(0);
    // without the second fit these bursts put the bar lines up to ~2 ms off
    expect(worst).toBeLessThan(100);
  });

  test("a clock that steps (an xrun not caught up: the frames 200 ms behind) is followed within a second", () => {
    const session = new Session();
    const map = new TempoMap(RATE, 0.5);
    const follower = new LinkFollower(RATE);
    run(10, session, map, follower);
    // from 10 s on every block is heard 200 ms later than before: frames lost for good
    const stepped: Lateness = (us, random) => random() * 300 + (us >= 10e6 ? 200_000 : 0);
    run(1, session, map, follower, 10e6, 3, stepped);
    expect(follower.steps).toBe(1);
    const barAfterStep = (frame: number) => {
      const cycle = Math.ceil(map.cycleAt(frame));
      const us = hostUsOf(map.frameAt(cycle)) + 200_000;
      const beat = session.beatAt(us);
      return (((beat / 4 - Math.round(beat / 4)) * 4 * 60e6) / session.bpmAt(us));
    };
    expect(Math.abs(barAfterStep(11 * RATE * (1 + DRIFT)) + 150)).toBeLessThan(100);
  });

  test("no stamp yet (no clock source installed): nothing to do", () => {
    const follower = new LinkFollower(RATE);
    const none: ClockStamp = { clockCaptures: 0, clockFrame: 0, clockHostUs: 0, clockBeat: 0, clockBpm: 0, clockPlaying: 0 };
    expect(follower.take(none)).toBe(false);
    expect(follower.follow(none, 0, 0, 0.5).kind).toBe("none");
  });
});

describe("TempoMap.jump", () => {
  test("skips cycles forward: they have no frame of their own, nothing before the jump moves", () => {
    const t = new TempoMap(RATE, 0.5);
    t.jump(1.75, 0.5, 48000); // frame 48000 was cycle 0.5
    expect(t.frameAt(0.25)).toBe(24000);
    expect(t.frameAt(1.75)).toBe(48000);
    expect(t.frameAt(2.25)).toBe(96000);
    expect(t.skips(1)).toBe(true);
    expect(t.skips(0.4)).toBe(false);
    expect(t.skips(1.75)).toBe(false);
    expect(t.frameAt(1)).toBe(48000);
    expect(() => t.jump(1, 0.5, 96000)).toThrow(/forward only/);
    const u = TempoMap.fromPieces(RATE, t.toPieces());
    expect(u.skips(1)).toBe(true);
  });
});

describe("a refresh across a jump", () => {
  test("queries the skipped cycles but plays none of them (no pile of events on the jump's frame)", async () => {
    const engine = Engine.open({ backend: "offline", sampleRate: RATE, ringCapacity: 1 << 14, queueCapacity: 1 << 14 });
    try {
      const program = await evaluate(`s("bd*4")`);
      const slots = new SlotTable<Pattern>();
      slots.apply("main", program.played, program.map);
      const tempo = new TempoMap(RATE, 0.5);
      const events: ScheduledEvent[] = [];
      const scheduler = new Scheduler(engine, slots, tempo, { lookahead: 0.01, queueAhead: 0.15, onEvents: (e) => events.push(...e) }, ZERO);
      scheduler.tick(RATE); // queued to 1.15 s: cycle 0.575
      const jumpFrame = Math.ceil(scheduler.horizonFrame);
      scheduler.jump(1.25, 0.5); // cycles 0.575 .. 1.25 skipped: 0.75 and 1.0 have no frame of their own
      scheduler.tick(RATE + 0.5 * RATE); // queued on from the jump
      events.length = 0;
      scheduler.refresh("all", RATE); // from before the jump: its query spans the skipped cycles
      const frames = events.map((e) => e.frame);
      // cycle 0.5 at its frame, then the jump's own cycle 1.25 at the jump's frame: 0.75 and 1.0 not at all
      expect(frames).toEqual([RATE, jumpFrame]);
    } finally {
      engine.close();
    }
  });
});
