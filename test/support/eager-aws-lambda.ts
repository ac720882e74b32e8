import type {
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  CorsEnv,
  SecretsEnv,
} from "../../runtime/aws-lambda";
import { type AuthInfo, type Handler, scopesOf } from "../../runtime/index";
import { callHandler, consumerMap, errorResponse, HostContext, isTextType, traceIdOf } from "../../runtime/shared";

/**
 * Test oracle for runtime/aws-lambda.ts: the plain Web-standard AWS adapter that bundles shipped
 * before the lazy one (a real `Request` per invocation, the handler's `Response` read back with its
 * public API). test/runtime/lazy-adapter.test.ts asserts the shipped adapter gives the same result
 * on every event shape, answer kind, CORS, secrets and trace case.
 */

type LambdaContext = { awsRequestId?: string } | undefined;

/**
 * Wraps a portable handler as a Lambda handler for API Gateway: HTTP API payload 2.0 and REST
 * proxy 1.0 events (told apart by `version` / `httpMethod`). With `secrets` (`loadSecrets`), the
 * function's secrets are loaded into `process.env` before the first request reaches the handler;
 * bundle/targets/aws.ts passes it only to functions that declare secrets, so the others do not
 * carry the loader.
 */
export function eagerLambdaHandler(handler: Handler, functionName: string, secrets?: (env: SecretsEnv) => Promise<void>) {
  let secretsLoaded: Promise<void> | undefined;
  return async (event: ApiGatewayV2Event | ApiGatewayV1Event, context?: LambdaContext) => {
    const v2 = (event as ApiGatewayV2Event).version === "2.0";
    const requestId =
      (v2 ? (event as ApiGatewayV2Event).requestContext?.requestId : (event as ApiGatewayV1Event).requestContext?.requestId) ??
      context?.awsRequestId ??
      "unknown";
    const origin = headerOf(event, "origin");
    const method = v2 ? (event as ApiGatewayV2Event).requestContext?.http?.method : (event as ApiGatewayV1Event).httpMethod;
    if (secrets) {
      try {
        secretsLoaded ??= secrets(process.env);
        await secretsLoaded;
      } catch (e) {
        secretsLoaded = undefined; // retried on the next request
        process.stderr.write(
          `${JSON.stringify({ level: "error", msg: "could not read secrets", requestId, error: (e as Error).message })}\n`,
        );
        return toResult(errorResponse(requestId), v2, origin, method);
      }
    }
    if (method === "OPTIONS" && origin && headerOf(event, "access-control-request-method") && process.env.SWITCHYARD_CORS) {
      // A CORS preflight routed to the function (an ANY route): answered here, never by the handler.
      return toResult(new Response(null, { status: 204, headers: preflightHeaders(origin) }), v2, origin, method);
    }
    let request: Request;
    try {
      request = v2 ? requestFromV2(event as ApiGatewayV2Event) : requestFromV1(event as ApiGatewayV1Event);
    } catch {
      return toResult(errorResponse(requestId, 400, "malformed request"), v2, origin, method);
    }
    const params = cleanParams(event.pathParameters);
    // API Gateway forwards X-Amzn-Trace-Id; Lambda also sets _X_AMZN_TRACE_ID per invocation.
    const traceId =
      traceIdOf("aws", (h) => headerOf(event, h)) ??
      traceIdOf("aws", (h) => (h === "x-amzn-trace-id" ? process.env._X_AMZN_TRACE_ID : undefined));
    const ctx = new HostContext("aws", functionName, requestId, params, authOf(event, v2), traceId);
    const response = await callHandler(handler, request, ctx);
    return toResult(response, v2, origin, method);
  };
}

function cleanParams(p: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (p) for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}

function parseClaims(raw: unknown): Record<string, unknown> | undefined {
  if (raw && typeof raw === "object") return raw as Record<string, unknown>;
  if (typeof raw !== "string") return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function authOf(event: ApiGatewayV2Event | ApiGatewayV1Event, v2: boolean): AuthInfo {
  const authorizer = event.requestContext?.authorizer ?? undefined;
  const jwt = authorizer?.jwt;
  const claims = jwt?.claims ?? (!v2 ? parseClaims((authorizer as { claims?: unknown } | undefined)?.claims) : undefined);
  if (claims) {
    const scopes = jwt?.scopes ?? scopesOf(claims);
    return { kind: "jwt", ...(typeof claims.sub === "string" ? { subject: claims.sub } : {}), claims, scopes: [...scopes] };
  }
  const keyId = !v2 ? (event as ApiGatewayV1Event).requestContext?.identity?.apiKeyId : undefined;
  if (keyId) {
    const consumer = consumerMap()[keyId];
    return { kind: "apiKey", ...(consumer ? { consumer } : {}) };
  }
  return { kind: "none" };
}

/** A request header, case-insensitively (v1 events keep the client's casing). */
function headerOf(event: ApiGatewayV2Event | ApiGatewayV1Event, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name && v !== undefined) return v;
  return undefined;
}

