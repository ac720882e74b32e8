import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { type Api, type FunctionSpec, loadApi, ModelError } from "../model";
import type { AuthInfo, CloudName, Handler } from "../runtime";
import { LightHeaders, LightResponse, type ReadResponse, readResponse, readsNow } from "../runtime/lazy";
import { errorResponse } from "../runtime/lazy-call";
import { localContext, toRequest } from "../runtime/local";
import { guardHandler } from "../runtime/shared";
import { AccessLog } from "./access-log";
import { Authenticator, type AuthResult, type JwtOverride, resolveKeys } from "./auth";
import { ResponseCache } from "./cache";
import { CorsPolicy } from "./cors";
import { compileModule, type LoadedModule, loadModule, runModule } from "./load-handler";
import { type Profile, profileOf } from "./profile";
import { RateLimiter } from "./rate-limit";
import { isMatch, Router } from "./router";
import { pinTickRecord } from "./tick-maps";
import { nextTraceparent } from "./trace";
import { pickTarget, proxy, upstreamUrl } from "./upstream";

/**
 * Request body limit: 6 MB, AWS Lambda's synchronous payload limit, the tightest of the three clouds
 * (shared/clouds/aws.md "Synchronous payload: 6 MB request, 6 MB response"). Larger bodies get 413.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 6 * 1024 * 1024;
/**
 * Whole-request bound for slow clients: 30 s, API Gateway HTTP API's hard integration timeout
 * (shared/clouds/aws.md "HTTP API 30 s hard"); headers must arrive within 10 s.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Upstream routes: same 30 s bound as the integration timeout. */
const UPSTREAM_TIMEOUT_MS = 30_000;

export interface GatewayOptions {
  /** The model file (default `api.ts`). */
  apiFile?: string;
  /** Port on 127.0.0.1; 0 picks a free one (default 0). */
  port?: number;
  /** Local API keys by consumer; consumers without one get a generated key. */
  keys?: Record<string, string>;
  /** Mimic one cloud's context: `ctx.cloud` and the headers that cloud's gateway forwards. */
  profile?: "aws" | "azure" | "gcp";
  /** Log format (default: colour on a TTY, plain otherwise); "off" silences the gateway. */
  log?: "color" | "plain" | "json" | "off";
  /** Where the gateway writes its log (default stdout). */
  write?: (text: string) => void;
  /** Watch the model and function files and reload on change (default true). */
  watch?: boolean;
  /** Per JWT scheme: a different JWKS URL or issuer (tests point these at a loopback JWKS). */
  jwt?: Record<string, JwtOverride>;
  /** Upstream base URLs replaced by others (model URLs must be https; tests use a loopback server). */
  upstreams?: Record<string, string>;
  bodyLimitBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Timeout of a JWKS / OpenID discovery fetch (default 5000). */
  jwksTimeoutMs?: number;
  /** Random source in [0, 1) for weighted upstream targets (default Math.random). */
  random?: () => number;
  /** How long shutdown waits for in-flight requests before cutting connections (default 10 s). */
  shutdownGraceMs?: number;
}

export interface Gateway {
  url: string;
  port: number;
  /** Local API keys by consumer. */
  keys: Record<string, string>;
  /** The model being served (the last good one). */
  api(): Api;
  /** Reloads the model and functions now; false (and the old model kept) when the model is bad. */
  reload(): boolean;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
  server: http.Server;
}

/** Everything derived from one load of the model; swapped whole on reload. */
interface Loaded {
  api: Api;
  router: Router;
  auth: Authenticator;
  cors?: CorsPolicy;
  cache: ResponseCache;
  /** Handlers and modules of functions without a canary, loaded on first use (fresh per reload). */
  handlers: Map<string, Handler>;
  modules: Map<string, LoadedModule>;
}

const JSON_TYPE = "application/json";
const HAS_NO_BODY = new Set(["GET", "HEAD"]);
const OWN_DIRS = [path.resolve(__dirname), path.resolve(__dirname, "..", "runtime"), path.resolve(__dirname, "..", "model")];

