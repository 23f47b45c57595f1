// A real UDP receiver on 127.0.0.1 that decodes what arrives with an
// independent OSC library (osc-min, a test-only dependency), as SuperDirt
// would: each bundle's time tag and its /dirt/play key-value arguments.
import { fromBuffer } from "osc-min";

export type DirtBundle = {
  /** The time tag as Unix seconds (from NTP seconds since 1900). */
  time: number;
  /** The raw NTP words, for exact comparisons. */
  ntp: [number, number];
  address: string;
  /** The arguments as SuperDirt reads them: key, value, key, value ... */
  args: Record<string, number | string>;
  /** The OSC type of each value (i, f, s). */
  types: Record<string, string>;
  /** When it arrived (Date.now(), ms). */
  arrived: number;
};

export type OscReceiver = { port: number; bundles: DirtBundle[]; close(): void };

const NTP_UNIX = 2208988800;
const TYPE = { integer: "i", float: "f", string: "s" } as Record<string, string>;

export async function oscReceiver(): Promise<OscReceiver> {
  const bundles: DirtBundle[] = [];
  const socket = await Bun.udpSocket({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(_s, data) {
        const packet = fromBuffer(new Uint8Array(data as unknown as Uint8Array)) as unknown as {
          oscType: string;
          timetag: [number, number];
          elements: { oscType: string; address: string; args: { type: string; value: number | string }[] }[];
        };
        if (packet.oscType !== "bundle") throw new Error(`not a bundle: ${JSON.stringify(packet)}`);
        for (const m of packet.elements) {
          const args: Record<string, number | string> = {};
          const types: Record<string, string> = {};
          for (let i = 0; i + 1 < m.args.length; i += 2) {
            const key = m.args[i]!;
            if (key.type !== "string") throw new Error(`argument ${i} is not a key: ${JSON.stringify(key)}`);
            args[key.value as string] = m.args[i + 1]!.value;
            types[key.value as string] = TYPE[m.args[i + 1]!.type] ?? m.args[i + 1]!.type;
          }
          const [s, f] = packet.timetag;
          bundles.push({ time: s - NTP_UNIX + f / 4294967296, ntp: [s, f], address: m.address, args, types, arrived: Date.now() });
        }
      },
    },
  });
  return { port: socket.port, bundles, close: () => socket.close() };
}
