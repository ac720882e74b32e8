import type { Cache } from "../model";

/** A stored response. */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  expires: number;
}

/** Upper bound on entries, so a local cache cannot eat the laptop's memory. */
const MAX_ENTRIES = 10_000;
/**
 * Largest cacheable response: 1,048,576 bytes, API Gateway REST's limit
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 */
const MAX_BODY_BYTES = 1_048_576;

/**
 * The gateway's response cache: per route, keyed by the request path (so path parameters always
 * vary) plus the values of the route's `varyBy` query parameters and headers. Only 2xx answers to
 * GET/HEAD are stored, and never ones with `Set-Cookie` or `Cache-Control: no-store/private`
 * (stricter than API Gateway REST, which ignores the integration's Cache-Control: a private answer
 * must never be served to another caller).
 *
 * A client's `Cache-Control: no-cache` or `max-age=0` skips the lookup and refreshes the entry. On
 * API Gateway REST that header invalidates the entry only for a caller allowed
 * `execute-api:InvalidateCache` (same page, "per-key cache invalidation"); locally every caller is
 * the developer, so it is always honoured. Code must not rely on it in the clouds.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();

  constructor(private readonly now: () => number = Date.now) {}

  key(routeKey: string, path: string, query: URLSearchParams | undefined, headers: Record<string, unknown>, cache: Cache): string {
    let k = `${routeKey}\u0000${path}`;
    for (const q of cache.varyBy.query) k += `\u0000q:${q}=${query?.getAll(q).join(",") ?? ""}`;
    for (const h of cache.varyBy.headers) {
      const v = headers[h.toLowerCase()];
      k += `\u0000h:${h}=${Array.isArray(v) ? v.join(",") : (v ?? "")}`;
    }
    return k;
  }

  get(key: string): CachedResponse | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Stores the response if it may be cached; returns whether it was. */
  put(key: string, status: number, headers: [string, string][], body: Buffer, cache: Cache): boolean {
    if (status < 200 || status > 299 || body.length > MAX_BODY_BYTES) return false;
    for (const [name, value] of headers) {
      if (name === "set-cookie") return false;
      if (name === "cache-control" && /\b(no-store|private)\b/i.test(value)) return false;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { status, headers, body, expires: this.now() + cache.ttlSeconds * 1000 });
    return true;
  }
}
