/**
 * EngineProducer: pushes events into an engine opened on another thread.
 *
 * The event ring has one producer. When the engine is owned by one thread
 * (say the main thread, which reads telemetry) and events come from another
 * (the live worker), the owner hands `engine.producerHandle()` to that
 * thread, which wraps it in an EngineProducer. The owner must not close the
 * engine while a producer may still push: close the producer side first.
 * @module
 */
import { check, EngineError } from "./errors.ts";
import type { EventBuffer } from "./event-buffer.ts";
import { native } from "./symbols.ts";

export class EngineProducer {
  #handle: number | null;

  /** @param handle from `engine.producerHandle()` on the owning thread */
  constructor(handle: number) {
    if (!Number.isSafeInteger(handle) || handle <= 0) throw new EngineError("EngineProducer", `not an engine handle: ${handle}`);
    this.#handle = handle;
  }

  /** As Engine.push: returns how many events the ring took. */
  push(buffer: EventBuffer): number {
    if (this.#handle === null) throw new EngineError("EngineProducer.push", "the producer is detached");
    if (buffer.length === 0) return 0;
    return check("EngineProducer.push", native().ost_engine_push(this.#handle, buffer.bytes, buffer.length), `${buffer.length} events`);
  }

  /** Stops using the engine; later pushes throw. */
  detach(): void {
    this.#handle = null;
  }
}
