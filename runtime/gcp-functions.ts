import type { AuthInfo, Handler } from "./index";
import { scopesOf } from "./index";
import { LazyRequest, LightHeaders, type LightResponse, type ReadResponse, readResponse } from "./lazy";
import { callHandler, errorResponse } from "./lazy-call";
import { makeContext, traceIdOf } from "./shared";

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
  exposeHeaders: string[];
  allowCredentials: boolean;
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
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  end(body?: Buffer): unknown;
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
  const routes = config.routes.map((r) => ({ ...r, matcher: compile(r.segments) }));
  return async (req: FfRequest, res: FfResponse): Promise<void> => {
    // The global Web Crypto, not node:crypto: it is loaded on first use, so the cold start does not
    // pay for loading the crypto module (≈ 10 ms of import here) when the host sends a request id.
    const requestId = header(req, "function-execution-id") ?? traceId(header(req, "x-cloud-trace-context")) ?? crypto.randomUUID();
    const method = req.method.toUpperCase();
    const rawUrl = req.originalUrl ?? req.url;
    const pathname = rawUrl.split("?")[0] ?? "/";
    const origin = header(req, "origin");
    const cors = config.cors;
    // With CORS on, every OPTIONS operation in the API config is public (the preflight carries no
    // credentials), so OPTIONS never reaches the handler: it could bypass the route's auth.
    if (cors && method === "OPTIONS") {
      send(res, preflight(cors, header(req, "access-control-request-method") !== undefined ? origin : undefined));
      return;
    }
    let found: { route: (typeof routes)[number]; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== "ANY" && route.method !== method && !(route.method === "GET" && method === "HEAD")) continue;
      const params = route.matcher(pathname);
      if (params) {
        found = { route, params };
        break;
      }
    }
    const finish = async (response: Response | LightResponse) => {
      const read = await readResponse(response);
      send(res, cors ? withCors(read, cors, origin) : read);
    };
    if (!found) {
      await finish(errorResponse(requestId, 404, `no route for ${method} ${pathname}`));
      return;
    }
    const auth = authOf(req, found.route);
    if (found.route.auth === "jwt" && !found.route.scopes.every((s) => auth.scopes?.includes(s))) {
      await finish(errorResponse(requestId, 403, `missing scope: ${found.route.scopes.join(" ")}`));
      return;
    }
    let request: LazyRequest;
    try {
      request = await toRequest(req, method, rawUrl);
    } catch {
      await finish(errorResponse(requestId, 400, "malformed request"));
      return;
    }
    const ctx = makeContext(
      "gcp",
      config.functionName,
      requestId,
      found.params,
      auth,
      traceIdOf("gcp", (h) => header(req, h)),
    );
    await finish(await callHandler(handler, request, ctx));
  };
}

