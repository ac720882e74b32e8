import type { Cookie, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { type AuthInfo, type Handler, scopesOf } from "./index";
import { LazyRequest, LightHeaders, type ReadResponse, readResponse } from "./lazy";
import { callHandler, errorResponse } from "./lazy-call";
import { HostContext, traceIdOf } from "./shared";

/**
 * The Functions host's route prefix (host.json `extensions.http.routePrefix`). Kept at the default
 * `api` so no model route can collide with the host's own `/admin` and `/runtime` endpoints
 * (https://learn.microsoft.com/azure/azure-functions/functions-host-json#http). The adapter strips it,
 * so handlers see the model's paths on every cloud; APIM's backend URL ends with it.
 */
export const ROUTE_PREFIX = "api";

/**
 * Identity headers set by the API Management policy (providers/azure/policies.ts) after it has
 * checked the caller: the subscription (API key) consumer name, and the verified JWT claims as
 * base64 JSON. The policy deletes any client-sent copy first. The adapter may trust them only
 * because every function is registered with `authLevel: "function"`: the host refuses a request
 * without the function key, and only APIM holds that key (a secret named value).
 */
export const CONSUMER_HEADER = "x-switchyard-consumer";
export const CLAIMS_HEADER = "x-switchyard-claims";
/** The function key header APIM adds; never shown to the handler. */
export const FUNCTION_KEY_HEADER = "x-functions-key";

const HIDDEN = new Set([CONSUMER_HEADER, CLAIMS_HEADER, FUNCTION_KEY_HEADER]);

/** The parts of `@azure/functions`' HttpRequest the adapter reads (any copy of the package fits). */
export type AzureHttpRequest = Pick<HttpRequest, "method" | "url" | "headers" | "params" | "arrayBuffer">;

/**
 * Wraps a portable handler as an `@azure/functions` v4 HTTP handler: `HttpRequest` → `Request`
 * (binary-safe body, the route prefix stripped), route params into `ctx.params` (a catch-all
 * `{*path}` gives `"a/b/c"`), APIM's identity headers into `ctx.auth`, and the `Response` back as
 * `HttpResponseInit` (status, headers, every `Set-Cookie` as a `cookies` entry, bytes as the body).
 */
export function azureHandler(handler: Handler, functionName: string) {
  return async (req: AzureHttpRequest, context?: Pick<InvocationContext, "invocationId">): Promise<HttpResponseInit> => {
    const requestId = context?.invocationId ?? "unknown";
    let request: LazyRequest;
    try {
      request = await toRequest(req);
    } catch {
      return toInit(readResponse(errorResponse(requestId, 400, "malformed request")) as ReadResponse, req.method);
    }
    const params: Record<string, string> = {};
    for (const k in req.params) {
      const v = req.params[k];
      if (typeof v === "string") params[k] = v;
    }
    const traceId = traceIdOf("azure", (h) => req.headers?.get(h) ?? undefined);
    const ctx = new HostContext("azure", functionName, requestId, params, authOf(req.headers), traceId);
    return toInit(await readResponse(await callHandler(handler, request, ctx)), req.method);
  };
}

/**
 * The handler's `Request`: a `LazyRequest` (runtime/lazy.ts) whose URL (route prefix stripped) and
 * headers (APIM's identity headers and the function key left out) are built only if the handler
 * reads them; a body is read from the host first, as bytes. An unparsable URL is refused here (400).
 */
async function toRequest(req: AzureHttpRequest): Promise<LazyRequest> {
  if (!URL.canParse(req.url)) throw new TypeError("invalid URL");
  const method = req.method.toUpperCase();
  let body: Uint8Array | null = null;
  if (method !== "GET" && method !== "HEAD") {
    const bytes = await req.arrayBuffer();
    if (bytes.byteLength > 0) body = new Uint8Array(bytes);
  }
  const url = () => {
    const u = new URL(req.url);
    const prefix = `/${ROUTE_PREFIX}`;
    if (u.pathname === prefix || u.pathname.startsWith(`${prefix}/`)) u.pathname = u.pathname.slice(prefix.length) || "/";
    return u.href;
  };
  const headers = () => {
    const h = new LightHeaders();
    req.headers.forEach((value, key) => {
      if (!HIDDEN.has(key.toLowerCase())) h.append(key, value);
    });
    return h;
  };
  return new LazyRequest(url, { method, headers, body });
}

/** ctx.auth from the headers APIM set (see CONSUMER_HEADER); malformed claims count as none. */
function authOf(headers: Headers): AuthInfo {
  const rawClaims = headers.get(CLAIMS_HEADER);
  if (rawClaims) {
    try {
      const claims = JSON.parse(Buffer.from(rawClaims, "base64").toString("utf8")) as unknown;
      if (claims && typeof claims === "object" && !Array.isArray(claims)) {
        const c = claims as Record<string, unknown>;
        return { kind: "jwt", ...(typeof c.sub === "string" ? { subject: c.sub } : {}), claims: c, scopes: scopesOf(c) };
      }
    } catch {
      // not base64 JSON: ignore it rather than trust it
    }
    return { kind: "none" };
  }
  const consumer = headers.get(CONSUMER_HEADER);
  if (consumer) return { kind: "apiKey", consumer };
  return { kind: "none" };
}

/** The handler's answer as the host's `HttpResponseInit`: every `Set-Cookie` a `cookies` entry, the body as bytes. */
function toInit(res: ReadResponse, method: string): HttpResponseInit {
  const cookies = res.cookies.map(parseSetCookie);
  const bytes = typeof res.body === "string" ? new TextEncoder().encode(res.body) : res.body;
  const noBody = method.toUpperCase() === "HEAD" || res.status === 204 || res.status === 304;
  return {
    status: res.status,
    // readResponse keeps Set-Cookie out of `headers` (it is in `cookies`).
    headers: res.headers,
    ...(cookies.length ? { cookies } : {}),
    ...(noBody || bytes.byteLength === 0 ? {} : { body: bytes }),
  };
}

/**
 * One `Set-Cookie` header as the host's Cookie object. The host writes each entry as its own
 * `Set-Cookie` header (a `headers` record can only hold one).
 */
export function parseSetCookie(header: string): Cookie {
  const [pair = "", ...attrs] = header.split(";");
  const eq = pair.indexOf("=");
  const cookie: Cookie = { name: (eq < 0 ? pair : pair.slice(0, eq)).trim(), value: eq < 0 ? "" : pair.slice(eq + 1).trim() };
  for (const attr of attrs) {
    const i = attr.indexOf("=");
    const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? "" : attr.slice(i + 1).trim();
    if (key === "domain") cookie.domain = value;
    else if (key === "path") cookie.path = value;
    else if (key === "expires") {
      const t = Date.parse(value);
      if (!Number.isNaN(t)) cookie.expires = new Date(t);
    } else if (key === "max-age" && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === "secure") cookie.secure = true;
    else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "samesite") {
      const s = value.toLowerCase();
      cookie.sameSite = s === "strict" ? "Strict" : s === "lax" ? "Lax" : s === "none" ? "None" : undefined;
    }
  }
  return cookie;
}
