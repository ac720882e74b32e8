import type { ApiGatewayV1Event, ApiGatewayV1Result, ApiGatewayV2Event, ApiGatewayV2Result, SecretsEnv } from "./aws-lambda";
import { type AuthInfo, type Handler, scopesOf } from "./index";
import { LazyRequest, LightHeaders, type ReadResponse, readResponse } from "./lazy";
import { callHandler, errorResponse } from "./lazy-call";
import { consumerMap, isTextType, makeContext, traceIdOf } from "./shared";

/**
 * The AWS Lambda adapter of runtime/aws-lambda.ts built on runtime/lazy.ts (issue #9): the same
 * events in and the same results out (test/runtime/lazy-adapter.test.ts compares them on every event
 * shape, answer kind, CORS, secrets and trace case), but the handler gets a `LazyRequest` (URL,
 * headers and body decoded only when read) and a `LightResponse` is read from its source, so neither
 * an invocation nor the cold start pays for Node's fetch implementation unless the handler itself
 * needs a real `Request` / `Response` (bundles inject the stand-ins: runtime/light-inject.ts). Any
 * real `Response` a handler returns is still read in full.
 *
 * The adapter AWS bundles ship (bundle/targets/aws.ts). With lazy.ts the example's AWS bundles are
 * 11–14 KB, over issue #9's 10 KB goal; that is the price of taking Node's fetch load (tens of ms)
 * off every cold start. bench/adapters.ts and bench/cold-start.ts measure it beside the eager
 * adapter of runtime/aws-lambda.ts, which stays as the reference it is tested equal to.
 */

type Event = ApiGatewayV2Event | ApiGatewayV1Event;
type Result = ApiGatewayV2Result | ApiGatewayV1Result;
type LambdaContext = { awsRequestId?: string } | undefined;
type Headers_ = Record<string, string | undefined>;

/**
 * `lambdaHandler` of runtime/aws-lambda.ts on lazy requests and light responses. Wraps a portable handler as a Lambda handler for API Gateway: HTTP API payload 2.0 and REST
 * proxy 1.0 events (told apart by `version`). With `secrets` (`loadSecrets`), the function's
 * secrets are loaded into `process.env` before the first request reaches the handler.
 */
