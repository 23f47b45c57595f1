/**
 * GET /metrics in the Prometheus text format (version 0.0.4): engine
 * counters and gauges, the live session, and the clients.
 * @module
 */
import type { Commands } from "./commands.ts";

type Metric = { name: string; type: "counter" | "gauge"; help: string; value: number };

export function metricsText(commands: Commands): string {
  const t = commands.ctx.engine.telemetry();
  const live = commands.ctx.live;
  const metrics: Metric[] = [
    { name: "ostinato_frames_total", type: "counter", help: "Frames rendered by the engine (its clock).", value: t.frames },
    { name: "ostinato_xruns_total", type: "counter", help: "Buffer under/overruns reported by the audio device.", value: t.xruns },
    { name: "ostinato_late_events_total", type: "counter", help: "Events that arrived after their frame and played at the next block.", value: t.lateEvents },
    { name: "ostinato_events_played_total", type: "counter", help: "Events that started a voice.", value: t.eventsPlayed },
    { name: "ostinato_stolen_voices_total", type: "counter", help: "Voices stolen because the pool was full.", value: t.stolenVoices },
    { name: "ostinato_unknown_sounds_total", type: "counter", help: "Events naming a sound the engine does not know.", value: t.unknownSounds },
    { name: "ostinato_cpu_load", type: "gauge", help: "Audio callback time over block duration (smoothed).", value: t.cpuLoad },
    { name: "ostinato_active_voices", type: "gauge", help: "Voices sounding now.", value: t.activeVoices },
    { name: "ostinato_queue_fill", type: "gauge", help: "Events waiting in the engine's ring.", value: t.ringFill },
    { name: "ostinato_pending_events", type: "gauge", help: "Events the audio thread holds for later frames.", value: t.pendingEvents },
    { name: "ostinato_device_lost", type: "gauge", help: "1 when the audio device died and the engine fell back to the null backend.", value: t.deviceLost },
    { name: "ostinato_cps", type: "gauge", help: "Tempo in cycles per second.", value: live.cps },
    { name: "ostinato_slots", type: "gauge", help: "Pattern slots in place.", value: live.slotStates().length },
    { name: "ostinato_worker_restarts_total", type: "counter", help: "Times the watchdog restarted a hung live worker.", value: live.restarts },
    { name: "ostinato_clients", type: "gauge", help: "Connected WebSocket clients.", value: commands.ctx.clientCount() },
  ];
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, `${m.name} ${format(m.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

function format(v: number): string {
  return Number.isFinite(v) ? String(v) : "NaN";
}