function header(req: FfRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** `x-cloud-trace-context: TRACE_ID/SPAN_ID;o=1` → TRACE_ID. */
function traceId(v: string | undefined): string | undefined {
  return v ? v.split("/")[0] || undefined : undefined;
}

/** A matcher for one route template; a greedy segment takes the rest of the path (`"a/b/c"`). */
function compile(segments: string[]): (pathname: string) => Record<string, string> | undefined {
  return (pathname) => {
    const parts = pathname.split("/").slice(1);
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // trailing slash
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      const greedy = /^\{(.+)\+\}$/.exec(seg);
      if (greedy) {
        params[greedy[1] as string] = parts.slice(i).map(decode).join("/");
        return params;
      }
      const part = parts[i];
      if (part === undefined) return undefined;
      const param = /^\{(.+)\}$/.exec(seg);
      if (param) {
        if (part === "") return undefined;
        params[param[1] as string] = decode(part);
      } else if (decode(part) !== seg) return undefined;
    }
    return parts.length === segments.length || (segments.length === 0 && parts.join("") === "") ? params : undefined;
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The caller as the gateway established it. Claims are read from the userinfo header only on JWT
 * routes, where the gateway validated the token; elsewhere a client could have sent the header.
 * API Gateway does not tell the backend which API key was used, so `consumer` stays unset.
 */
function authOf(req: FfRequest, route: GcpRoute): AuthInfo {
  if (route.auth === "apiKey") return { kind: "apiKey" };
  if (route.auth !== "jwt") return { kind: "none" };
  const raw = header(req, USERINFO);
  let claims: Record<string, unknown> = {};
  if (raw) {
    try {
      const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) claims = parsed as Record<string, unknown>;
    } catch {
      claims = {};
    }
  }
  return { kind: "jwt", ...(typeof claims.sub === "string" ? { subject: claims.sub } : {}), claims, scopes: scopesOf(claims) };
}

async function bodyOf(req: FfRequest): Promise<Buffer | undefined> {
  if (req.rawBody) return req.rawBody;
  // No content type: the framework's parsers leave the stream unread.
  if (!req.on || req.readableEnded) return undefined;
  const on = req.on.bind(req) as (event: string, listener: (arg: Buffer) => void) => unknown;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    on("data", (c) => chunks.push(c));
    on("end", () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    (req.on as (e: string, l: (err: Error) => void) => unknown)("error", reject);
  });
}

/** The last host whose `https://<host>/` parsed: a function sees the same host on almost every request. */
let goodHost: string | undefined;

/**
 * The request for the handler, built lazily (runtime/lazy.ts): headers on first read, the URL
 * normalised on first read. A URL a `Request` would reject is rejected now (a 400); only the host
 * can make `https://<host>/<path>` unparsable, so a host already seen is not parsed again.
 */
async function toRequest(req: FfRequest, method: string, rawUrl: string): Promise<LazyRequest> {
  const host = header(req, "x-forwarded-host") ?? header(req, "host") ?? "localhost";
  const url = `https://${host}${rawUrl.startsWith("/") ? rawUrl : `/${rawUrl}`}`;
  if (host !== goodHost) {
    if (!URL.canParse(url)) throw new TypeError("invalid URL");
    goodHost = host;
  }
  const body = method === "GET" || method === "HEAD" ? undefined : await bodyOf(req);
  return new LazyRequest(url, { method, headers: () => LightHeaders.fromRecord(req.headers), body: body?.length ? body : null });
}

function preflight(cors: GcpCors, origin: string | undefined): ReadResponse {
  const headers: Record<string, string> = {};
  if (origin !== undefined && cors.allowOrigins.includes(origin)) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-allow-methods"] = cors.allowMethods.join(", ");
    headers["access-control-allow-headers"] = cors.allowHeaders.join(", ");
    headers["access-control-max-age"] = String(cors.maxAgeSeconds);
    if (cors.allowCredentials) headers["access-control-allow-credentials"] = "true";
  }
  headers.vary = "Origin";
  return { status: 204, headers, cookies: [], body: "" };
}

function withCors(r: ReadResponse, cors: GcpCors, origin: string | undefined): ReadResponse {
  const headers = r.headers;
  headers.vary = headers.vary ? `${headers.vary}, Origin` : "Origin";
  if (origin !== undefined && cors.allowOrigins.includes(origin)) {
    headers["access-control-allow-origin"] = origin;
    if (cors.allowCredentials) headers["access-control-allow-credentials"] = "true";
    if (cors.exposeHeaders.length) headers["access-control-expose-headers"] = cors.exposeHeaders.join(", ");
  }
  return r;
}

/** Writes the answer: status, every header (each Set-Cookie separately), body bytes. */
function send(res: FfResponse, r: ReadResponse): void {
  res.statusCode = r.status;
  for (const k in r.headers) res.setHeader(k, r.headers[k] as string);
  if (r.cookies.length) res.setHeader("set-cookie", r.cookies);
  res.end(typeof r.body === "string" ? Buffer.from(r.body, "utf8") : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
}
