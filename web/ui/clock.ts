/**
 * Cycle and tempo, readable from across a stage: the cycle number, the
 * beat within it (four lights), and the tempo in cycles per minute with a
 * control that sends it (Enter or the − / + buttons; the arrow keys step
 * by one, with Shift by ten).
 * @module
 */
import type { ClockEstimator } from "../live/clock.ts";

export type ClockElements = { cycle: HTMLElement; beats: HTMLElement; tempo: HTMLInputElement; slower: HTMLElement; faster: HTMLElement; cps: HTMLElement };

const BEATS = 4;
/** The tempo the server takes, in cycles per minute (0.01 to 100 cps). */
export const MIN_CPM = 0.6;
export const MAX_CPM = 6000;

export class ClockDisplay {
  private shownCycle = -1;
  private shownBeat = -1;
  private shownCpm = Number.NaN;
  private readonly beatEls: HTMLElement[];

  constructor(
    private readonly els: ClockElements,
    private readonly clock: ClockEstimator,
    private readonly setTempo: (cpm: number) => void,
    /** Called with what was typed when it is not a tempo ("abc"): nothing is sent, the box shows it is wrong. */
    private readonly refuse: (typed: string) => void = () => {},
  ) {
    this.beatEls = Array.from({ length: BEATS }, () => {
      const b = document.createElement("span");
      b.className = "beat";
      els.beats.append(b);
      return b;
    });
    const send = (cpm: number) => {
      const typed = els.tempo.value.trim();
      if (!/^\d+(\.\d*)?$|^\.\d+$/.test(typed) || !Number.isFinite(cpm) || cpm < MIN_CPM || cpm > MAX_CPM) {
        els.tempo.setAttribute("aria-invalid", "true");
        this.refuse(typed);
        return;
      }
      els.tempo.removeAttribute("aria-invalid");
      const rounded = Math.round(cpm * 100) / 100;
      els.tempo.value = String(rounded);
      this.setTempo(rounded);
    };
    els.tempo.addEventListener("keydown", (e) => {
      if (e.key === "Enter") send(Number(els.tempo.value));
      else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
        e.preventDefault();
        const step = (e.shiftKey ? 10 : 1) * (e.key === "ArrowUp" ? 1 : -1);
        send(Number(els.tempo.value) + step);
      } else if (e.key === "Escape") {
        els.tempo.value = this.cpmText();
        els.tempo.blur();
      }
    });
    els.tempo.addEventListener("input", () => els.tempo.toggleAttribute("aria-invalid", !/^\s*(\d+(\.\d*)?|\.\d+)?\s*$/.test(els.tempo.value)));
    els.tempo.addEventListener("blur", () => {
      els.tempo.value = this.cpmText();
      els.tempo.removeAttribute("aria-invalid");
    });
    els.slower.addEventListener("click", () => send(Number(els.tempo.value) - 1));
    els.faster.addEventListener("click", () => send(Number(els.tempo.value) + 1));
  }

  paint(nowMs: number): void {
    if (!this.clock.ready) return;
    const cycle = this.clock.cycleAt(nowMs);
    const whole = Math.floor(cycle);
    const beat = Math.floor((cycle - whole) * BEATS);
    if (whole !== this.shownCycle) {
      this.els.cycle.textContent = String(whole);
      this.shownCycle = whole;
    }
    if (beat !== this.shownBeat) {
      this.beatEls.forEach((b, i) => b.classList.toggle("on", i === beat));
      this.shownBeat = beat;
    }
    const cpm = this.clock.cps * 60;
    if (cpm !== this.shownCpm) {
      this.shownCpm = cpm;
      if (document.activeElement !== this.els.tempo) this.els.tempo.value = this.cpmText();
      this.els.cps.textContent = `${this.clock.cps.toFixed(3)} cps · ${Math.round(cpm * 4)} bpm`;
    }
  }

  private cpmText(): string {
    return String(Math.round(this.clock.cps * 60 * 100) / 100);
  }
}
