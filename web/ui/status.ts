/**
 * The engine's health at a glance, from `state` pushes. The engine's own
 * overruns and late events are red (ours to fix: fewer voices, a larger
 * block, a deeper queue); periods the host missed are amber (the machine was
 * busy: a larger block or real-time priority helps). A counter that just
 * rose lights up for a few seconds, so a glitch is noticed, and its tooltip
 * says what happened and what helps (server/engine/health.ts); for the
 * engine's own overruns (ours to fix) the same words go to the message line
 * too, at most every 30 s, so nobody has to hover to learn it (the host's
 * misses stay in their tooltip: a busy machine should not cover the
 * evaluation's message). Then CPU load of the audio callback, voices, device.
 * @module
 */
import type { StateSnapshot } from "../../server/http/protocol.ts";

export type StatusElements = {
  overruns: HTMLElement;
  hostXruns: HTMLElement;
  late: HTMLElement;
  cpu: HTMLElement;
  voices: HTMLElement;
  device: HTMLElement;
};

const ALARM_MS = 4000;
/** The least time between two messages about one counter. */
const TELL_EVERY_MS = 30_000;

type Counter = "overruns" | "hostXruns" | "late";

const TITLES: Record<Counter, string> = {
  overruns: "engine overruns: renders that took longer than their block (our fault: fewer voices or a larger block help)",
  hostXruns: "periods the audio system missed (a busy machine: a larger block or real-time priority helps)",
  late: "events that arrived after their time",
};

export class StatusDisplay {
  private last: Record<Counter, number> = { overruns: -1, hostXruns: -1, late: -1 };
  private told: Record<Counter, number> = { overruns: -Infinity, hostXruns: -Infinity, late: -Infinity };

  /** `tell`: a counter rose, with its cause and what helps (the message line). */
  constructor(
    private readonly els: StatusElements,
    private readonly tell: (problem: string, kind: "error") => void = () => {},
  ) {}

  update(state: StateSnapshot): void {
    const t = state.telemetry;
    this.counter("overruns", t.engineOverruns, "alarm", t.engineProblem);
    this.counter("hostXruns", t.hostXruns, "warn", t.hostProblem);
    this.counter("late", t.lateEvents, "alarm", t.lateEvents > 0 ? t.engineProblem : null);
    this.els.cpu.textContent = `${Math.round(t.cpuLoad * 100)}%`;
    this.els.cpu.classList.toggle("alarm", t.cpuLoad > 0.7);
    this.els.voices.textContent = String(t.activeVoices);
    const d = state.device;
    this.els.device.textContent = `${d.lost ? "DEVICE LOST → " : ""}${d.name} · ${d.sampleRate / 1000} kHz`;
    this.els.device.classList.toggle("alarm", d.lost);
    this.els.device.title = `${d.backend} backend, ${d.channels} channels, ${d.blockFrames} frames per block, lookahead ${Math.round(state.lookahead * 1000)} ms, ${state.clients} client(s)`;
  }

  /** Shows a counter; one that rose lights up in `kind` for a while. The tooltip carries the cause. */
  private counter(key: Counter, value: number, kind: "alarm" | "warn", problem: string | null): void {
    const el = this.els[key];
    (el.parentElement ?? el).title = problem ? `${TITLES[key]}\n\n${problem}` : TITLES[key];
    if (value === this.last[key]) return;
    const rose = this.last[key] >= 0 && value > this.last[key];
    this.last[key] = value;
    el.textContent = String(value);
    if (rose && problem && key === "overruns" && performance.now() - this.told[key] > TELL_EVERY_MS) {
      this.told[key] = performance.now();
      this.tell(`⚠ ${problem}`, "error");
    }
    if (rose) {
      el.classList.add(kind);
      clearTimeout((el as unknown as { _t?: ReturnType<typeof setTimeout> })._t);
      (el as unknown as { _t?: ReturnType<typeof setTimeout> })._t = setTimeout(() => el.classList.remove(kind), ALARM_MS);
    }
  }
}