/** Starts the local gateway; resolves when it is listening. A bad model throws ModelError. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  // First, before the model's loading makes garbage: see tick-maps.ts.
  pinTickRecord();
  const apiFile = path.resolve(options.apiFile ?? "api.ts");
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const log = new AccessLog(write, options.log ?? (process.stdout.isTTY ? "color" : "plain"));
  const profile: Profile = profileOf(options.profile);
  const cloud: CloudName = profile.cloud;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const random = options.random ?? Math.random;
  const limiter = new RateLimiter();
  const upstreams = options.upstreams ?? {};

  const first = loadApi(apiFile);
  const keys = resolveKeys(first, options.keys ?? {});
  /** Functions with a canary: the version loaded at start (stable) and the changed code (canary). */
  const versions = new Map<string, Versions>();
  const syncCanaries = (api: Api): void => {
    for (const name of [...versions.keys()]) if (!api.functions[name]?.canary) versions.delete(name);
    for (const f of Object.values(api.functions)) {
      if (!f.canary) continue;
      const had = versions.get(f.name);
      try {
        const code = compileModule(f.file);
        if (!had || had.file !== f.file) versions.set(f.name, { file: f.file, stable: runModule(f.file, code) });
        else if (code === had.stable.code) {
          if (had.canary) log.note(`canary ${f.name}: the code is the stable version again; all traffic to it`);
          had.canary = undefined;
        } else if (code !== had.canary?.code) {
          had.canary = runModule(f.file, code);
          const w = f.canary.weight;
          log.note(`canary ${f.name}: stable (code loaded at start) ${100 - w}%, canary (new code) ${w}%`);
        }
      } catch (e) {
        // The error shows on the function's requests when no version is loaded yet; else the loaded ones keep serving.
        if (had)
          log.note(`error: ${f.relFile}: ${e instanceof Error ? e.message : String(e)}\nstill serving the loaded versions`, {
            level: "error",
          });
      }
    }
  };
  const build = (api: Api): Loaded => {
    syncCanaries(api);
    return {
      api,
      router: new Router(api.routes),
      auth: new Authenticator(api, resolveKeys(api, keys), options.jwt, options.jwksTimeoutMs),
      cors: api.cors ? new CorsPolicy(api.cors) : undefined,
      cache: new ResponseCache(),
      handlers: new Map(),
      modules: new Map(),
    };
  };
  let state = build(first);
  let origin = "http://127.0.0.1";
  let inflight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  /** The handler for one request and, for a function with a canary, the version that answers. */
  const handlerOf = (st: Loaded, name: string): { handler: Handler; version?: Version } => {
    const spec = st.api.functions[name];
    if (!spec) throw new Error(`no function "${name}"`);
    const v = spec.canary ? versions.get(name) : undefined;
    if (v && spec.canary) {
      // Before any change there is one version, and it takes all the traffic.
      if (v.canary && random() * 100 < spec.canary.weight) return { handler: exportOf(spec, v.canary.exports), version: "canary" };
      return { handler: exportOf(spec, v.stable.exports), version: "stable" };
    }
    let h = st.handlers.get(name);
    if (!h) {
      let mod = st.modules.get(spec.file);
      if (!mod) {
        mod = loadModule(spec.file);
        st.modules.set(spec.file, mod);
      }
      h = exportOf(spec, mod.exports);
      st.handlers.set(name, h);
    }
    return { handler: h, version: spec.canary ? "stable" : undefined };
  };

  // Handler logs (JSON lines): to the gateway's writer when one is given, else stdout / stderr by level.
  const handlerLog = (level: string, line: string) => {
    if (options.log === "off") return;
    log.flush();
    if (!options.write && (level === "error" || level === "warn")) process.stderr.write(`${line}\n`);
    else write(`${line}\n`);
  };

  /**
   * Serves one request. Synchronous as far as it can go: a GET on a key or open route answered by a
   * synchronous handler's `Response.json(...)` is written before this returns (no promise, no
   * microtask turn). A JWT check, a body to read, an upstream, an async handler or a streamed answer
   * continue asynchronously, and then a promise is returned.
   */
  function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): void | Promise<void> {
    const t0 = performance.now();
    const st = state;
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const urlPath = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const reqOrigin = req.headers.origin;
    let consumer: string | undefined;
    let cacheState: "hit" | "miss" | undefined;
    let version: Version | undefined;

    const finish = (status: number) => {
      log.record({ requestId, method, path: urlPath, status, ms: performance.now() - t0, consumer, cache: cacheState, version });
    };
    // Responses are written with one writeHead(status, [name, value, ...]) and one end(body).
    const decorate = (h: string[], vary: string | undefined) => st.cors?.decorateList(reqOrigin, h, vary);
    const reply = (status: number, body: Record<string, unknown>, headers?: Record<string, string>) => {
      const payload = JSON.stringify(body);
      const h = ["x-request-id", requestId, "content-type", JSON_TYPE, "content-length", String(Buffer.byteLength(payload))];
      if (headers) for (const k in headers) h.push(k, headers[k] as string);
      if (version) h.push(VERSION_HEADER, version);
      decorate(h, undefined);
      res.writeHead(status, h);
      res.end(payload);
      finish(status);
    };

    if (st.cors && CorsPolicy.isPreflight(method, req.headers)) {
      res.setHeader("x-request-id", requestId);
      res.writeHead(204, st.cors.preflight(req.headers));
      res.end();
      finish(204);
      return;
    }

    const m = st.router.match(method, urlPath);
    if (!m) return reply(404, { message: "Not Found" });
    if (!isMatch(m)) return reply(405, { message: "Method Not Allowed" }, { allow: m.allow.join(", ") });
    const route = m.route;

    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > bodyLimit) {
      res.setHeader("connection", "close");
      return reply(413, { message: "Request Entity Too Large" });
    }

    // The trace is made when first needed (handlers that read neither headers nor ctx.traceId skip it).
    let trace: { traceparent: string; traceId: string } | undefined;
    const traceOf = () => (trace ??= nextTraceparent(req.headers.traceparent));

    /** After the auth check: rate limit, body, then the upstream or the function. */
    const authorised = (authResult: AuthResult): void | Promise<void> => {
      if (!authResult.ok) {
        return reply(authResult.status, { message: authResult.message }, authResult.status === 401 ? WWW_AUTH[route.auth.kind] : undefined);
      }
      const info: AuthInfo = authResult.info;
      consumer = info.consumer ?? info.subject;

      if (route.rateLimit) {
        const caller = authResult.identity ?? `ip:${req.socket.remoteAddress ?? "?"}`;
        const t = limiter.take(route.key, caller, route.rateLimit);
        if (t) return reply(429, { message: t.message }, { "retry-after": String(t.retryAfterSeconds) });
      }

      if (!HAS_NO_BODY.has(method) || declared > 0 || req.headers["transfer-encoding"] !== undefined) {
        return readBody(req, bodyLimit).then((body) => {
          if (body !== undefined) return serve(info, body);
          res.setHeader("connection", "close");
          reply(413, { message: "Request Entity Too Large" });
        });
      }
      return serve(info, undefined);
    };

    /** The upstream, the response cache, or the function. */
    const serve = (info: AuthInfo, body: Buffer | undefined): void | Promise<void> => {
      if (route.target.kind === "upstream") {
        res.setHeader("x-request-id", requestId);
        const extra = { ...profile.forward(req, requestId, info), traceparent: traceOf().traceparent };
        const target = pickTarget(route.target.targets, random());
        const base = upstreams[target.url] ?? upstreams[target.url.replace(/\/$/, "")] ?? target.url;
        const url = upstreamUrl(base, route.greedy ? m.params[route.greedy] : undefined, qi < 0 ? "" : rawUrl.slice(qi));
        return proxy(req, body, res, url, extra, UPSTREAM_TIMEOUT_MS, (_s, set, get) =>
          st.cors?.decorate(reqOrigin, set, get("vary")),
        ).then(finish);
      }

      // Response cache: GET/HEAD only, after auth and rate limits (as on the clouds' gateways).
      // `Cache-Control: no-cache` / `max-age=0` from the client skips the lookup and refreshes the entry
      // (see ResponseCache for how that differs on AWS).
      let cacheKey: string | undefined;
      const cacheSpec = route.cache;
      if (cacheSpec && HAS_NO_BODY.has(method)) {
        cacheKey = st.cache.key(
          route.key,
          urlPath,
          qi < 0 ? undefined : new URLSearchParams(rawUrl.slice(qi + 1)),
          req.headers as Record<string, unknown>,
          cacheSpec,
        );
        const bypass = /\bno-cache\b|\bmax-age=0\b/i.test(String(req.headers["cache-control"] ?? ""));
        const hit = bypass ? undefined : st.cache.get(cacheKey);
        if (hit) {
          cacheState = "hit";
          const h = ["x-request-id", requestId];
          let vary: string | undefined;
          for (const [n, v] of hit.headers) {
            if (n === "vary") vary = v;
            else h.push(n, v);
          }
          if (vary && !st.cors) h.push("vary", vary);
          h.push("x-cache", "hit", "content-length", String(hit.body.length));
          decorate(h, vary);
          res.writeHead(hit.status, h);
          res.end(hit.body);
          finish(hit.status);
          return;
        }
        cacheState = "miss";
      }

      const fnName = route.target.function;
      const spec = st.api.functions[fnName];
      let handler: Handler;
      try {
        ({ handler, version } = handlerOf(st, fnName));
      } catch (e) {
        handlerLog(
          "error",
          JSON.stringify({ level: "error", msg: "handler failed to load", requestId, function: fnName, error: String(e) }),
        );
        return reply(500, { error: "internal error", requestId });
      }
      // The profile's forwarded headers are made only if the handler reads the request headers.
      const request = toRequest(req, origin, body, () => ({
        ...profile.forward(req, requestId, info),
        traceparent: traceOf().traceparent,
      }));
      const ctx = localContext(cloud, fnName, requestId, m.params, info, handlerLog, () => traceOf().traceId);
      const timeoutMs = (spec?.timeoutSeconds ?? 10) * 1000;

      /** Writes the handler's answer (or the 504 of a late one). */
      const answer = (out: Answer | typeof TIMED_OUT): void | Promise<void> => {
        if (out === TIMED_OUT) {
          cacheState = undefined;
          return reply(504, { message: "Endpoint request timed out", requestId });
        }
        const buf = out.body;
        const h = ["x-request-id", requestId];
        for (const n in out.headers) {
          if (!OWN_HEADERS.has(n)) h.push(n, out.headers[n] as string);
        }
        for (const c of out.cookies) h.push("set-cookie", c);
        const vary = out.headers.vary;
        if (vary && !st.cors) h.push("vary", vary);
        if (cacheState) h.push("x-cache", cacheState);
        if (version) h.push(VERSION_HEADER, version);
        decorate(h, vary);
        if (buf === undefined) {
          // A large streamed body: chunked, with backpressure, still bounded by the function's timeout.
          res.writeHead(out.status, h);
          const stream = out.stream as StreamedBody;
          if (method === "HEAD") {
            stream.reader.cancel().catch(() => undefined);
            res.end();
            return finish(out.status);
          }
          return pipeBody(stream, res, timeoutMs - (performance.now() - started), ctx).then(() => finish(out.status));
        }
        if (cacheKey !== undefined) {
          const headers: [string, string][] = [];
          for (const n in out.headers) if (!OWN_HEADERS.has(n) || n === "vary") headers.push([n, out.headers[n] as string]);
          for (const c of out.cookies) headers.push(["set-cookie", c]);
          st.cache.put(
            cacheKey,
            out.status,
            headers,
            typeof buf === "string" ? Buffer.from(buf) : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength),
            cacheSpec as NonNullable<typeof cacheSpec>,
          );
        }
        h.push("content-length", String(typeof buf === "string" ? Buffer.byteLength(buf) : buf.byteLength));
        res.writeHead(out.status, h);
        res.end(buf);
        finish(out.status);
      };

      const started = performance.now();
      // A cacheable answer is read whole (the cache keeps it); others may be streamed once large.
      const pending = answerOf(handler, request, ctx, timeoutMs, cacheKey !== undefined);
      return pending instanceof Promise ? pending.then(answer) : answer(pending);
    };

    return route.auth.kind === "none"
      ? authorised(NO_AUTH)
      : route.auth.kind === "apiKey"
        ? authorised(st.auth.checkKey(route.auth, req.headers))
        : st.auth.check(route.auth, req.headers).then(authorised);
  }

  const done = () => {
    inflight--;
    if (closing && inflight === 0) drained?.();
  };
  /** A request the gateway itself failed on (a bug, never the handler's throw): 500, or the connection cut once headers are out. */
  const failed = (res: http.ServerResponse, requestId: string, e: unknown) => {
    handlerLog("error", JSON.stringify({ level: "error", msg: "gateway error", requestId, error: String(e) }));
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("x-request-id", requestId);
      res.setHeader("content-type", JSON_TYPE);
      res.end(JSON.stringify({ message: "Internal Server Error" }));
    } else res.destroy();
    done();
  };
  const server = http.createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // How often node checks those two timeouts (its default, 30 s, would let them overrun).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, (options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS) / 2)),
    },
    (req, res) => {
      if (closing) res.setHeader("connection", "close");
      inflight++;
      const requestId = randomUUID();
      let served: void | Promise<void>;
      try {
        served = handle(req, res, requestId);
      } catch (e) {
        return failed(res, requestId, e);
      }
      // One settle handler pair (no .finally) when the request went asynchronous; none otherwise.
      if (served instanceof Promise) served.then(done, (e) => failed(res, requestId, e));
      else done();
    },
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new ModelError([{ path: "", message: `port ${options.port} is in use. Pass another --port (0 picks a free one).` }], "")
          : e,
      ),
    );
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  // Reload on change of the model or a function file: watch their folders (editors often save by
  // rename, which a watch on the file itself would lose), debounce, reload in place.
  let watchers: fs.FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  const reload = (): boolean => {
    const root = path.dirname(apiFile);
    for (const id of Object.keys(require.cache)) {
      if (id.startsWith(root) && !id.includes(`${path.sep}node_modules${path.sep}`) && !OWN_DIRS.some((d) => id.startsWith(d + path.sep))) {
        delete require.cache[id];
      }
    }
    try {
      state = build(loadApi(apiFile));
      log.note(`reloaded ${path.relative(process.cwd(), apiFile) || apiFile}: ${state.api.routes.length} routes`);
      if (options.watch !== false) watch();
      return true;
    } catch (e) {
      const msg = e instanceof ModelError ? e.message : e instanceof Error ? e.message : String(e);
      log.note(`error: ${msg}\nstill serving the last good model`, { level: "error" });
      return false;
    }
  };
  const watch = () => {
    for (const w of watchers) w.close();
    const dirs = new Set([path.dirname(apiFile), ...Object.values(state.api.functions).map((f) => path.dirname(f.file))]);
    watchers = [...dirs].map((dir) =>
      fs.watch(dir, (_event, file) => {
        if (file && !/\.(ts|js|mjs|cjs|mts|cts|json)$/.test(String(file))) return;
        clearTimeout(debounce);
        debounce = setTimeout(reload, 100);
      }),
    );
  };
  if (options.watch !== false) watch();

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      for (const w of watchers) w.close();
      clearTimeout(debounce);
      log.flush();
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      grace.unref();
      let pending = 2;
      const done = () => {
        if (--pending === 0) {
          clearTimeout(grace);
          log.flush();
          resolve();
        }
      };
      if (inflight === 0) done();
      else drained = done;
      // Keep-alive connections go idle once their last answer is sent: close them as they do.
      const idle = setInterval(() => server.closeIdleConnections(), 25);
      server.close(() => {
        clearInterval(idle);
        done();
      });
      server.closeIdleConnections();
    });
    return closed;
  };

  return { url: origin, port, keys, api: () => state.api, reload, close, server };
}

