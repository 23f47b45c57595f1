/** Small shared set-ups for the engine tests. */
import { Engine, EventBuffer, type Controls, type EngineConfig } from "../../server/engine/index.ts";

/** An offline engine with the given options. */
export function offline(config: EngineConfig = {}): Engine {
  return Engine.open({ backend: "offline", ...config });
}

/** Pushes notes ({controls, at, dur, slot}) and checks they were all taken. */
export function pushNotes(engine: Engine, notes: { controls: Controls; at: number; dur: number; slot?: number }[]): void {
  const buf = new EventBuffer(Math.max(1, notes.length));
  for (const n of notes) buf.add(n.controls, n.at, n.dur, n.slot ?? 0);
  const taken = engine.push(buf);
  if (taken !== buf.length) throw new Error(`pushed ${notes.length} notes (${buf.length} records), the ring took ${taken}`);
}

/** Opens an offline engine, pushes the notes, renders `frames`, closes it. */
export function renderNotes(notes: { controls: Controls; at: number; dur: number; slot?: number }[], frames: number, config: EngineConfig = {}): Float32Array {
  const engine = offline(config);
  try {
    pushNotes(engine, notes);
    return engine.render(frames);
  } finally {
    engine.close();
  }
}
