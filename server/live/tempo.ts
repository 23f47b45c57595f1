/**
 * The piecewise map between cycles and engine frames (design: Time).
 * Each piece says: from `frame` on, cycle = `cycle` + (f - frame) * cps / rate.
 * A tempo change starts a new piece at an integer frame, with the cycle that
 * frame had under the old tempo, so nothing already scheduled moves and the
 * cycle position is continuous across the change.
 * @module
 */

export type TempoPiece = {
  /** First engine frame of the piece (an integer). */
  frame: number;
  /** Cycle position at `frame`. */
  cycle: number;
  /** Cycles per second from `frame` on. */
  cps: number;
  /**
   * Set on a jump (following Link's phase): the cycle the previous piece had
   * reached at `frame`. Cycles in [skippedFrom, cycle) are skipped: they
   * have no frame of their own (frameAt gives `frame`), and skips() says so.
   */
  skippedFrom?: number;
};

/** The slowest and fastest tempo accepted: 1 cycle per 100 s .. 100 cycles per s. */
export const MIN_CPS = 0.01;
export const MAX_CPS = 100;

/** How many pieces are kept; older ones are only needed to describe the past. */
const MAX_PIECES = 16;

export class TempoMap {
  private pieces: TempoPiece[];

  constructor(
    /** Engine sample rate in Hz. */
    readonly rate: number,
    cps = 0.5,
    start: { frame: number; cycle: number } = { frame: 0, cycle: 0 },
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`TempoMap: sample rate must be a positive number, got ${rate}`);
    this.pieces = [{ frame: start.frame, cycle: start.cycle, cps: checkCps(cps) }];
  }

  /** Rebuilds a map from pieces (e.g. handed over to a fresh worker). */
  static fromPieces(rate: number, pieces: readonly TempoPiece[]): TempoMap {
    if (pieces.length === 0) throw new RangeError("TempoMap.fromPieces: no pieces");
    const map = new TempoMap(rate, pieces[0]!.cps, pieces[0]!);
    map.pieces = pieces.map((p) => ({ ...p, cps: checkCps(p.cps) }));
    return map;
  }

  /** The pieces, oldest first (a copy). */
  toPieces(): TempoPiece[] {
    return this.pieces.map((p) => ({ ...p }));
  }

  /** Cycles per second at a frame (the latest tempo when no frame is given). */
  cps(frame = Infinity): number {
    return this.pieceAtFrame(frame).cps;
  }

  /** The cycle position at an engine frame (fractional frames allowed). */
  cycleAt(frame: number): number {
    const p = this.pieceAtFrame(frame);
    return p.cycle + ((frame - p.frame) * p.cps) / this.rate;
  }

  /** The engine frame (fractional) at which a cycle position is reached. */
  frameAt(cycle: number): number {
    const p = this.pieceAtCycle(cycle);
    return p.frame + ((cycle - p.cycle) * this.rate) / p.cps;
  }

  /**
   * Changes the tempo from an integer frame on. Pieces that would start after
   * that frame are dropped (a later change replaces an earlier pending one).
   */
  setCps(cps: number, atFrame: number): void {
    checkCps(cps);
    if (!Number.isFinite(atFrame)) throw new RangeError(`a tempo change needs a finite frame, got ${atFrame}`);
    const frame = Math.round(atFrame);
    const cycle = this.cycleAt(frame);
    this.pieces = this.pieces.filter((p) => p.frame < frame);
    this.pieces.push({ frame, cycle, cps });
    if (this.pieces.length > MAX_PIECES) this.pieces.splice(0, this.pieces.length - MAX_PIECES);
  }

  /**
   * Jumps forward: from the integer frame `atFrame` on, the cycle is `cycle`
   * (at least the cycle that frame had) at `cps`. How a follower catches a
   * session's phase without playing anything twice: the cycles between are
   * skipped. Pieces after that frame are dropped.
   */
  jump(cycle: number, cps: number, atFrame: number): void {
    checkCps(cps);
    const frame = Math.round(atFrame);
    const from = this.cycleAt(frame);
    if (!Number.isFinite(cycle) || cycle < from) throw new RangeError(`a tempo map jumps forward only: cycle ${cycle} is before ${from}`);
    this.pieces = this.pieces.filter((p) => p.frame < frame);
    this.pieces.push({ frame, cycle, cps, skippedFrom: from });
    if (this.pieces.length > MAX_PIECES) this.pieces.splice(0, this.pieces.length - MAX_PIECES);
  }

  /** Whether a piece kept is a jump (only then can skips() be true): the scheduler's cheap test per event. */
  get hasSkips(): boolean {
    for (const p of this.pieces) if (p.skippedFrom !== undefined) return true;
    return false;
  }

  /** Whether a jump skipped this cycle (it has no frame of its own). */
  skips(cycle: number): boolean {
    const ps = this.pieces;
    for (let i = ps.length - 1; i > 0; i--) {
      const p = ps[i]!;
      if (cycle >= p.cycle) return false;
      if (p.skippedFrom !== undefined && cycle >= p.skippedFrom) return true;
    }
    return false;
  }

  private pieceAtFrame(frame: number): TempoPiece {
    const ps = this.pieces;
    for (let i = ps.length - 1; i > 0; i--) if (frame >= ps[i]!.frame) return ps[i]!;
    return ps[0]!;
  }

  private pieceAtCycle(cycle: number): TempoPiece {
    const ps = this.pieces;
    for (let i = ps.length - 1; i > 0; i--) {
      const p = ps[i]!;
      if (cycle >= p.cycle) return p;
      // a skipped cycle: the jump's frame (as a piece whose cycle is that one)
      if (p.skippedFrom !== undefined && cycle >= p.skippedFrom) return { frame: p.frame, cycle, cps: p.cps };
    }
    return ps[0]!;
  }
}

/** Validates a tempo, with a message that says what is accepted. */
export function checkCps(cps: number): number {
  if (typeof cps !== "number" || !Number.isFinite(cps) || cps < MIN_CPS || cps > MAX_CPS) {
    throw new RangeError(`tempo must be between ${MIN_CPS} and ${MAX_CPS} cycles per second, got ${String(cps)}`);
  }
  return cps;
}
