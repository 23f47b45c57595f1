/**
 * The OSC control port (off by default; `--osc-port N`): the same commands as
 * REST for programs that speak OSC (a controller app, TouchOSC, a Tidal or
 * SuperCollider script), plus Tidal's `/ctrl` key-values as signals:
 *
 *   /eval CODE [BUFFER]   evaluate (as POST /api/eval)
 *   /hush                 silence everything
 *   /cps CPS              set the tempo
 *   /mute SLOT [0|1]      mute (1, default) or unmute (0) a slot; /solo alike
 *   /ctrl KEY VALUE ...   values read by ctrl("KEY") in patterns (pairs)
 *
 * Evaluating is running code, and OSC carries no token: the port binds
 * 127.0.0.1 unless `--osc-bind` says otherwise, and answers only loopback
 * senders and the addresses given with `--osc-allow`; anyone else is refused
 * (reported once per address) and changes nothing. A malformed packet or a
 * failing command is reported with what and where; the music plays on.
 * @module
 */
import type { Commands } from "./commands.ts";
import { decodeOsc, type OscArg, type OscMessage } from "./osc-decode.ts";

export type OscControlOptions = {
  port: number;
  /** The address to bind (default 127.0.0.1). */
  host?: string;
  /** Senders allowed besides loopback (IP addresses). */
  allow?: string[];
  commands: Commands;
  log: (line: string) => void;
};

export type OscControl = { port: number; close(): void };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export async function startOscControl(options: OscControlOptions): Promise<OscControl> {
  const allowed = new Set(options.allow ?? []);
  const refused = new Set<string>();
  const log = (line: string) => options.log(`ostinato: OSC control: ${line}`);
  const socket = await Bun.udpSocket({
    hostname: options.host ?? "127.0.0.1",
    port: options.port,
    socket: {
      data(_s, data, _port, address) {
        if (!LOOPBACK.test(address) && !allowed.has(address)) {
          if (!refused.has(address)) {
            refused.add(address);
            log(`refused a packet from ${address}: not an allowed sender (allow it with --osc-allow ${address})`);
          }
          return;
        }
        let messages: OscMessage[];
        try {
          messages = decodeOsc(new Uint8Array(data as unknown as Uint8Array));
        } catch (err) {
          return log(`${(err as Error).message} (from ${address})`);
        }
        for (const m of messages) void run(m, options.commands, address).catch((err: Error) => log(`${m.address} from ${address}: ${err.message}`));
      },
    },
  });
  return { port: socket.port, close: () => socket.close() };
}

const str = (a: OscArg | undefined, what: string, address: string): string => {
  if (typeof a !== "string") throw new RangeError(`${address} takes ${what} as a string`);
  return a;
};
const num = (a: OscArg | undefined, what: string, address: string): number => {
  if (typeof a !== "number" || !Number.isFinite(a)) throw new RangeError(`${address} takes ${what} as a number`);
  return a;
};
const flag = (a: OscArg | undefined) => a === undefined || a === true || (typeof a === "number" && a !== 0);

async function run(m: OscMessage, commands: Commands, sender: string): Promise<void> {
  const a = m.args;
  switch (m.address) {
    case "/eval": {
      const outcome = await commands.evaluate(str(a[0], "the code", m.address), { buffer: a[1] === undefined ? undefined : str(a[1], "the buffer", m.address), client: `osc:${sender}` });
      if (!outcome.ok) throw new Error(outcome.error.message);
      return;
    }
    case "/hush":
      return commands.hush();
    case "/cps":
      commands.setTempo({ cps: num(a[0], "the tempo (cycles per second)", m.address) });
      return;
    case "/mute":
      return commands.mute(str(a[0], "the slot", m.address), flag(a[1]));
    case "/solo":
      return commands.solo(str(a[0], "the slot", m.address), flag(a[1]));
    case "/ctrl":
      for (let i = 0; i + 1 < a.length; i += 2) {
        const value = a[i + 1];
        if (typeof value !== "number" && typeof value !== "string") throw new RangeError(`/ctrl ${String(a[i])} takes a number or a string`);
        commands.ctx.live.setCtrl(String(a[i]), value);
      }
      return;
    default:
      throw new RangeError(`unknown address (the control port knows /eval /hush /cps /mute /solo /ctrl)`);
  }
}
