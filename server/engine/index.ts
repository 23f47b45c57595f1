/**
 * The native engine binding: Engine, EventBuffer, telemetry, devices.
 * @module
 */
export { Engine, SCOPE_MAX_FRAMES, type SharedEngine } from "./engine.ts";
export { EventBuffer, EVENT_NOTE, EVENT_RELEASE, EVENT_CLEAR, SLOT_ALL, DUR_FOREVER, type Controls } from "./event-buffer.ts";
export { EngineError } from "./errors.ts";
export { BACKENDS, type BackendName, type EngineConfig } from "./config.ts";
export { createTelemetry, type Telemetry } from "./telemetry.ts";
export { listDevices, type DeviceInfo } from "./devices.ts";
export { libraryTables, type ParamInfo } from "./tables.ts";
