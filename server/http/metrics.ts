/**
 * GET /metrics in the Prometheus text format (version 0.0.4): engine
 * counters and gauges, the live session, and the clients.
 * @module
 */
import { health, libraryTables, type Telemetry } from "../engine/index.ts";
import type { Commands } from "./commands.ts";

type Metric = { name: string; type: "counter" | "gauge"; help: string; value: number };

export function metricsText(commands: Commands): string {
  const t = commands.ctx.engine.telemetry();
  const live = commands.ctx.live;
  const link = live.linkState();
  const metrics: Metric[] = [
    { name: "ostinato_frames_total", type: "counter", help: "Frames rendered by the engine (its clock).", value: t.frames },
    { name: "ostinato_engine_overruns_total", type: "counter", help: "Renders that took more CPU time than their block lasts: the engine's own fault (fewer voices or a larger block help).", value: t.engineOverruns },
    { name: "ostinato_host_xruns_total", type: "counter", help: "Periods the audio system missed: the host was busy (a larger block or real-time priority helps).", value: t.hostXruns },
    { name: "ostinato_render_max_seconds", type: "gauge", help: "Longest CPU time of one render since the engine opened.", value: t.renderMaxNs / 1e9 },
    { name: "ostinato_callback_gap_max_seconds", type: "gauge", help: "Longest time between two audio callbacks since the engine opened (nominal: one block).", value: t.callbackGapMaxNs / 1e9 },
    { name: "ostinato_late_events_total", type: "counter", help: "Events that arrived after their frame and played at the next block.", value: t.lateEvents },
    { name: "ostinato_events_played_total", type: "counter", help: "Events that started a voice.", value: t.eventsPlayed },
    { name: "ostinato_stolen_voices_total", type: "counter", help: "Voices stolen because the pool was full.", value: t.stolenVoices },
    { name: "ostinato_unknown_sounds_total", type: "counter", help: "Events naming a sound the engine does not know.", value: t.unknownSounds },
    { name: "ostinato_cpu_load", type: "gauge", help: "Audio callback time over block duration (smoothed).", value: t.cpuLoad },
    { name: "ostinato_active_voices", type: "gauge", help: "Voices sounding now.", value: t.activeVoices },
    { name: "ostinato_queue_fill", type: "gauge", help: "Events waiting in the engine's ring.", value: t.ringFill },
    { name: "ostinato_pending_events", type: "gauge", help: "Events the audio thread holds for later frames.", value: t.pendingEvents },
    { name: "ostinato_device_lost", type: "gauge", help: "1 when the audio device died and the engine fell back to the null backend.", value: t.deviceLost },
    { name: "ostinato_device_losses_total", type: "counter", help: "Times the audio device died under the engine.", value: t.deviceLosses },
    { name: "ostinato_device_returns_total", type: "counter", help: "Times a lost JACK device came back and the engine went back to it.", value: t.deviceReturns },
    { name: "ostinato_recording", type: "gauge", help: "1 while the output is being recorded.", value: t.recording },
    { name: "ostinato_record_dropped_frames", type: "gauge", help: "Frames of the current take the recording ring had no room for (a slow disk).", value: t.recordDropped },
    { name: "ostinato_record_lost_frames", type: "gauge", help: "Frames of the current take the disk refused (full).", value: t.recordLost },
    { name: "ostinato_cps", type: "gauge", help: "Tempo in cycles per second.", value: live.cps },
    { name: "ostinato_link_enabled", type: "gauge", help: "1 while in an Ableton Link session.", value: link.on ? 1 : 0 },
    { name: "ostinato_link_peers", type: "gauge", help: "Other peers in the Link session.", value: link.peers },
    { name: "ostinato_link_bpm", type: "gauge", help: "The Link session's tempo, BPM (0 while off).", value: link.bpm },
    { name: "ostinato_link_playing", type: "gauge", help: "1 while the transport plays: the Link session's while Link is on (start/stop sync), ours while off.", value: link.playing ? 1 : 0 },
    { name: "ostinato_slots", type: "gauge", help: "Pattern slots in place.", value: live.slotStates().length },
    { name: "ostinato_worker_restarts_total", type: "counter", help: "Times the watchdog restarted a hung live worker.", value: live.restarts },
    { name: "ostinato_worker_takeovers_total", type: "counter", help: "Times the standby live worker took over from the playing one.", value: live.takeovers },
    { name: "ostinato_clients", type: "gauge", help: "Connected WebSocket clients.", value: commands.ctx.clientCount() },
  ];
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, `${m.name} ${format(m.value)}`);
  }
  lines.push(...renderHistogram(t));
  return `${lines.join("\n")}\n`;
}

/** The render-time histogram, in shares of the block's duration (1 = the whole budget). */
function renderHistogram(t: Telemetry): string[] {
  const name = "ostinato_render_budget_share";
  const budgetNs = health(t).engine.budgetMs * 1e6;
  const lines = [`# HELP ${name} CPU time of each audio callback's render over its block's duration (above 1: an engine overrun).`, `# TYPE ${name} histogram`];
  let cumulative = 0;
  const edges = libraryTables().renderHistEdges;
  edges.forEach((edge, i) => {
    cumulative += t.renderHist[i]!;
    lines.push(`${name}_bucket{le="${edge}"} ${cumulative}`);
  });
  cumulative += t.renderHist[edges.length]!;
  lines.push(`${name}_bucket{le="+Inf"} ${cumulative}`, `${name}_sum ${format(budgetNs > 0 ? t.renderCpuNs / budgetNs : 0)}`, `${name}_count ${cumulative}`);
  return lines;
}

function format(v: number): string {
  return Number.isFinite(v) ? String(v) : "NaN";
}
