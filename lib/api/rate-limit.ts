// Per-key request rate limiting for ingest (429 rate_limited with Retry-After): a token
// bucket per key, refilled continuously. Off unless LINKSCOPE_INGEST_RATE (requests per
// second per key) is set: the right number depends on the fleet, and a replaying proxy is
// better stopped than served.
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number = Math.max(1, ratePerS * 2),
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now: number = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerS);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerS));
  }
}

const holder = globalThis as unknown as { linkscopeIngestLimiter?: TokenBuckets | null };

export function ingestLimiter(): TokenBuckets | null {
  if (holder.linkscopeIngestLimiter === undefined) {
    const rate = Number(process.env.LINKSCOPE_INGEST_RATE);
    holder.linkscopeIngestLimiter = Number.isFinite(rate) && rate > 0 ? new TokenBuckets(rate) : null;
  }
  return holder.linkscopeIngestLimiter;
}
