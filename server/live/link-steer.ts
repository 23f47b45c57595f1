/**
 * The live worker's side of Link: once per tick, the engine's latest clock
 * stamp steers the scheduler's tempo map (LinkFollower decides how), and our
 * own tempo changes (setcps, the tempo control) are proposed to the session.
 * @module
 */
import { createTelemetry, type Engine, type Telemetry } from "../engine/index.ts";
import { Link, type SharedLink } from "../engine/link.ts";
import { BEATS_PER_CYCLE } from "../engine/link.ts";
import { LinkFollower } from "./link-follow.ts";
import type { Scheduler } from "./scheduler.ts";

/** The map's pieces go to the main thread at most this often while only steering (ms). */
const STEER_POST_MS = 500;

export class LinkSteering {
  private readonly link: Link;
  private readonly follower: LinkFollower;
  private readonly stamp: Telemetry = createTelemetry();
  private lastPost = 0;

  constructor(
    private readonly engine: Engine,
    private readonly scheduler: Scheduler,
    shared: SharedLink,
  ) {
    this.link = Link.attach(shared);
    this.follower = new LinkFollower(engine.sampleRate);
  }

  /** Follows the session; true when the main thread should get the new tempo map. */
  tick(): boolean {
    this.engine.readTelemetry(this.stamp);
    if (!this.follower.take(this.stamp)) return false;
    const s = this.scheduler;
    const h = s.horizonFrame;
    const steer = this.follower.follow(this.stamp, h, s.tempo.cycleAt(h), s.tempo.cps(h));
    switch (steer.kind) {
      case "none":
        return false;
      case "tempo":
        s.setCps(steer.cps);
        return true;
      case "jump":
        s.jump(steer.cycle, steer.cps);
        return true;
      case "steer": {
        s.steer(steer.cps);
        const now = performance.now();
        if (now - this.lastPost < STEER_POST_MS) return false;
        this.lastPost = now;
        return true;
      }
    }
  }

  /** Our tempo change, proposed to the session (cycles per second; 4 beats to the cycle). */
  propose(cps: number): void {
    this.link.setTempo(cps * 60 * BEATS_PER_CYCLE);
  }

  /**
   * The next cycle start after the horizon and the Link host time (µs) at
   * which it is heard, through the fitted frame-to-time line: what two peers
   * compare to check they share the downbeat.
   */
  downbeat(): { cycle: number; hostUs: number } | undefined {
    if (this.stamp.clockCaptures === 0) return undefined;
    const tempo = this.scheduler.tempo;
    const cycle = Math.ceil(tempo.cycleAt(this.scheduler.horizonFrame));
    return { cycle, hostUs: this.follower.hostUsAt(tempo.frameAt(cycle), this.stamp) };
  }

  /** The latest phase error against the session, ms (session minus us). */
  get phaseErrorMs(): number {
    return this.follower.phaseErrorS * 1000;
  }
}