const NO_AUTH: AuthResult = { ok: true, info: { kind: "none" } };
/** `WWW-Authenticate` on 401s, as RFC 6750 (bearer) asks; API keys get none (no standard scheme). */
const WWW_AUTH: Record<string, Record<string, string> | undefined> = { jwt: { "www-authenticate": 'Bearer realm="switchyard"' } };
/** On the answers of a function with a canary: which version answered. */
export const VERSION_HEADER = "x-switchyard-version";
/** Handler headers the gateway sets itself (vary is merged with CORS's). */
const OWN_HEADERS = new Set(["vary", "content-length", "transfer-encoding", "x-request-id"]);
/**
 * A body read from a stream is buffered up to this size (so a small, slow body still gets the 504
 * of the function timeout, as on a buffering cloud gateway); past it, the rest is streamed.
 */
export const STREAM_AFTER_BYTES = 64 * 1024;

type Version = "stable" | "canary";
interface Versions {
  file: string;
  stable: LoadedModule;
  canary?: LoadedModule;
}

function exportOf(spec: FunctionSpec, mod: Record<string, unknown>): Handler {
  const exp = spec.export === "default" ? (mod.default ?? mod) : mod[spec.export];
  if (typeof exp !== "function") throw new Error(`${spec.relFile} has no function export "${spec.export}"`);
  return exp as Handler;
}

