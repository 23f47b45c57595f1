/**
 * The shape of a benchmark module: test/bench/<name>.bench.ts exports
 * `run(options)`, which returns tables to print (or plain row objects, which
 * become one table), and optionally `name` (default: the file's name) and
 * `description`.
 * @module
 */
export interface BenchOptions {
  /** timed runs per case (the median is reported) */
  runs: number;
  /** untimed runs before them */
  warmup: number;
}

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface BenchModule {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchTable[]>;
}
