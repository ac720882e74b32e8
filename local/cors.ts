import type { OutgoingHttpHeaders } from "node:http";
import type { Cors } from "../model";

/**
 * CORS as the gateway answers it (the clouds' gateways do the same: AWS HTTP API `corsConfiguration`,
 * APIM's `<cors>` policy): a preflight is answered without calling the function, and an allowed
 * origin is echoed back (never `*`), with `Vary: Origin` on every response of an API with CORS.
 */
export class CorsPolicy {
  private readonly origins: Set<string>;
  private readonly methods: string;
  private readonly headers: string;
  private readonly allowedHeaders: Set<string>;
  private readonly expose: string;
  private readonly maxAge: string;

  constructor(private readonly cors: Cors) {
    this.origins = new Set(cors.allowOrigins);
    this.methods = cors.allowMethods.join(",");
    this.headers = cors.allowHeaders.join(",");
    this.allowedHeaders = new Set(cors.allowHeaders.map((h) => h.toLowerCase()));
    this.expose = cors.exposeHeaders.join(",");
    this.maxAge = String(cors.maxAgeSeconds);
  }

  /** True for a CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
  static isPreflight(method: string, headers: Record<string, unknown>): boolean {
    return method === "OPTIONS" && typeof headers.origin === "string" && typeof headers["access-control-request-method"] === "string";
  }

  /**
   * The preflight answer: 204 with the allow headers when the origin, the requested method and
   * every requested header are allowed; 204 with none of them otherwise (the browser then blocks).
   */
  preflight(headers: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = { vary: "Origin" };
    const origin = headers.origin as string;
    const method = String(headers["access-control-request-method"]).toUpperCase();
    if (!this.origins.has(origin)) return out;
    if (!this.cors.allowMethods.includes(method as never) && !this.cors.allowMethods.includes("ANY")) return out;
    const requested = headers["access-control-request-headers"];
    if (typeof requested === "string" && requested.trim()) {
      for (const h of requested.split(",")) if (!this.allowedHeaders.has(h.trim().toLowerCase())) return out;
    }
    out["access-control-allow-origin"] = origin;
    out["access-control-allow-methods"] = this.methods;
    if (this.headers) out["access-control-allow-headers"] = this.headers;
    out["access-control-max-age"] = this.maxAge;
    if (this.cors.allowCredentials) out["access-control-allow-credentials"] = "true";
    return out;
  }

  /** Adds the CORS headers of an actual (non-preflight) response through `set`. */
  decorate(origin: string | undefined, set: (name: string, value: string) => void, vary: string | undefined): void {
    const h: string[] = [];
    this.decorateList(origin, h, vary);
    for (let i = 0; i < h.length; i += 2) set(h[i] as string, h[i + 1] as string);
  }

  /** `decorate` into a flat `[name, value, ...]` header list (the gateway's answers: no callback per request). */
  decorateList(origin: string | undefined, h: string[], vary: string | undefined): void {
    setIn(h, "vary", vary ? (/\borigin\b/i.test(vary) ? vary : `${vary}, Origin`) : "Origin");
    if (origin === undefined || !this.origins.has(origin)) return;
    setIn(h, "access-control-allow-origin", origin);
    if (this.cors.allowCredentials) setIn(h, "access-control-allow-credentials", "true");
    if (this.expose) setIn(h, "access-control-expose-headers", this.expose);
  }
}

/** Sets a header in a flat `[name, value, ...]` list, replacing the first one of that name. */
function setIn(h: string[], name: string, value: string): void {
  for (let i = 0; i < h.length; i += 2) {
    if (h[i] === name) {
      h[i + 1] = value;
      return;
    }
  }
  h.push(name, value);
}