const TIMED_OUT = Symbol("timed out");
/** Shared by the timer and the body reader: whether the answer is late, and how to stop reading it. */
interface LateWatch {
  late: boolean;
  cancel?: () => void;
}

interface StreamedBody {
  chunks: Uint8Array[];
  reader: ReadableStreamDefaultReader<Uint8Array>;
}
/** The handler's answer: the whole body, or (body undefined) its first chunks and the rest to stream. */
interface Answer extends Omit<ReadResponse, "body"> {
  body?: string | Uint8Array;
  stream?: StreamedBody;
}

/**
 * Runs the handler and reads its answer (up to the streaming threshold), bounded by the function's
 * timeout; a late result is dropped (and its stream cancelled). A handler that returns a
 * `LightResponse` at once (the common case: `Response.json(...)` in a sync handler) is read at once,
 * without a timer or promise (it cannot be late); anything else goes through `guardHandler`
 * (runtime/shared.ts), which turns a throw, a rejection or a non-Response into the 500 answer.
 */
function answerOf(
  handler: Handler,
  request: ReturnType<typeof toRequest>,
  ctx: Parameters<Handler>[1],
  timeoutMs: number,
  whole: boolean,
): Answer | Promise<Answer | typeof TIMED_OUT> {
  let result: unknown;
  try {
    result = handler(request as unknown as Request, ctx);
  } catch (e) {
    result = Promise.reject(e);
  }
  if (readsNow(result)) return readResponse(result) as ReadResponse;
  return new Promise((resolve) => {
    const watch: LateWatch = { late: false };
    const timer = setTimeout(() => {
      watch.late = true;
      // A body still being read (a stalled stream) is cancelled now, not left pending.
      watch.cancel?.();
      resolve(TIMED_OUT);
    }, timeoutMs);
    guardHandler<Response | LightResponse>(() => result, ctx, LightResponse, errorResponse)
      .then((response) => readAnswer(response, ctx, whole, watch))
      .then((value) => {
        if (watch.late) {
          value.stream?.reader.cancel().catch(() => undefined);
          return;
        }
        clearTimeout(timer);
        resolve(value);
      });
  });
}

