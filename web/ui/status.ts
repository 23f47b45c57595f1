/**
 * The engine's health at a glance, from `state` pushes: xruns and late
 * events (a counter that just rose is shown in red for a few seconds, so
 * a glitch is noticed), CPU load of the audio callback, voices, device.
 * @module
 */
import type { StateSnapshot } from "../../server/http/protocol.ts";

export type StatusElements = { xruns: HTMLElement; late: HTMLElement; cpu: HTMLElement; voices: HTMLElement; device: HTMLElement };

const ALARM_MS = 4000;

export class StatusDisplay {
  private last = { xruns: -1, late: -1 };

  constructor(private readonly els: StatusElements) {}

  update(state: StateSnapshot): void {
    const t = state.telemetry;
    this.counter(this.els.xruns, "xruns", t.xruns);
    this.counter(this.els.late, "late", t.lateEvents);
    this.els.cpu.textContent = `${Math.round(t.cpuLoad * 100)}%`;
    this.els.cpu.classList.toggle("alarm", t.cpuLoad > 0.7);
    this.els.voices.textContent = String(t.activeVoices);
    const d = state.device;
    this.els.device.textContent = `${d.lost ? "DEVICE LOST → " : ""}${d.name} · ${d.sampleRate / 1000} kHz`;
    this.els.device.classList.toggle("alarm", d.lost);
    this.els.device.title = `${d.backend} backend, ${d.channels} channels, ${d.blockFrames} frames per block, lookahead ${Math.round(state.lookahead * 1000)} ms, ${state.clients} client(s)`;
  }

  private counter(el: HTMLElement, key: "xruns" | "late", value: number): void {
    if (value === this.last[key]) return;
    const rose = this.last[key] >= 0 && value > this.last[key];
    this.last[key] = value;
    el.textContent = String(value);
    if (rose) {
      el.classList.add("alarm");
      clearTimeout((el as unknown as { _t?: ReturnType<typeof setTimeout> })._t);
      (el as unknown as { _t?: ReturnType<typeof setTimeout> })._t = setTimeout(() => el.classList.remove("alarm"), ALARM_MS);
    }
  }
}
