/**
 * The Ableton Link badge next to the tempo: hidden while Link is off; on, it
 * shows the peers and the session's tempo (README, "Playing in time with others").
 * @module
 */
import type { StateSnapshot } from "../../server/http/protocol.ts";

export class LinkStatus {
  constructor(private readonly el: HTMLElement) {}

  update(state: StateSnapshot): void {
    const link = state.link;
    this.el.hidden = !link?.on;
    if (!link?.on) return;
    const peers = link.peers === 1 ? "1 peer" : `${link.peers} peers`;
    this.el.textContent = `Link · ${peers} · ${link.bpm.toFixed(1)} bpm`;
    this.el.title = `Ableton Link on: ${peers} in the session at ${link.bpm.toFixed(2)} BPM` +
      (link.phaseErrorMs === null ? "" : `; our bar phase is ${link.phaseErrorMs.toFixed(2)} ms from the session's`);
  }
}