/**
 * Status, headers, cookies and body of the handler's answer. A `LightResponse` with a string / bytes
 * source is read as is (no stream, no copy); a stream body is read until it ends or passes
 * `STREAM_AFTER_BYTES` (unless `whole`). A body that fails to read gives a 500.
 */
async function readAnswer(
  response: Response | LightResponse,
  ctx: Parameters<Handler>[1],
  whole: boolean,
  watch: LateWatch,
): Promise<Answer> {
  try {
    if (readsNow(response)) return readResponse(response) as ReadResponse;
    const { headers, cookies } = (LightResponse.isLight(response) ? response.headers : new LightHeaders(response.headers)).toRecord();
    const status = response.status;
    const stream = response.body as ReadableStream<Uint8Array> | null;
    if (!stream) return { status, headers, cookies, body: "" };
    const reader = stream.getReader();
    watch.cancel = () => void reader.cancel().catch(() => undefined);
    if (watch.late) watch.cancel();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { status, headers, cookies, body: chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks) };
      if (!(value instanceof Uint8Array)) {
        reader.cancel().catch(() => undefined);
        throw new TypeError("the response stream gave a chunk that is not a Uint8Array");
      }
      chunks.push(value);
      size += value.byteLength;
      if (watch.late) return { status, headers, cookies, body: "" }; // dropped by the caller (the stream is cancelled)
      if (!whole && size > STREAM_AFTER_BYTES) return { status, headers, cookies, stream: { chunks, reader } };
    }
  } catch (e) {
    ctx.log.error("reading the response body failed", { error: e instanceof Error ? e.message : String(e) });
    return readResponse(errorResponse(ctx.requestId)) as ReadResponse;
  }
}

