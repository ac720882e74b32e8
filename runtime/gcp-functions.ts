import type { AuthInfo, Handler } from "./index";
import { scopesOf } from "./index";
import { LazyRequest, LightHeaders, type ReadResponse, readResponse } from "./lazy";
import { answerOf, errorResponse } from "./lazy-call";
import { gcpTraceId, HostContext, w3cTraceId } from "./shared";

/** One route served by the function, as the bundle embeds it (from the normalised model). */
export interface GcpRoute {
  /** `GET`, …, or `ANY`. */
  method: string;
  /** Path segments: `"books"`, `"{id}"`, or a final greedy `"{path+}"`. */
  segments: string[];
  /** How the gateway authenticates the route. */
  auth: "none" | "apiKey" | "jwt";
  /** JWT scopes the route requires (API Gateway accepts scopes but does not enforce them). */
  scopes: string[];
}

/** The model's normalised CORS settings, embedded by the bundle when the model declares CORS. */
export interface GcpCors {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  /** Left out when empty. */
  exposeHeaders?: string[];
  /** Left out when false. */
  allowCredentials?: boolean;
  maxAgeSeconds: number;
}

/** What the GCP bundle target embeds next to the user's handler. */
export interface GcpBundleConfig {
  functionName: string;
  routes: GcpRoute[];
  cors?: GcpCors;
}

/** The Express request the Functions Framework passes (the fields the adapter reads). */
export interface FfRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The unparsed body, saved by the framework's body parsers (every content type). */
  rawBody?: Buffer;
  readableEnded?: boolean;
  on?(event: string, listener: (...args: never[]) => void): unknown;
}

/** The Express response (the node `ServerResponse` methods the adapter uses). */
export interface FfResponse {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  end(body?: string | Uint8Array): unknown;
}

/**
 * API Gateway puts the payload of a JWT it validated in this header, base64url-encoded JSON
 * (https://docs.cloud.google.com/api-gateway/docs/authenticating-users-jwt). Its ESPv2 proxy sends
 * the original payload unmodified (GoogleCloudPlatform/esp-v2 issue #18) and overrides a value sent
 * by the client (esp-v2 PR #447) [community: not checked on API Gateway itself].
 */
const USERINFO = "x-apigateway-api-userinfo";

/**
 * Wraps a portable handler as a Functions Framework HTTP function (`exports.handler = (req, res)`).
 * API Gateway forwards the whole request path (`APPEND_PATH_TO_ADDRESS`), so the adapter matches it
 * against the function's route templates to fill `ctx.params`. It answers CORS preflights itself
 * (API Gateway has no CORS support: the preflight is routed to the function) and adds the CORS
 * headers to every response.
 */
export function gcpHandler(handler: Handler, config: GcpBundleConfig) {
  return gcpAdapter(handler, config, jwtAuth);
}

/**
 * `gcpHandler` with the JWT caller reader given: bundle/targets/gcp.ts passes `jwtAuth` only to a
 * function with a JWT route, so the others do not carry it (issue #9 goal 3, 10 KB per function).
 * Without it a JWT route's caller has no claims nor scopes, so a route requiring scopes answers 403.
 */
export function gcpAdapter(handler: Handler, config: GcpBundleConfig, jwt?: (req: FfRequest) => AuthInfo) {
  const { functionName, cors } = config;
  const routes = config.routes.map((r) => ({ ...r, match: compile(r.segments) }));
  // Synchronous up to the handler: a GET answered by a synchronous handler's `Response.json(...)`
  // is written before this returns (no promise, no microtask turn); anything that must wait (a
  // body still to read, an async handler, a stream answer) returns a promise.
  return (req: FfRequest, res: FfResponse): void | Promise<void> => {
    // node's request headers: every name but `set-cookie` is one string (node joins repeated ones with
    // ", ", https://nodejs.org/api/http.html#messageheaders), so none read here is an array.
    const headers = req.headers as Record<string, string | undefined>;
    // `x-cloud-trace-context: TRACE_ID/SPAN_ID;o=1` gives TRACE_ID. The global Web Crypto, not
    // node:crypto: it is loaded on first use, so the cold start does not pay for loading the crypto
    // module (≈ 10 ms of import here) when the host sends a request id.
    const cloudTrace = gcpTraceId(headers["x-cloud-trace-context"]);
    const requestId = headers["function-execution-id"] ?? (cloudTrace || crypto.randomUUID());
    const method = req.method.toUpperCase();
    const rawUrl = req.originalUrl ?? req.url;
    const pathname = rawUrl.split("?")[0] as string;
    const origin = headers.origin;
    // With CORS on, every OPTIONS operation in the API config is public (the preflight carries no
    // credentials), so OPTIONS never reaches the handler: it could bypass the route's auth.
    if (cors && method === "OPTIONS") {
      res.writeHead(204, withCors({}, cors, headers["access-control-request-method"] === undefined ? undefined : origin, true));
      res.end();
      return;
    }
    // The per-request closures are kept to these two (each one is an allocation on every request).
    const fail = (status: number, message: string) => answer(res, cors, origin, readResponse(errorResponse(requestId, status, message)));
    let route: (typeof routes)[number] | undefined;
    let params: Record<string, string> | undefined;
    for (const r of routes) {
      params = r.method === "ANY" || r.method === method || (r.method === "GET" && method === "HEAD") ? r.match(pathname) : undefined;
      if (params) {
        route = r;
        break;
      }
    }
    if (!route || !params) return fail(404, `no route for ${method} ${pathname}`);
    const auth: AuthInfo = route.auth === "jwt" && jwt ? jwt(req) : { kind: route.auth };
    if (route.auth === "jwt" && !route.scopes.every((s) => auth.scopes?.includes(s)))
      return fail(403, `missing scope: ${route.scopes.join(" ")}`);
    const ctx = new HostContext("gcp", functionName, requestId, params, auth, cloudTrace || w3cTraceId(headers.traceparent));
    // The request for the handler, built lazily (runtime/lazy.ts): headers on first read, the URL
    // normalised on first read. A URL a `Request` would reject is a 400; only the host can make
    // `https://<host>/<path>` unparsable, so a host already seen is not parsed again.
    const call = (body?: Buffer): void | Promise<void> => {
      const host = headers["x-forwarded-host"] ?? headers.host ?? "localhost";
      const url = `https://${host}${rawUrl.startsWith("/") ? rawUrl : `/${rawUrl}`}`;
      let request: LazyRequest;
      try {
        if (host !== goodHost && !URL.canParse(url)) throw 0;
        goodHost = host;
        request = new LazyRequest(url, { method, headers: () => LightHeaders.fromRecord(req.headers), body: body?.length ? body : null });
      } catch {
        return fail(400, MALFORMED);
      }
      return answer(res, cors, origin, answerOf(handler, request, ctx));
    };
    // The body the framework's parsers saved; with no content type they leave the stream unread.
    if (method === "GET" || method === "HEAD" || req.rawBody || !req.on || req.readableEnded) return call(req.rawBody);
    return (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req as unknown as AsyncIterable<Buffer>) chunks.push(c);
      return Buffer.concat(chunks);
    })().then(call, () => fail(400, MALFORMED));
  };
}

