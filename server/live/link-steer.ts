/**
 * The live worker's side of Link: once per tick, the engine's latest clock
 * stamp steers the scheduler's tempo map (LinkFollower decides how), and our
 * own tempo changes (setcps, the tempo control) are proposed to the session.
 *
 * Start/stop sync (on, as in Tidal): when the session's transport stops or
 * starts, at a host time every peer reads alike, we stop or start at the
 * first bar (cycle) start at or after it, or after our change frame if we
 * learn of it late; the tempo map keeps following the session while
 * stopped, so every peer starts again on the same bar, in phase. Only a
 * session transport that differs from ours moves ours: the same state
 * again (a peer's re-commit, our own echo) leaves the stop bar where it is.
 *
 * Joining: Link hands a newcomer the session's tempo and beat, but each
 * peer keeps its own start/stop state across a join and shares only the
 * changes made after it. So a peer already in the session, on seeing the
 * peers grow, commits its transport again (1 µs later, the same playing
 * state): the newcomer takes it, stopped or playing. The newcomer itself
 * does not (its state would win, being the later one): we are the
 * newcomer when our timeline jumped (the session's beat is not ours) just
 * before the peers grew, or when Link has been on here under 2 s.
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
/** How often the peers are counted (ms): Link's count takes a lock. */
const PEERS_MS = 100;
/** The peers grew: we decide whether we joined this long after (ms), since the jump may show in a later block's stamp. */
const JOIN_SETTLE_MS = 300;
/** A timeline jump this long (ms) before the peers grew, or Link this new here, makes us the newcomer. */
const NEWCOMER_MS = 2000;
/** A beat this far (beats) off the last stamp's line at an unchanged tempo is a timeline jump (a join), not clock noise. */
const JUMP_BEATS = 0.01;

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
    this.watchTimeline();
    this.watchPeers();
    if (this.awaitingProposal()) return this.followTransport();
    const steered = this.steer();
    return this.followTransport() || steered;
  }

  /** Stops or starts our transport on the bar start after the session's did, when it differs from ours. */
  private followTransport(): boolean {
    const t = this.link.transport();
    this.transport = t;
    const s = this.scheduler;
    if (t.playing === !s.transportStopped) return false;
    const from = Math.max(this.follower.frameAtHostUs(t.atUs, this.stamp), s.changeFrame());
    const bar = s.transportAtBar(t.playing, from);
    if (bar === null) return false;
    this.transportCycle = bar;
    return true;
  }

  /** A jump of the session's beat line at an unchanged tempo: we joined another session (see the module's note). */
  private watchTimeline(): void {
    const st = this.stamp;
    const last = this.lastStamp;
    if (last.bpm === st.clockBpm && last.hostUs > 0) {
      const expected = last.beat + ((st.clockHostUs - last.hostUs) * st.clockBpm) / 60e6;
      if (Math.abs(st.clockBeat - expected) > JUMP_BEATS) this.jumpedAt = performance.now();
    }
    last.beat = st.clockBeat;
    last.hostUs = st.clockHostUs;
    last.bpm = st.clockBpm;
  }

  /**
   * The peers grew: once settled, a peer that was in the session already
   * commits its transport again, so the newcomer takes it.
   */
  private watchPeers(): void {
    const now = performance.now();
    if (now - this.peersAt >= PEERS_MS) {
      this.peersAt = now;
      const n = this.link.peers();
      if (n > this.peers) this.grewAt = now;
      this.peers = n;
    }
    if (this.grewAt === null || now - this.grewAt < JOIN_SETTLE_MS) return;
    const newcomer = this.grewAt - this.jumpedAt < NEWCOMER_MS || this.grewAt - this.since < NEWCOMER_MS;
    this.grewAt = null;
    if (!newcomer) this.link.recommitTransport();
  }

  private readonly since = performance.now();
  private peers = 0;
  private peersAt = -Infinity;
  /** When the peers last grew, until we decided whether we joined (null: nothing pending). */
  private grewAt: number | null = null;
  /** When our timeline last jumped (joining another session), performance.now() ms. */
  private jumpedAt = -Infinity;
  private readonly lastStamp = { beat: 0, hostUs: 0, bpm: 0 };

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
        // far off the session's phase: we joined it (or it jumped), as watchTimeline sees at an unchanged tempo
        this.jumpedAt = performance.now();
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
