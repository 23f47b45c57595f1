/**
 * A program evaluated against the pattern library and the live helpers
 * (`setcps`, `setcpm`, `hush`, `samples`, `record`). Helpers do not act
 * while the program runs: they are collected as effects, which the host
 * (the live worker, or an offline render) applies together with the
 * program's patterns, so a program that fails halfway changes nothing.
 * @module
 */
import { Pattern, isPattern, mini, reify, setPlainStrings, type PatternLike } from "../pattern/index.ts";
import { library } from "../pattern/library.ts";
import { evaluateProgram, runtimeError, type PatternHooks, type PlayedPattern } from "./evaluate.ts";
import type { PositionMap } from "./position-map.ts";
import { checkCps } from "./tempo.ts";
import type { SampleMap } from "../engine/index.ts";

/** What `record(...)` asked for: start a take with this name, or stop. */
export type RecordRequest = { start: string } | { stop: true };

export type ProgramEffects = {
  /** The last tempo the program set, in cycles per second. */
  cps?: number;
  /** The program called hush(): everything else stops. */
  hush?: boolean;
  /** Sample sources the program named with samples(...): folders, JSON maps, map objects. */
  samples?: (string | SampleMap)[];
  /** The program called record(...). */
  record?: RecordRequest;
  /** The program called link(on): join (true) or leave (false) the Ableton Link session. */
  link?: boolean;
};

export type EvaluatedProgram = {
  played: PlayedPattern<Pattern>[];
  map: PositionMap;
  effects: ProgramEffects;
};

const hooks: PatternHooks<Pattern> = {
  mini: (source, offset) => mini(source, { offset }),
  isPattern: (x): x is Pattern => isPattern(x),
  reify: (x) => {
    if (x === null || (typeof x === "object" && !Array.isArray(x))) throw new TypeError("not patternable");
    return reify(x as PatternLike<unknown>);
  },
  plainStrings: setPlainStrings,
  methodNames: () => Object.getOwnPropertyNames(Pattern.prototype),
};


/**
 * Evaluates a program. `host` adds names the program sees (the live
 * worker's timers, which belong to the evaluation); `id` names its code in
 * stack traces.
 */
export async function evaluate(source: string, options: { id?: number; host?: Record<string, unknown> } = {}): Promise<EvaluatedProgram> {
  const effects: ProgramEffects = {};
  // Strudel's REPL `all(f)`: f applies to every pattern the program plays, once the program has run.
  const everywhere: ((p: Pattern) => unknown)[] = [];
  const helpers = {
    all: (f: unknown) => {
      if (typeof f !== "function") throw new TypeError(`all() expects a function of a pattern, such as all(x => x.gain(0.8)); got ${typeof f}`);
      everywhere.push(f as (p: Pattern) => unknown);
    },
    setcps: (cps: unknown) => void (effects.cps = checkCps(Number(cps))),
    setCps: (cps: unknown) => void (effects.cps = checkCps(Number(cps))),
    setcpm: (cpm: unknown) => void (effects.cps = checkCps(Number(cpm) / 60)),
    setCpm: (cpm: unknown) => void (effects.cps = checkCps(Number(cpm) / 60)),
    hush: () => void (effects.hush = true),
    link: (on: unknown = true) => void (effects.link = on !== false && on !== 0),
    samples: (source: unknown, base?: unknown) => {
      if (typeof source === "string") {
        const src = typeof base === "string" && !/^[a-z]+:/i.test(source) ? `${base.replace(/\/$/, "")}/${source}` : source;
        (effects.samples ??= []).push(src);
      } else if (source && typeof source === "object" && !Array.isArray(source)) {
        const map = { ...(source as SampleMap) };
        if (typeof base === "string" && map._base === undefined) map._base = base;
        (effects.samples ??= []).push(map);
      } else {
        throw new TypeError(`samples(...) takes a folder, a JSON file or a sample map (got ${source === null ? "null" : typeof source})`);
      }
    },
    record: (name?: unknown) => {
      if (name === false || name === null) effects.record = { stop: true };
      else effects.record = { start: typeof name === "string" && name ? name : "take" };
    },
  };
  const { played, transpiled } = await evaluateProgram(source, library, { ...options.host, ...helpers }, hooks, options.id);
  for (const f of everywhere) {
    for (const p of played) {
      let out: unknown;
      try {
        out = f(p.pattern);
      } catch (err) {
        throw runtimeError(err, "evaluate", transpiled.map);
      }
      if (!isPattern(out)) throw runtimeError(new TypeError(`all(f): f returned ${out === undefined ? "nothing" : typeof out}, not a pattern (write x => x.gain(0.8), without braces)`), "evaluate", transpiled.map);
      p.pattern = out;
    }
  }
  return { played, map: transpiled.map, effects };
}