function host(event: ApiGatewayV2Event | ApiGatewayV1Event): string {
  return headerOf(event, "host") ?? event.requestContext?.domainName ?? "localhost";
}

function bodyOf(body: string | null | undefined, base64: boolean | undefined, method: string): BodyInit | undefined {
  if (body == null || method === "GET" || method === "HEAD") return undefined;
  return base64 ? new Uint8Array(Buffer.from(body, "base64")) : body;
}

function requestFromV2(e: ApiGatewayV2Event): Request {
  const method = e.requestContext.http.method;
  const headers = new Headers();
  // Payload 2.0 joins repeated headers with commas and moves cookies to `cookies` (aws.md §4.1).
  for (const [k, v] of Object.entries(e.headers ?? {})) if (v !== undefined && k.toLowerCase() !== "cookie") headers.set(k, v);
  if (e.cookies?.length) headers.set("cookie", e.cookies.join("; "));
  // rawQueryString keeps repeated keys and their order (`a=1&a=2`).
  const qs = e.rawQueryString ? `?${e.rawQueryString}` : "";
  const url = `https://${host(e)}${e.rawPath}${qs}`;
  const body = bodyOf(e.body, e.isBase64Encoded, method);
  return new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
}

function requestFromV1(e: ApiGatewayV1Event): Request {
  const method = e.httpMethod;
  const headers = new Headers();
  if (e.multiValueHeaders) {
    for (const [k, vs] of Object.entries(e.multiValueHeaders)) for (const v of vs ?? []) headers.append(k, v);
  } else {
    for (const [k, v] of Object.entries(e.headers ?? {})) if (v !== undefined) headers.set(k, v);
  }
  const search = new URLSearchParams();
  if (e.multiValueQueryStringParameters) {
    for (const [k, vs] of Object.entries(e.multiValueQueryStringParameters)) for (const v of vs ?? []) search.append(k, v);
  } else {
    for (const [k, v] of Object.entries(e.queryStringParameters ?? {})) if (v !== undefined) search.append(k, v);
  }
  const qs = search.size ? `?${search.toString()}` : "";
  // REST gives the decoded path: re-encode each segment.
  const path = e.path
    .split("/")
    .map((s) => encodeURIComponent(safeDecode(s)))
    .join("/");
  const url = `https://${host(e)}${path}${qs}`;
  const body = bodyOf(e.body, e.isBase64Encoded, method);
  return new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * CORS headers for REST responses (the REST flavour has no CORS setting, so the provider passes the
 * model's CORS in `SWITCHYARD_CORS`); HTTP APIs add them at the gateway and ignore the function's.
 */
function corsHeaders(origin: string | undefined): Record<string, string> {
  const cors = corsSettings();
  if (!origin || !cors?.allowOrigins.includes(origin)) return {};
  return { "access-control-allow-origin": origin, ...cors.headers };
}

/** Preflight answer headers for an allowed origin (REST; HTTP APIs add their own and ignore these). */
function preflightHeaders(origin: string): Record<string, string> {
  const cors = corsSettings();
  return cors?.allowOrigins.includes(origin) ? { ...cors.preflight } : {};
}

/** `SWITCHYARD_CORS` as the provider sets it (runtime/aws-lambda.ts `corsEnv`), or undefined. */
function corsSettings(): CorsEnv | undefined {
  try {
    return JSON.parse(process.env.SWITCHYARD_CORS ?? "");
  } catch {
    return undefined;
  }
}

async function toResult(res: Response, v2: boolean, origin?: string, method?: string): Promise<ApiGatewayV2Result | ApiGatewayV1Result> {
  const contentType = res.headers.get("content-type");
  // Reads streamed bodies to the end: API Gateway proxy results are buffered.
  const buf = method === "HEAD" ? Buffer.alloc(0) : Buffer.from(await res.arrayBuffer());
  const text = isTextType(contentType);
  const body = text ? buf.toString("utf8") : buf.toString("base64");
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = res.headers.getSetCookie();
  if (v2) {
    return { statusCode: res.status, headers, ...(cookies.length ? { cookies } : {}), body, isBase64Encoded: !text };
  }
  const cors = corsHeaders(origin);
  if (cors["access-control-allow-origin"]) {
    Object.assign(headers, cors);
    headers.vary = headers.vary ? `${headers.vary}, Origin` : "Origin";
  }
  const multiValueHeaders: Record<string, string[]> = {};
  if (cookies.length) multiValueHeaders["set-cookie"] = cookies;
  return { statusCode: res.status, headers, multiValueHeaders, body, isBase64Encoded: !text };
}

// ---------------------------------------------------------------------------------------------
// Secrets at cold start.
