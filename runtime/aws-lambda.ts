import { type AuthInfo, createLogger, type Handler, scopesOf } from "./index";
import { LazyRequest, LightHeaders, type ReadResponse, readResponse } from "./lazy";
import { callHandler, errorResponse } from "./lazy-call";
import { consumerMap, HostContext, isTextType, w3cTraceId, xrayRoot } from "./shared";

/**
 * The AWS Lambda adapter: API Gateway HTTP API payload 2.0 and REST proxy (payload 1.0) events to a
 * Web `Request`, the `Response` back to the proxy result. Event shapes:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * and https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * (aws.md §4).
 *
 * On its first invocation it also resolves the function's secrets (when wrapped with `loadSecrets`):
 * for each `SECRET_ARN_<NAME>` the provider sets, it reads the value through the AWS Parameters and
 * Secrets Lambda Extension (a localhost GET; the extension calls Secrets Manager with the function
 * role's credentials) into `process.env.<NAME>`, so handlers read secrets like any environment value
 * while the function's configuration holds only ARNs.
 *
 * Built on runtime/lazy.ts (issue #9): the handler gets a `LazyRequest` (URL, headers and body
 * decoded only when read) and a `LightResponse` is read from its source, so neither an invocation
 * nor the cold start pays for Node's fetch implementation unless the handler itself needs a real
 * `Request` / `Response` (bundles inject the stand-ins: runtime/light-inject.ts). Any real
 * `Response` a handler returns is still read in full. With lazy.ts the example's AWS bundles
 * without secrets are 8,571–9,090 B (issue #9 goal 3: 10 KB, 10,240 B); the one with secrets also carries
 * `loadSecrets` (a localhost GET, about 0.5 KB) and is 10,196 B. Written for size as well
 * as speed: every bundle carries this file (test/bundle/build.test.ts gates the sizes).
 */

/** API Gateway HTTP API payload 2.0 (the fields the adapter reads). */
export interface ApiGatewayV2Event {
  version: "2.0";
  routeKey?: string;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: {
    requestId: string;
    domainName?: string;
    http: { method: string; path?: string; sourceIp?: string };
    authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null } };
  };
}

/** API Gateway REST proxy (payload 1.0) event. */
export interface ApiGatewayV1Event {
  version?: "1.0";
  resource?: string;
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: {
    requestId?: string;
    domainName?: string;
    identity?: { apiKeyId?: string | null; apiKey?: string | null; sourceIp?: string };
    /**
     * Cognito user pools: `claims` (object). switchyard's JWT authorizer: `sub`, `scope`, `claims`
     * (a JSON string: Lambda authorizer context values are strings).
     */
    authorizer?: {
      principalId?: string;
      claims?: Record<string, unknown> | string;
      scope?: string;
      jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null };
    } | null;
  };
}