export function lazyLambdaHandler(handler: Handler, functionName: string, secrets?: (env: SecretsEnv) => Promise<void>) {
  let loaded: Promise<void> | undefined;
  return async (event: Event, context?: LambdaContext): Promise<Result> => {
    const v1 = event as ApiGatewayV1Event;
    const v2 = (event as ApiGatewayV2Event).version === "2.0";
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? "unknown";
    // Payload 2.0 header names are lower case (the 2.0 example in the first link above); REST keeps
    // the client's casing, so its look-ups go through a lower-cased copy.
    let headers: Headers_ = event.headers ?? {};
    if (!v2) {
      const lower: Headers_ = {};
      for (const k in headers) lower[k.toLowerCase()] ??= headers[k];
      headers = lower;
    }
    const origin = headers.origin;
    const method = v2 ? (event as ApiGatewayV2Event).requestContext?.http?.method : v1.httpMethod;
    const cors = corsOf(origin);
    const e2 = event as ApiGatewayV2Event;
    const done = (r: ReadResponse): Result => {
      const { status: statusCode, headers: h, cookies } = r;
      const text = isTextType(h["content-type"]);
      // API Gateway proxy results are buffered; a HEAD answer has no body.
      const b = method === "HEAD" ? "" : r.body;
      const body = (typeof b === "string" ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString(
        text ? "utf8" : "base64",
      );
      if (v2) return { statusCode, headers: h, ...(cookies.length ? { cookies } : {}), body, isBase64Encoded: !text };
      // REST has no CORS setting: the model's CORS headers are added here (HTTP APIs add their own).
      if (cors?.headers) {
        Object.assign(h, cors.headers);
        h.vary = h.vary ? `${h.vary}, Origin` : "Origin";
      }
      return { statusCode, headers: h, multiValueHeaders: cookies.length ? { "set-cookie": cookies } : {}, body, isBase64Encoded: !text };
    };
    const fail = (status?: number, message?: string) => done(readResponse(errorResponse(requestId, status, message)) as ReadResponse);
    if (secrets) {
      try {
        loaded ??= secrets(process.env);
        await loaded;
      } catch (e) {
        loaded = undefined; // retried on the next request
        process.stderr.write(
          `${JSON.stringify({ level: "error", msg: "could not read secrets", requestId, error: (e as Error).message })}\n`,
        );
        return fail();
      }
    }
    if (cors && origin && method === "OPTIONS" && headers["access-control-request-method"]) {
      // A CORS preflight routed to the function (an ANY route): answered here, never by the handler.
      return done({ status: 204, headers: cors.preflight, cookies: [], body: "" });
    }
    let request: LazyRequest;
    try {
      const url = `https://${headers.host ?? event.requestContext?.domainName ?? "localhost"}`;
      // A host a Request would reject is a 400 (the usual host is not parsed).
      if (!/^[\w.:[\]-]+$/.test(url.slice(8)) && !URL.canParse(url)) throw 0;
      request = new LazyRequest(v2 ? url + e2.rawPath + (e2.rawQueryString ? `?${e2.rawQueryString}` : "") : () => url + pathOf(v1), {
        method: method as string,
        headers: v2
          ? () => {
              // Payload 2.0 joins repeated headers with commas and moves cookies to `cookies` (aws.md §4.1).
              const h = LightHeaders.fromRecord(e2.headers, "cookie");
              if (e2.cookies?.length) h.append("cookie", e2.cookies.join("; "));
              return h;
            }
          : () => LightHeaders.fromRecord(v1.multiValueHeaders ?? v1.headers),
        body: event.body == null ? null : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body,
      });
    } catch {
      return fail(400, "malformed request");
    }
    const params: Record<string, string> = {};
    const p = event.pathParameters;
    for (const k in p) if (p[k] !== undefined) params[k] = p[k];
    // API Gateway forwards X-Amzn-Trace-Id; Lambda also sets _X_AMZN_TRACE_ID per invocation.
    const traceId =
      traceIdOf("aws", (h) => headers[h]) ?? traceIdOf("aws", (h) => (h === "x-amzn-trace-id" ? process.env._X_AMZN_TRACE_ID : undefined));
    const ctx = makeContext("aws", functionName, requestId, params, authOf(event, v2), traceId);
    return done(await readResponse(await callHandler(handler, request, ctx)));
  };
}

/** REST gives the decoded path and query: both re-encoded (rawQueryString of 2.0 keeps repeated keys as sent). */
function pathOf(e: ApiGatewayV1Event): string {
  const search = new URLSearchParams();
  const multi = e.multiValueQueryStringParameters;
  const single = e.queryStringParameters;
  if (multi) for (const k in multi) for (const v of multi[k] ?? []) search.append(k, v);
  else for (const k in single) if (single[k] !== undefined) search.append(k, single[k]);
  const path = e.path
    .split("/")
    .map((s) => {
      try {
        return encodeURIComponent(decodeURIComponent(s));
      } catch {
        return encodeURIComponent(s);
      }
    })
    .join("/");
  return search.size ? `${path}?${search}` : path;
}

function authOf(event: Event, v2: boolean): AuthInfo {
  const a = event.requestContext?.authorizer;
  let claims: unknown = a?.jwt?.claims ?? (v2 ? undefined : (a as { claims?: unknown } | undefined)?.claims);
  if (typeof claims === "string") {
    try {
      claims = JSON.parse(claims);
      if (Array.isArray(claims)) claims = undefined;
    } catch {
      claims = undefined;
    }
  }
  if (claims && typeof claims === "object") {
    const c = claims as Record<string, unknown>;
    const scopes = a?.jwt?.scopes ?? scopesOf(c);
    return { kind: "jwt", ...(typeof c.sub === "string" ? { subject: c.sub } : {}), claims: c, scopes: [...scopes] };
  }
  const keyId = !v2 && (event as ApiGatewayV1Event).requestContext?.identity?.apiKeyId;
  const consumer = keyId && consumerMap()[keyId];
  return keyId ? { kind: "apiKey", ...(consumer ? { consumer } : {}) } : { kind: "none" };
}

interface Cors {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  allowCredentials?: boolean;
  maxAgeSeconds?: number;
}

let corsRaw: string | undefined;
let corsValue: Cors | undefined;

/** `SWITCHYARD_CORS` parsed once per value (never per request: a parse, let alone a throw, costs µs). */
function parsedCors(): Cors | undefined {
  const raw = process.env.SWITCHYARD_CORS;
  if (raw !== corsRaw) {
    corsRaw = raw;
    try {
      corsValue = raw ? JSON.parse(raw) : undefined;
    } catch {
      corsValue = undefined;
    }
  }
  return corsValue;
}

/**
 * When the model has CORS (`SWITCHYARD_CORS`, set by the provider: the REST flavour has no CORS
 * setting; HTTP APIs add CORS at the gateway and ignore the function's headers): for an origin it
 * allows, the headers of every REST answer and those of a preflight answer; for another origin, an
 * empty preflight answer. Undefined when the model has no CORS.
 */
function corsOf(origin: string | undefined): { headers?: Record<string, string>; preflight: Record<string, string> } | undefined {
  const cors = parsedCors();
  if (!cors) return undefined;
  // CORS on, origin not allowed: preflights are still answered here (with no CORS headers).
  if (!origin || !cors.allowOrigins?.includes(origin)) return { preflight: {} };
  return {
    headers: {
      "access-control-allow-origin": origin,
      ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
      ...(cors.exposeHeaders?.length ? { "access-control-expose-headers": cors.exposeHeaders.join(",") } : {}),
    },
    preflight: {
      "access-control-allow-methods": [...new Set([...(cors.allowMethods ?? []), "OPTIONS"])].join(","),
      "access-control-allow-headers": (cors.allowHeaders ?? []).join(","),
      "access-control-max-age": String(cors.maxAgeSeconds ?? 600),
    },
  };
}
