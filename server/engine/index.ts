/**
 * The native engine binding: Engine, EventBuffer, telemetry, devices.
 * @module
 */
export { Engine, SCOPE_MAX_FRAMES, AUDIO_FILE_FORMATS, writeErrorText, type SharedEngine, type SampleInfo, type RecordingInfo, type AudioFileFormat } from "./engine.ts";
export { EventBuffer, EVENT_NOTE, EVENT_RELEASE, EVENT_CLEAR, EVENT_FADE_FX, SLOT_ALL, DUR_FOREVER, drumKitOf, type Controls, type SampleResolver, type SampleRef, type EventBufferOptions } from "./event-buffer.ts";
export { SampleLibrary, SampleError, AUDIO_EXTENSIONS, type SampleMap, type SampleLoader, type LibraryOptions } from "./samples.ts";
export { SampleCache, DownloadError, defaultCacheDir, type CacheOptions } from "./sample-cache.ts";
export { githubBase, isRemote, isUrl, mapUrl, DEFAULT_GITHUB_BASE, STRUDEL_DEFAULTS } from "./sample-urls.ts";
export { EngineError } from "./errors.ts";
export { BACKENDS, type BackendName, type EngineConfig } from "./config.ts";
export { createTelemetry, type Telemetry } from "./telemetry.ts";
export { health, type Health, type EngineHealth, type HostHealth } from "./health.ts";
export { listDevices, type DeviceInfo } from "./devices.ts";
export { libraryTables, soundLevel, type ParamInfo } from "./tables.ts";
