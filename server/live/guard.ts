/**
 * What user code in the live worker cannot take away from it. Programs run
 * in the worker's own realm and can reach its globals, so the worker keeps
 * what it depends on out of their hands:
 *
 * - the timers and clock it schedules with are captured before any program
 *   runs (a program that reassigns `setTimeout` changes only its own);
 * - a program's timers (setTimeout, setInterval) belong to its evaluation:
 *   their callbacks run marked with the program's buffer, so the watchdog
 *   blames the right program when one hangs; an exception in one is
 *   reported, never fatal; and they are cleared when the program is
 *   replaced, fails, passes its deadline, or on hush;
 * - unhandled rejections and uncaught exceptions are caught and reported
 *   (they would otherwise end the worker), and a program cannot remove the
 *   listeners that catch them;
 * - `process.exit()` and friends throw a clear error instead of ending the
 *   worker; the worker's global postMessage is taken away, so a program
 *   cannot forge messages (the worker talks to the main thread on a
 *   MessagePort only it holds).
 *
 * None of this is a sandbox: a determined program can still reach things.
 * The main thread does not trust the worker (see session.ts): it acts on the
 * engine itself and replaces a worker that stops answering.
 * @module
 */
/// <reference lib="webworker" />

type Timer = ReturnType<typeof setTimeout>;

/** The worker's own timers and clock, captured before any program runs. */
export const clock = {
  setTimeout: globalThis.setTimeout.bind(globalThis) as typeof setTimeout,
  clearTimeout: globalThis.clearTimeout.bind(globalThis) as typeof clearTimeout,
  setInterval: globalThis.setInterval.bind(globalThis) as typeof setInterval,
  clearInterval: globalThis.clearInterval.bind(globalThis) as typeof clearInterval,
  now: performance.now.bind(performance),
};

/** Atomics, captured (a program may replace the global's methods). */
export const atomic = { add: Atomics.add, load: Atomics.load, store: Atomics.store };

/** How a timer callback tells the watchdog whose code runs, and reports what it threw. */
export type TimerHooks = {
  /** False while the callbacks must not run (a standby worker runs no program's timer until it takes over). */
  allowed(): boolean;
  enter(owner: string): void;
  leave(): void;
  error(owner: string, err: unknown): void;
};

/** The timers one evaluation started; the program sees its methods as `setTimeout` etc. */
export class TimerScope {
  private readonly live = new Set<Timer>();
  private cleared = false;

  constructor(
    /** The buffer whose program owns these timers. */
    readonly owner: string,
    private readonly hooks: TimerHooks,
  ) {}

  /** The names a program sees. */
  names(): Record<string, unknown> {
    return {
      setTimeout: (fn: unknown, ms?: number, ...args: unknown[]) => this.start(false, fn, ms, args),
      setInterval: (fn: unknown, ms?: number, ...args: unknown[]) => this.start(true, fn, ms, args),
      clearTimeout: (t: Timer) => this.stop(t),
      clearInterval: (t: Timer) => this.stop(t),
    };
  }

  /** Ends every timer of the evaluation; later ones it starts do not run either. */
  clear(): void {
    this.cleared = true;
    for (const t of this.live) clock.clearInterval(t);
    this.live.clear();
  }

  get count(): number {
    return this.live.size;
  }

  private start(repeat: boolean, fn: unknown, ms: number | undefined, args: unknown[]): Timer | undefined {
    if (typeof fn !== "function") throw new TypeError(`${repeat ? "setInterval" : "setTimeout"} needs a function (got ${typeof fn})`);
    if (this.cleared) return undefined;
    // At least 1 ms between runs, so an interval cannot spin the worker.
    const delay = Math.max(repeat ? 1 : 0, Number(ms) || 0);
    const run = () => {
      if (!repeat) this.live.delete(timer);
      if (!this.hooks.allowed()) return;
      this.hooks.enter(this.owner);
      try {
        (fn as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        this.hooks.error(this.owner, err);
      } finally {
        this.hooks.leave();
      }
    };
    const timer = repeat ? clock.setInterval(run, delay) : clock.setTimeout(run, delay);
    this.live.add(timer);
    return timer;
  }

  private stop(t: Timer): void {
    if (!this.live.has(t)) return;
    clock.clearInterval(t);
    this.live.delete(t);
  }
}

/**
 * Catches what would end the worker: an unhandled rejection (a `fetch`
 * without `await`) or an exception thrown outside any call the worker
 * made (an async callback). `report` is called with the error.
 */
export function catchStrays(report: (err: unknown, kind: "unhandled rejection" | "uncaught exception") => void): void {
  const onRejection = (reason: unknown) => report(reason, "unhandled rejection");
  const onException = (err: unknown) => report(err, "uncaught exception");
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  // A program that takes these away and then rejects would end the worker: they stay.
  const ours = new Set<unknown>([onRejection, onException]);
  const p = process as unknown as Record<string, (...a: unknown[]) => unknown>;
  const removeAll = p.removeAllListeners!.bind(process);
  const remove = p.removeListener!.bind(process);
  p.removeAllListeners = (event?: unknown) => {
    if (event === undefined || event === "unhandledRejection" || event === "uncaughtException") {
      for (const name of event === undefined ? process.eventNames() : [event]) {
        for (const l of process.listeners(name as "exit")) if (!ours.has(l)) remove(name, l);
      }
      return process;
    }
    return removeAll(event);
  };
  p.removeListener = p.off = (event: unknown, listener: unknown) => (ours.has(listener) ? process : remove(event, listener));
}

/** Makes process.exit() and the like throw a clear error instead of ending the worker. */
export function disarmProcess(): void {
  for (const name of ["exit", "reallyExit", "abort", "kill"] as const) {
    const p = process as unknown as Record<string, unknown>;
    if (typeof p[name] !== "function") continue;
    p[name] = () => {
      // A plain Error, so that it is placed at the program's line like any other throw.
      throw new Error(`process.${name}() is not available in a program: it would stop the live worker, not just the program`);
    };
  }
}

/** Takes the global postMessage away from programs (the worker posts on its own port). */
export function hidePostMessage(scope: { postMessage?: unknown }): void {
  const refuse = () => {
    throw new Error("postMessage is not available in a program: the live worker's channel is its own");
  };
  try {
    Object.defineProperty(scope, "postMessage", { value: refuse, writable: false, configurable: false });
  } catch {
    // already locked: the main thread ignores and bounds what arrives there anyway
  }
}

/**
 * A `fetch` that remembers where the program called it, so a rejection
 * nobody awaited is reported at the program's line (the network error's own
 * stack has none of the program's frames).
 */
export function fetchWithSite(): typeof fetch {
  const real = globalThis.fetch.bind(globalThis);
  return ((...args: Parameters<typeof fetch>) => {
    const site = new Error("fetch");
    return real(...args).catch((err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      Object.defineProperty(e, "programSite", { value: site.stack ?? "" });
      throw e;
    });
  }) as typeof fetch;
}
