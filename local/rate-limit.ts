import type { QuotaPeriod, RateLimit } from "../model";

/** A refusal: 429 with the seconds to wait (`Retry-After`). */
export interface Throttled {
  retryAfterSeconds: number;
  message: string;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Count {
  window: number;
  used: number;
}

/** Upper bound on tracked callers, so a flood of client addresses cannot grow memory without end. */
const MAX_ENTRIES = 100_000;

/**
 * Token buckets (rate + burst) and period quotas, keyed by route and caller: the consumer (API key)
 * or JWT subject where the route identifies one, else the client address — the model's rule
 * (DESIGN.md §1). Buckets refill lazily on use; nothing runs in the background.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas = new Map<string, Count>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from the route's budget; returns the refusal, or undefined when allowed. */
  take(routeKey: string, caller: string, limit: RateLimit): Throttled | undefined {
    const id = `${routeKey}\u0000${caller}`;
    const t = this.now();
    let b = this.buckets.get(id);
    if (!b) {
      if (this.buckets.size >= MAX_ENTRIES) this.buckets.clear();
      b = { tokens: limit.burst, at: t };
      this.buckets.set(id, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.ratePerSecond);
      b.at = t;
    }
    if (b.tokens < 1) {
      return { retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / limit.ratePerSecond)), message: "Too Many Requests" };
    }
    if (limit.quota) {
      const window = windowStart(limit.quota.period, t);
      let q = this.quotas.get(id);
      if (!q || q.window !== window) {
        if (this.quotas.size >= MAX_ENTRIES) this.quotas.clear();
        q = { window, used: 0 };
        this.quotas.set(id, q);
      }
      if (q.used >= limit.quota.limit) {
        const end = windowEnd(limit.quota.period, window);
        return { retryAfterSeconds: Math.max(1, Math.ceil((end - t) / 1000)), message: "Limit Exceeded: quota for this period is used up" };
      }
      q.used++;
    }
    b.tokens -= 1;
    return undefined;
  }
}

/** Start (ms) of the UTC calendar period containing `t`. */
export function windowStart(period: QuotaPeriod, t: number): number {
  const d = new Date(t);
  switch (period) {
    case "minute":
      return t - (t % 60_000);
    case "hour":
      return t - (t % 3_600_000);
    case "day":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

export function windowEnd(period: QuotaPeriod, start: number): number {
  const d = new Date(start);
  switch (period) {
    case "minute":
      return start + 60_000;
    case "hour":
      return start + 3_600_000;
    case "day":
      return start + 86_400_000;
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}