/** A matcher for one route template; a greedy segment takes the rest of the path (`"a/b/c"`). */
function compile(segments: string[]): (pathname: string) => Record<string, string> | undefined {
  // Per segment: [, name, "+" when greedy] for a parameter, null for a static segment.
  const params = segments.map((s) => /^\{(.+?)(\+?)\}$/.exec(s));
  return (pathname) => {
    // parts[0] is the empty string before the leading "/"; segment i is parts[i + 1].
    const parts = pathname.split("/");
    if (parts.length > 2 && parts.at(-1) === "") parts.pop(); // trailing slash
    const out: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const p = params[i];
      const part = parts[i + 1];
      if (p?.[2]) {
        out[p[1] as string] = parts
          .slice(i + 1)
          .map(decode)
          .join("/");
        return out;
      }
      if (part === undefined || (p ? part === "" : decode(part) !== segments[i])) return undefined;
      if (p) out[p[1] as string] = decode(part);
    }
    return parts.length === segments.length + 1 || (segments.length === 0 && parts.join("") === "") ? out : undefined;
  };
}

function decode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The caller on a JWT route, as the gateway established it. Claims are read from the userinfo header
 * only on JWT routes, where the gateway validated the token; elsewhere a client could have sent the
 * header. (On API-key routes API Gateway does not tell the backend which key was used, so
 * `consumer` stays unset.)
 */
export function jwtAuth(req: FfRequest): AuthInfo {
  const raw = req.headers[USERINFO] as string | undefined;
  let claims: Record<string, unknown> = {};
  if (raw)
    try {
      const parsed = JSON.parse(Buffer.from(raw, "base64url").toString()) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) claims = parsed as Record<string, unknown>;
    } catch {}
  return { kind: "jwt", ...(typeof claims.sub === "string" ? { subject: claims.sub } : {}), claims, scopes: scopesOf(claims) };
}

/** The last host whose `https://<host>/` parsed: a function sees the same host on almost every request. */
let goodHost: string | undefined;

/**
 * Adds the model's CORS headers (none without CORS) for `origin` (undefined: not a CORS request):
 * `Vary: Origin` always; for an allowed origin, Allow-Origin and Allow-Credentials, then the
 * preflight's Allow-Methods, Allow-Headers and Max-Age, or an answer's Expose-Headers.
 */
function withCors(
  headers: Record<string, string>,
  cors: GcpCors | undefined,
  origin: string | undefined,
  preflight?: boolean,
): Record<string, string> {
  if (cors) {
    const ac = "access-control-";
    headers.vary = headers.vary ? `${headers.vary}, Origin` : "Origin";
    if (origin !== undefined && cors.allowOrigins.includes(origin)) {
      headers[`${ac}allow-origin`] = origin;
      if (cors.allowCredentials) headers[`${ac}allow-credentials`] = "true";
      if (preflight) {
        headers[`${ac}allow-methods`] = cors.allowMethods.join(", ");
        headers[`${ac}allow-headers`] = cors.allowHeaders.join(", ");
        headers[`${ac}max-age`] = String(cors.maxAgeSeconds);
      } else if (cors.exposeHeaders?.length) headers[`${ac}expose-headers`] = cors.exposeHeaders.join(", ");
    }
  }
  return headers;
}

const MALFORMED = "malformed request";

/**
 * Writes the handler's answer (once it is read) with the CORS headers in one `writeHead` (each
 * Set-Cookie a header of its own) and one `end` (text as UTF-8).
 */
function answer(
  res: FfResponse,
  cors: GcpCors | undefined,
  origin: string | undefined,
  read: ReadResponse | Promise<ReadResponse>,
): void | Promise<void> {
  if (read instanceof Promise) return read.then((r) => answer(res, cors, origin, r));
  const { status, headers, cookies, body } = read;
  withCors(headers, cors, origin);
  res.writeHead(status, cookies.length ? { ...headers, "set-cookie": cookies } : headers);
  res.end(body);
}