/**
 * Writes the rest of a streamed body with backpressure (waits for `drain`). The function's timeout
 * still bounds it: a body not finished in time, or failing mid-way, cuts the connection (the status
 * is already sent); a client that goes away cancels the handler's stream.
 */
function pipeBody(body: StreamedBody, res: http.ServerResponse, remainingMs: number, ctx: Parameters<Handler>[1]): Promise<void> {
  const { reader } = body;
  return new Promise((resolve) => {
    let over = false;
    const stop = (error?: string) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      res.off("close", onClose);
      if (error !== undefined) {
        ctx.log.error(error);
        reader.cancel().catch(() => undefined);
        res.destroy();
      }
      resolve();
    };
    const timer = setTimeout(
      () => stop("the response body did not finish within the function timeout; connection closed"),
      Math.max(0, remainingMs),
    );
    const onClose = () => {
      if (!res.writableFinished) {
        reader.cancel().catch(() => undefined);
        stop();
      }
    };
    res.on("close", onClose);
    for (const c of body.chunks) res.write(c);
    body.chunks = [];
    const next = (): void => {
      reader.read().then(
        ({ done, value }) => {
          if (over) return;
          if (done) {
            res.end();
            stop();
          } else if (!(value instanceof Uint8Array)) stop("the response stream gave a chunk that is not a Uint8Array");
          else if (res.write(value)) next();
          else res.once("drain", next);
        },
        (e) => stop(`reading the response body failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    };
    next();
  });
}
/** Reads the request body up to `limit` bytes; undefined when it is larger. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!over) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}