export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export interface ApiGatewayV1Result {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

type Event = ApiGatewayV2Event | ApiGatewayV1Event;
/** Either payload as the adapter reads it: the fields of both (one name, no per-payload aliases in the bundle). */
export type AnyEvent = Omit<ApiGatewayV1Event, "version"> & Omit<ApiGatewayV2Event, "version"> & { version?: string };
type Result = ApiGatewayV2Result | ApiGatewayV1Result;
type LambdaContext = { awsRequestId?: string } | undefined;
type Headers_ = Record<string, string | undefined>;

/**
 * Wraps a portable handler as a Lambda handler for API Gateway: HTTP API payload 2.0 and REST
 * proxy 1.0 events (told apart by `version`). With `secrets` (`loadSecrets`), the function's
 * secrets are loaded into `process.env` before the first request reaches the handler;
 * bundle/targets/aws.ts passes it only to functions that declare secrets, so the others do not
 * carry the loader.
 */
export function lambdaHandler(handler: Handler, functionName: string, secrets?: (env: SecretsEnv) => Promise<void>) {
  return lambdaAdapter(handler, functionName, secrets, jwtAuth, apiKeyAuth);
}

/** Reads the caller of one kind of route auth from the event; undefined when the event has none. */
export type AuthReader = (event: Event | AnyEvent, v2: boolean) => AuthInfo | undefined;

/**
 * `lambdaHandler` with the caller readers given: the first that finds a caller wins, else the
 * caller is `{ kind: "none" }`. bundle/targets/aws.ts passes only the readers for the auth kinds of
 * the function's routes (`jwtAuth`, `apiKeyAuth`), so a bundle carries no parser it cannot use.
 */
export function lambdaAdapter(
  handler: Handler,
  functionName: string,
  secrets: ((env: SecretsEnv) => Promise<void>) | undefined,
  ...readers: AuthReader[]
) {
  let loaded: Promise<void> | undefined;
  const adapter = async (event: AnyEvent, context?: LambdaContext): Promise<Result> => {
    const v2 = event.version === "2.0";
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
    const method = v2 ? event.requestContext?.http?.method : event.httpMethod;
    const cors = corsOf(origin);
    const done = ({ status: statusCode, headers: h, cookies, body: b }: ReadResponse): Result => {
      const text = isTextType(h["content-type"]);
      // API Gateway proxy results are buffered; a HEAD answer has no body. A text body is already
      // well-formed (readResponse), so it is its own UTF-8 reading.
      const body =
        method === "HEAD" ? "" : text && typeof b === "string" ? b : Buffer.from(b as Uint8Array).toString(text ? "utf8" : "base64");
      const result = { statusCode, headers: h, body, isBase64Encoded: !text } as ApiGatewayV2Result & ApiGatewayV1Result;
      if (v2) {
        if (cookies.length) result.cookies = cookies;
      } else {
        // REST has no CORS setting: the model's CORS headers are added here (HTTP APIs add their own).
        if (cors?.headers) {
          Object.assign(h, cors.headers);
          h.vary = h.vary ? `${h.vary}, Origin` : "Origin";
        }
        result.multiValueHeaders = cookies.length ? { "set-cookie": cookies } : {};
      }
      return result;
    };
    const fail = (status?: number, message?: string) => done(readResponse(errorResponse(requestId, status, message)) as ReadResponse);
    if (secrets) {
      try {
        loaded ??= secrets(process.env);
        await loaded;
      } catch (e) {
        loaded = undefined; // retried on the next request
        createLogger({ requestId }).error("could not read secrets", { error: (e as Error).message });
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
      request = new LazyRequest(
        v2 ? url + event.rawPath + (event.rawQueryString ? `?${event.rawQueryString}` : "") : () => url + pathOf(event),
        {
          method: method as string,
          headers: v2
            ? () => {
                // Payload 2.0 joins repeated headers with commas and moves cookies to `cookies` (aws.md §4.1).
                const h = LightHeaders.fromRecord(event.headers, "cookie");
                if (event.cookies?.length) h.append("cookie", event.cookies.join("; "));
                return h;
              }
            : () => LightHeaders.fromRecord(event.multiValueHeaders ?? event.headers),
          body: event.body == null ? null : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body,
        },
      );
    } catch {
      return fail(400, "malformed request");
    }
    // API Gateway gives every path parameter as a string (null when the route has none).
    const params = { ...event.pathParameters } as Record<string, string>;
    // API Gateway forwards X-Amzn-Trace-Id; Lambda also sets _X_AMZN_TRACE_ID per invocation.
    const traceId = xrayRoot(headers["x-amzn-trace-id"]) || w3cTraceId(headers.traceparent) || xrayRoot(process.env._X_AMZN_TRACE_ID);
    // The first reader that finds a caller wins (`??=` calls no reader after it).
    let auth: AuthInfo | undefined;
    for (const read of readers) auth ??= read(event, v2);
    const ctx = new HostContext("aws", functionName, requestId, params, auth ?? { kind: "none" }, traceId);
    return done(await readResponse(await callHandler(handler, request, ctx)));
  };
  // The fields of both payloads are read from one value; callers pass either payload.
  return adapter as unknown as (event: Event, context?: LambdaContext) => Promise<Result>;
}

/** REST gives the decoded path and query: both re-encoded (rawQueryString of 2.0 keeps repeated keys as sent). */
function pathOf(e: Pick<ApiGatewayV1Event, "path" | "multiValueQueryStringParameters" | "queryStringParameters">): string {
  const search = new URLSearchParams();
  // Every value of a repeated key when REST gives them (multiValue…), else the one value per key.
  const q = e.multiValueQueryStringParameters ?? e.queryStringParameters;
  for (const k in q) for (const v of [q[k] ?? []].flat()) search.append(k, v);
  const path = e.path
    .split("/")
    .map((s) => {
      try {
        s = decodeURIComponent(s);
      } catch {}
      return encodeURIComponent(s);
    })
    .join("/");
  return search.size ? `${path}?${search}` : path;
}

/**
 * JWT routes: the claims API Gateway's JWT authorizer validated (HTTP API `jwt.claims`), or those of
 * switchyard's JWT authorizer on REST (`claims`, a JSON string: Lambda authorizer context values are
 * strings) or of a Cognito user pool authorizer (`claims`, an object).
 */
export const jwtAuth: AuthReader = (event, v2) => {
  const a = event.requestContext?.authorizer;
  let claims = (a?.jwt?.claims ?? (!v2 && (a as { claims?: unknown } | undefined)?.claims)) as Record<string, unknown> | string | undefined;
  if (typeof claims === "string")
    try {
      claims = JSON.parse(claims);
    } catch {}
  // Claims are a JSON object; anything else (a bad string, an array, null) means no caller.
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) return undefined;
  return {
    kind: "jwt",
    ...(typeof claims.sub === "string" ? { subject: claims.sub } : {}),
    claims,
    scopes: [...(a?.jwt?.scopes ?? scopesOf(claims))],
  };
};

/** API-key routes (REST only): the key's consumer name, from the key id API Gateway reports. */
export const apiKeyAuth: AuthReader = (event, v2) => {
  const keyId = !v2 && (event as ApiGatewayV1Event).requestContext?.identity?.apiKeyId;
  if (!keyId) return undefined;
  const consumer = consumerMap()[keyId];
  return { kind: "apiKey", ...(consumer ? { consumer } : {}) };
};

interface CorsAnswer {
  /** Headers of every REST answer (origin allowed only). */
  headers?: Record<string, string>;
  /** Headers of a preflight answer (empty when the origin is not allowed). */
  preflight: Record<string, string>;
}

const AC = "access-control-";

/**
 * `SWITCHYARD_CORS`: the model's CORS as the AWS functions get it, with the header values already
 * formatted by the provider (`corsEnv`), so the function only merges them (smaller bundles).
 */
export interface CorsEnv {
  /** Origins answered with CORS headers (security/invariants.ts checks them too). */
  allowOrigins: string[];
  /** Set when credentials are allowed (security/invariants.ts checks the origins against it). */
  allowCredentials?: boolean;
  /** Headers of every REST answer to an allowed origin, besides Access-Control-Allow-Origin. */
  headers: Record<string, string>;
  /** Headers of a preflight answer to an allowed origin, besides those. */
  preflight: Record<string, string>;
}

/**
 * `SWITCHYARD_CORS` for the model's normalised CORS settings; called by the provider
 * (providers/aws/component.ts), never by a bundle (esbuild leaves it out). Preflights allow the
 * model's methods and OPTIONS; max-age defaults to 600 s.
 */
export function corsEnv(c: {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  allowCredentials?: boolean;
  maxAgeSeconds?: number;
}): CorsEnv {
  const headers: Record<string, string> = {};
  if (c.allowCredentials) headers[`${AC}allow-credentials`] = "true";
  if (c.exposeHeaders?.length) headers[`${AC}expose-headers`] = c.exposeHeaders.join(",");
  return {
    allowOrigins: c.allowOrigins ?? [],
    ...(c.allowCredentials ? { allowCredentials: true } : {}),
    headers,
    preflight: {
      [`${AC}allow-methods`]: [...new Set([...(c.allowMethods ?? []), "OPTIONS"])].join(","),
      [`${AC}allow-headers`]: (c.allowHeaders ?? []).join(","),
      [`${AC}max-age`]: String(c.maxAgeSeconds ?? 600),
    },
  };
}

let corsRaw: string | undefined;
let corsValue: CorsEnv | undefined;

/**
 * When the model has CORS (`SWITCHYARD_CORS`, set by the provider: the REST flavour has no CORS
 * setting; HTTP APIs add CORS at the gateway and ignore the function's headers): for an origin it
 * allows, the headers of every REST answer and those of a preflight answer; for another origin, an
 * empty preflight answer. Undefined when the model has no CORS. The variable is parsed once per
 * value, never per request: a parse, let alone a throw, costs µs.
 */
function corsOf(origin: string | undefined): CorsAnswer | undefined {
  const raw = process.env.SWITCHYARD_CORS;
  if (raw !== corsRaw) {
    corsRaw = raw;
    try {
      corsValue = JSON.parse(raw as string);
    } catch {
      corsValue = undefined; // unset (JSON.parse(undefined) throws) or not JSON
    }
  }
  if (!corsValue) return undefined;
  // CORS on, origin not allowed: preflights are still answered here (with no CORS headers).
  if (!origin || !corsValue.allowOrigins.includes(origin)) return { preflight: {} };
  return { headers: { "access-control-allow-origin": origin, ...corsValue.headers }, preflight: { ...corsValue.preflight } };
}

export interface SecretsEnv {
  [name: string]: string | undefined;
}

/** Sends one GET with the session token header; injectable for tests. */
export type Get = (url: string, token: string) => Promise<{ status: number; text: string }>;

/**
 * GET with node:http, loaded on first use: the cold start does not pay for Node's fetch
 * implementation (issue #9).
 */
const get: Get = (url, token) =>
  new Promise((resolve, reject) => {
    process
      .getBuiltinModule("node:http")
      .get(url, { headers: { "x-aws-parameters-secrets-token": token } }, (res) =>
        // The whole answer as UTF-8 text (node's stream consumers; an error on the stream rejects).
        process
          .getBuiltinModule("node:stream/consumers")
          .text(res)
          .then((text) => resolve({ status: res.statusCode as number, text }), reject),
      )
      .on("error", reject);
  });

/**
 * For every `SECRET_ARN_<NAME>` in `env` whose `<NAME>` is unset, reads the secret string through
 * the AWS Parameters and Secrets Lambda Extension (the layer providers/aws/function.ts adds to every
 * function with secrets) and sets `env[<NAME>]`. The extension calls GetSecretValue with the
 * function role's credentials and caches the answer; the function only GETs
 * `http://localhost:<PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, default 2773>/secretsmanager/get?secretId=<id>`
 * with its session token in `X-Aws-Parameters-Secrets-Token`, and gets GetSecretValue's JSON back
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html).
 * The extension answers only in the INVOKE phase, not during INIT (same page), so the adapter calls
 * this from its first invocation. It replaced a SigV4-signed HTTPS call (about 1.4 KB smaller bundle).
 */
export async function loadSecrets(env: SecretsEnv, send: Get = get): Promise<void> {
  for (const key in env) {
    const id = env[key];
    const name = key.slice(11); // "SECRET_ARN_".length
    if (key.startsWith("SECRET_ARN_") && id && env[name] === undefined) {
      const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || 2773;
      const { status, text } = await send(
        `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(id)}`,
        env.AWS_SESSION_TOKEN ?? "",
      );
      // The provider stores every secret as a string (SecretVersion secretString, providers/aws/function.ts).
      const value = status === 200 && JSON.parse(text).SecretString;
      if (typeof value !== "string") throw new Error(`GetSecretValue ${id}: HTTP ${status} ${text.slice(0, 200)}`);
      env[name] = value;
    }
  }
}
