/**
 * The live worker's side of Link: once per tick, the engine's latest clock
 * stamp steers the scheduler's tempo map (LinkFollower decides how), and our
 * own tempo changes (setcps, the tempo control) are proposed to the session.
 *
 * Start/stop sync (on, as in Tidal): when the session's transport stops or
 * starts, at a host time every peer reads alike, we stop or start at the
 * first bar (cycle) start at or after it, or after our change frame if we
 * learn of it late; the tempo map keeps following the session while
 * stopped, so every peer starts again on the same bar, in phase.
 * @module
 */
import { createTelemetry, type Engine, type Telemetry } from "../engine/index.ts";
import { Link, type SharedLink } from "../engine/link.ts";
import { BEATS_PER_CYCLE } from "../engine/link.ts";
import { LinkFollower } from "./link-follow.ts";
import type { Scheduler } from "./scheduler.ts";

/** How long our own tempo proposal may take to show in the engine's stamps before we steer again regardless (ms). */
const PROPOSAL_MS = 100;
/** The map's pieces go to the main thread at most this often while only steering (ms). */
const STEER_POST_MS = 500;

export class LinkSteering {
  private readonly link: Link;
  private readonly follower: LinkFollower;
  private readonly stamp: Telemetry = createTelemetry();
  private lastPost = 0;
  /** The session's transport as last seen (undefined: not read yet). */
  private transport?: { playing: boolean; atUs: number };

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
    if (this.awaitingProposal()) return this.followTransport();
    const steered = this.steer();
    return this.followTransport() || steered;
  }

  /** Stops or starts our transport on the bar start after the session's did. */
  private followTransport(): boolean {
    const t = this.link.transport();
    const last = this.transport;
    this.transport = t;
    if (last ? last.playing === t.playing && last.atUs === t.atUs : t.playing) return false;
    const s = this.scheduler;
    const from = Math.max(this.follower.frameAtHostUs(t.atUs, this.stamp), s.changeFrame());
    const bar = Math.ceil(s.tempo.cycleAt(from) - 1e-9);
    const frame = s.tempo.frameAt(bar);
    if (t.playing) s.startAt(frame);
    else s.stopAt(frame);
    this.transportCycle = bar;
    return true;
  }

  /** The cycle at which the transport last stopped or started (for /api/state and tests). */
  transportCycle: number | null = null;

  /** The session's transport as last seen, and the cycle at which we last stopped or started with it. */
  transportState(): { playing: boolean; cycle: number | null; hostUs: number | null } {
    const cycle = this.transportCycle;
    const hostUs = cycle === null ? null : this.follower.hostUsAt(this.scheduler.tempo.frameAt(cycle), this.stamp);
    return { playing: this.transport?.playing ?? true, cycle, hostUs };
  }

  private steer(): boolean {
    const s = this.scheduler;
    const h = s.horizonFrame;
    const steer = this.follower.follow(this.stamp, h, s.tempo.cycleAt(h), s.tempo.cps(h));
    switch (steer.kind) {
      case "none":
        return false;
      case "tempo":
        s.setCps(steer.cps, Math.max(s.changeFrame(), steer.atFrame ?? 0));
        return true;
      case "jump":
        s.jump(steer.cycle, steer.cps);
        return true;
      case "steer": {
        s.steer(steer.cps, steer.frames, steer.base);
        const now = performance.now();
        if (now - this.lastPost < STEER_POST_MS) return false;
        this.lastPost = now;
        return true;
      }
    }
  }

  /**
   * Our tempo change, proposed to the session (cycles per second; 4 beats to
   * the cycle) as of the host time our change frame is heard: the map
   * changes there, so the session's beats and ours stay one (proposed as of
   * now, the two would part by the lookahead times the change and take a
   * second of steering to meet again).
   */
  propose(cps: number, atFrame = this.scheduler.changeFrame()): void {
    const at = this.stamp.clockCaptures === 0 ? 0 : this.follower.hostUsAt(atFrame, this.stamp);
    const bpm = cps * 60 * BEATS_PER_CYCLE;
    this.link.setTempo(bpm, at);
    this.proposed = { bpm: this.link.tempo(), until: performance.now() + PROPOSAL_MS };
  }

  /**
   * Whether the engine's stamps still show the session as it was before our
   * proposal: steering from them would take our own change back (the map
   * is at the new tempo, they at the old) for the block or two until the
   * audio thread captures the new session state.
   */
  private awaitingProposal(): boolean {
    const p = this.proposed;
    if (!p) return false;
    if (Math.abs(this.stamp.clockBpm - p.bpm) > 1e-6 * p.bpm && performance.now() < p.until) return true;
    this.proposed = undefined;
    return false;
  }

  private proposed?: { bpm: number; until: number };

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
