/**
 * A program evaluated against the pattern library and the live helpers
 * (`setcps`, `setcpm`, `hush`). Helpers do not act while the program runs:
 * they are collected as effects, which the host (the live worker, or an
 * offline render) applies together with the program's patterns, so a
 * program that fails halfway changes nothing.
 * @module
 */
import { isPattern, mini, reify, type Pattern } from "../pattern/index.ts";
import { library } from "../pattern/library.ts";
import { evaluateProgram, type PatternHooks, type PlayedPattern } from "./evaluate.ts";
import type { PositionMap } from "./position-map.ts";
import { checkCps } from "./tempo.ts";

export type ProgramEffects = {
  /** The last tempo the program set, in cycles per second. */
  cps?: number;
  /** The program called hush(): everything else stops. */
  hush?: boolean;
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
    return reify(x as never);
  },
};


export async function evaluate(source: string): Promise<EvaluatedProgram> {
  const effects: ProgramEffects = {};
  const helpers = {
    setcps: (cps: unknown) => void (effects.cps = checkCps(Number(cps))),
    setCps: (cps: unknown) => void (effects.cps = checkCps(Number(cps))),
    setcpm: (cpm: unknown) => void (effects.cps = checkCps(Number(cpm) / 60)),
    setCpm: (cpm: unknown) => void (effects.cps = checkCps(Number(cpm) / 60)),
    hush: () => void (effects.hush = true),
  };
  const { played, transpiled } = await evaluateProgram(source, library, helpers, hooks);
  return { played, map: transpiled.map, effects };
}
