/**
 * Values from outside the program, as signals: Tidal's `/ctrl` key-values
 * sent to the OSC control port (`ctrl("name")`), and MIDI controllers
 * (`midin`, when MIDI input exists). The live worker writes the store as
 * values arrive; a pattern reads the latest value when it is queried, so a
 * change is heard within the scheduler's queue depth.
 * @module
 */
import { Hap } from "./hap.ts";
import { Pattern } from "./pattern.ts";

/** The latest value of each key (the live worker's; empty in an offline render). */
const values = new Map<string, number | string>();

/** Sets a key's value (the live worker, on an OSC /ctrl message). */
export function setExternalValue(key: string, value: number | string): void {
  values.set(key, value);
}

/** Forgets every value (a fresh worker starts with what the main thread replays). */
export function clearExternalValues(): void {
  values.clear();
}

/**
 * The latest value sent to `/ctrl` for `name` (Tidal's OSC controller
 * input), as a continuous signal; `fallback` (default 0) until one arrives.
 * @example
 * s("bd*4").lpf(ctrl("cutoff", 800))
 */
export function ctrl(name: string | Pattern<unknown>, fallback: number | string = 0): Pattern<number | string> {
  // In the REPL a double-quoted name is mini-notation: a one-word pattern, its value the name.
  const key = String(name instanceof Pattern ? (name._pure ? name._pure.value : name.queryArc(0, 1)[0]?.value) : name);
  return new Pattern<number | string>((state, out) => {
    out.push(new Hap(undefined, state.span, values.get(key) ?? fallback));
  });
}
