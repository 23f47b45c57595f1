/**
 * The Ableton Link badge next to the tempo: on, it shows the peers, the
 * session's tempo, and "stopped" while the session's transport is stopped
 * (start/stop sync: nothing plays, the tempo and phase run on). Off, it is
 * hidden, unless our own transport is stopped (stopped with the session,
 * then out of it; or PUT /api/link {"playing": false}): then it says so, as
 * nothing would play and nothing else on the page would tell why (README,
 * "Playing in time with others").
 * @module
 */
import type { StateSnapshot } from "../../server/http/protocol.ts";

export class LinkStatus {
  constructor(private readonly el: HTMLElement) {}

  update(state: StateSnapshot): void {
    const link = state.link;
    const stopped = link !== undefined && !link.playing;
    this.el.hidden = !link?.on && !stopped;
    this.el.classList.toggle("stopped", stopped);
    if (!link) return;
    if (!link.on) {
      if (!stopped) return;
      this.el.textContent = "stopped";
      this.el.title = 'The transport is stopped (Link is off): nothing plays until it starts, PUT /api/link {"playing": true}';
      return;
    }
    const peers = link.peers === 1 ? "1 peer" : `${link.peers} peers`;
    this.el.textContent = `Link · ${peers} · ${link.bpm.toFixed(1)} bpm${stopped ? " · stopped" : ""}`;
    this.el.title = `Ableton Link on: ${peers} in the session at ${link.bpm.toFixed(2)} BPM` +
      (stopped ? "; the session's transport is stopped: nothing plays until a peer starts it (the bars run on)" : "") +
      (link.phaseErrorMs === null ? "" : `; our bar phase is ${link.phaseErrorMs.toFixed(2)} ms from the session's`);
  }
}
