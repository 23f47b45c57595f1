/**
 * The user's code on disk: pattern files, editor buffers and their history.
 * Every write is atomic (temp file, fsync, rename).
 * @module
 */
export { writeFileAtomic, removeStaleTemps } from "./atomic.ts";
export { InvalidNameError, checkName, patternFileName, PATTERN_EXTENSIONS } from "./names.ts";
export { PatternStore, PatternNotFoundError, MAX_PATTERN_BYTES, type PatternInfo } from "./patterns.ts";
export { BufferStore, HISTORY_SIZE, type BufferState, type HistoryEntry } from "./buffers.ts";
export { PlayingStore, type PlayingState } from "./playing.ts";
export { KeyedQueue } from "./serial.ts";
