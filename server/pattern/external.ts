/**
 * Values from outside the program, as signals: Tidal's `/ctrl` key-values
 * sent to the OSC control port (`ctrl("name")`), MIDI controllers
 * (`midin(input)` gives `cc(number, channel?)`, as Strudel's, and
 * `cc.sysex(id?)`, the last SysEx message) and the keys held on a MIDI
 * keyboard (`midikeys(input)`). The live worker writes the
 * store as values arrive; a pattern reads the latest value when it is
 * queried, so a change is heard within the scheduler's queue depth.
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
  midiValues.clear();
  heldKeys.clear();
  sysexes.clear();
}

/** MIDI CC values, 0..1, by `${input}|${channel}|${cc}` (channel 1..16, or 0: the last on any channel). */
const midiValues = new Map<string, number>();
/** Keys held per input: note number to velocity 0..1, in the order pressed. */
const heldKeys = new Map<string, Map<number, number>>();
/** The last SysEx message per input, whole (F0..F7): by `${input}|` and by `${input}|${id}`. */
const sysexes = new Map<string, number[]>();

/** Opens a MIDI input for `midin`/`midikeys` and says what it is called (the live worker's). */
export type MidiInputOpener = (input: string | number | undefined) => string;
let openMidiInput: MidiInputOpener = (input) => String(input ?? "");

/** The live worker's MIDI input (elsewhere, as in an offline render, inputs stay silent). */
export function setMidiInputOpener(open: MidiInputOpener): void {
  openMidiInput = open;
}

/** A message received on a MIDI input (the live worker, for each one). */
export function receiveMidi(input: string, status: number, data1: number, data2: number): void {
  const kind = status & 0xf0;
  const channel = (status & 15) + 1;
  if (kind === 0xb0) {
    midiValues.set(`${input}|${channel}|${data1}`, data2 / 127);
    midiValues.set(`${input}|0|${data1}`, data2 / 127);
    return;
  }
  if (kind !== 0x90 && kind !== 0x80) return;
  let held = heldKeys.get(input);
  if (!held) heldKeys.set(input, (held = new Map()));
  held.delete(data1);
  if (kind === 0x90 && data2 > 0) held.set(data1, data2 / 127);
}

/** A SysEx message received on a MIDI input (the live worker, for each one): F0, id, data, F7. */
export function receiveSysex(input: string, bytes: ArrayLike<number>): void {
  const message = Array.from(bytes);
  sysexes.set(`${input}|`, message);
  if (message.length > 2) sysexes.set(`${input}|${message[1]}`, message);
}

/**
 * What an input had before this worker (a live worker restarted by the
 * watchdog, or a standby taking over): CC values as [channel (0: any), cc,
 * value 0..1] and the keys held as [note, velocity 0..1] in the order pressed.
 */
export function seedMidi(input: string, ccs: readonly (readonly [number, number, number])[], held: readonly (readonly [number, number])[]): void {
  for (const [channel, cc, value] of ccs) midiValues.set(`${input}|${channel}|${cc}`, value);
  const keys = new Map<number, number>();
  for (const [note, velocity] of held) keys.set(note, velocity);
  heldKeys.set(input, keys);
}

/**
 * A MIDI input's controllers: `cc(number, channel?)` is the controller's
 * latest value, 0..1, as a signal; `cc.sysex(id?)` the last SysEx message
 * (with that manufacturer id, when given) as its bytes F0..F7, [] until one comes.
 */
export type MidiControllers = ((cc: number, channel?: number) => Pattern<number>) & { sysex(id?: number): Pattern<number[]> };

/**
 * Listens to a MIDI input (a MIDI output port of JACK or the ALSA
 * sequencer: its name, a part of it, or its index in `ostinato midi --in`'s
 * list; none: our port "in", for the user to connect) and gives its
 * controllers as signals, 0..1: `cc(74)` is the latest value of CC 74 on any
 * channel, `cc(74, 2)` on channel 2 only; `cc.sysex(id?)` is the last SysEx
 * message (of that manufacturer id), its bytes F0..F7, `[]` until one comes.
 * Strudel's `const cc = await midin(...)` works as it is.
 * @example
 * note("c a f e").s("sawtooth").lpf(midin("nanoKONTROL")(74).range(200, 4000))
 */
export function midin(input?: string | number | Pattern<unknown>): MidiControllers {
  const name = openMidiInput(inputName(input));
  const cc = (cc: number, channel = 0) => {
    const key = `${name}|${Number(channel)}|${Number(cc)}`;
    return new Pattern<number>((state, out) => {
      out.push(new Hap(undefined, state.span, midiValues.get(key) ?? 0));
    });
  };
  const sysex = (id?: number) => {
    const key = `${name}|${id === undefined ? "" : Number(id)}`;
    return new Pattern<number[]>((state, out) => {
      out.push(new Hap(undefined, state.span, sysexes.get(key) ?? []));
    });
  };
  return Object.assign(cc, { sysex });
}

/**
 * The keys held on a MIDI keyboard (the input as for `midin`), as a signal:
 * one value `{ note, velocity }` per key held while it is held. Give it a
 * structure to play it: `midikeys().segment(8)` plays the chord held 8 times
 * a cycle, `.arp("up")` one key at a time.
 * @example
 * midikeys("keyboard").segment(8).arp("up").s("sawtooth")
 */
export function midikeys(input?: string | number | Pattern<unknown>): Pattern<{ note: number; velocity: number }> {
  const name = openMidiInput(inputName(input));
  return new Pattern((state, out) => {
    const held = heldKeys.get(name);
    if (!held) return;
    for (const [note, velocity] of held) out.push(new Hap(undefined, state.span, { note, velocity }));
  });
}

/** In the REPL a double-quoted name is mini-notation: a one-word pattern, its value the name ("a:b" a list). */
function inputName(input: string | number | Pattern<unknown> | undefined): string | number | undefined {
  if (!(input instanceof Pattern)) return input;
  const value = input._pure ? input._pure.value : input.queryArc(0, 1)[0]?.value;
  return Array.isArray(value) ? value.join(":") : String(value);
}

/**
 * The latest value sent to `/ctrl` for `name` (Tidal's OSC controller
 * input), as a continuous signal; `fallback` (default 0) until one arrives.
 * @example
 * s("bd*4").lpf(ctrl("cutoff", 800))
 */
export function ctrl(name: string | Pattern<unknown>, fallback: number | string = 0): Pattern<number | string> {
  const key = String(inputName(name));
  return new Pattern<number | string>((state, out) => {
    out.push(new Hap(undefined, state.span, values.get(key) ?? fallback));
  });
}
