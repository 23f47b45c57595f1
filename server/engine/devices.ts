/**
 * The PortAudio output devices, as a snapshot.
 * @module
 */
import type { Pointer } from "bun:ffi";
import { check } from "./errors.ts";
import { native } from "./symbols.ts";

export interface DeviceInfo {
  /** PortAudio's device index (what `device: number` means). */
  index: number;
  name: string;
  hostApi: string;
  maxOutputChannels: number;
  defaultSampleRate: number;
  /** The device's default low output latency, seconds. */
  defaultLowLatency: number;
  isDefault: boolean;
}

/** Lists the output devices PortAudio sees now (opens and closes PortAudio). */
export function listDevices(): DeviceInfo[] {
  const lib = native();
  const out = new BigUint64Array(1);
  check("listDevices", lib.ost_devices_open(out));
  const list = Number(out[0]) as Pointer;
  try {
    const count = lib.ost_devices_count(list);
    const def = lib.ost_devices_default(list);
    const devices: DeviceInfo[] = [];
    for (let i = 0; i < count; i++) {
      devices.push({
        index: lib.ost_devices_pa_index(list, i),
        name: String(lib.ost_devices_name(list, i)),
        hostApi: String(lib.ost_devices_host_api(list, i)),
        maxOutputChannels: lib.ost_devices_max_channels(list, i),
        defaultSampleRate: lib.ost_devices_default_rate(list, i),
        defaultLowLatency: lib.ost_devices_low_latency(list, i),
        isDefault: i === def,
      });
    }
    return devices;
  } finally {
    lib.ost_devices_close(list);
  }
}
