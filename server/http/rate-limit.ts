/**
 * Per-client token buckets, so that one client evaluating in a loop cannot
 * starve the scheduler or the other musicians.
 * @module
 */

export type RateLimit = { perSecond: number; burst: number };

/** Default for evaluations: 10 per second sustained, bursts of 20. */
export const EVAL_RATE: RateLimit = { perSecond: 10, burst: 20 };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `client`; returns 0 when allowed, else the seconds to wait. */
  take(client: string): number {
    const t = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.limit.burst, at: t };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((t - b.at) / 1000) * this.limit.perSecond);
    b.at = t;
    this.buckets.set(client, b);
    if (this.buckets.size > 10_000) this.prune(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.limit.perSecond;
  }

  /** Forgets a client (a closed WebSocket). */
  forget(client: string): void {
    this.buckets.delete(client);
  }

  private prune(t: number): void {
    const full = (this.limit.burst / this.limit.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (t - b.at > full) this.buckets.delete(k);
  }
}
