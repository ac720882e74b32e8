/**
 * Experimental AWS adapter built on runtime/lazy.ts (issue #9): same events in, same results out
 * as `lambdaHandler` in runtime/aws-lambda.ts (test/runtime/lazy-adapter.test.ts compares them),
 * but the handler gets a `LazyRequest` and a `LightResponse` is read from its source. Nothing here
 * touches the global `Request` / `Response` / `Headers` unless the handler does.
 *
 * This is the recipe the real adapter can follow at merge; it lives in bench/ so that the AWS
 * adapter's owner keeps runtime/aws-lambda.ts.
 */
import type { ApiGatewayV1Event, ApiGatewayV1Result, ApiGatewayV2Event, ApiGatewayV2Result } from "../runtime/aws-lambda";
import { type AuthInfo, type Context, type Handler, scopesOf } from "../runtime/index";
import { isResponse, LazyRequest, LightHeaders, LightResponse, type ReadResponse, readResponse } from "../runtime/lazy";
import { consumerMap, isTextType, makeContext } from "../runtime/shared";

type LambdaContext = { awsRequestId?: string } | undefined;
type Result = ApiGatewayV2Result | ApiGatewayV1Result;

/** `lambdaHandler` with lazy request building and source reads of the response. */
export function lazyLambdaHandler(handler: Handler, functionName: string) {
  return async (event: ApiGatewayV2Event | ApiGatewayV1Event, context?: LambdaContext): Promise<Result> => {
    const v2 = (event as ApiGatewayV2Event).version === "2.0";
    const requestId =
      (v2 ? (event as ApiGatewayV2Event).requestContext.requestId : (event as ApiGatewayV1Event).requestContext?.requestId) ??
      context?.awsRequestId ??
      "unknown";
    let request: LazyRequest;
    try {
      request = v2 ? requestFromV2(event as ApiGatewayV2Event) : requestFromV1(event as ApiGatewayV1Event);
    } catch {
      return toResult(errorRead(requestId, 400, "malformed request"), v2);
    }
    const ctx = makeContext("aws", functionName, requestId, cleanParams(event.pathParameters), authOf(event, v2));
    return call(handler, request, ctx).then((res) => {
      const read = readResponse(res);
      return read instanceof Promise ? read.then((r) => toResult(r, v2)) : toResult(read, v2);
    });
  };
}

async function call(handler: Handler, request: LazyRequest, ctx: Context): Promise<LightResponse | Response> {
  try {
    const res: unknown = await handler(request as unknown as Request, ctx);
    if (!isResponse(res)) {
      ctx.log.error("handler did not return a Response", { got: typeof res });
      return LightResponse.json({ error: "internal error", requestId: ctx.requestId }, { status: 500 });
    }
    return res;
  } catch (e) {
    ctx.log.error("handler threw", { error: e instanceof Error ? e.message : String(e) });
    return LightResponse.json({ error: "internal error", requestId: ctx.requestId }, { status: 500 });
  }
}

function errorRead(requestId: string, status: number, message: string): ReadResponse {
  return readResponse(LightResponse.json({ error: message, requestId }, { status })) as ReadResponse;
}

function cleanParams(p: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (p) for (const k in p) if (p[k] !== undefined) out[k] = p[k] as string;
  return out;
}

function authOf(event: ApiGatewayV2Event | ApiGatewayV1Event, v2: boolean): AuthInfo {
  const authorizer = event.requestContext?.authorizer ?? undefined;
  if (!authorizer && v2) return { kind: "none" };
  const jwt = authorizer?.jwt;
  const claims = jwt?.claims ?? (!v2 ? (authorizer as { claims?: Record<string, unknown> } | undefined)?.claims : undefined);
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

const SAFE_HOST = /^[A-Za-z0-9.:[\]-]+$/;

function urlOf(host: string, pathAndQuery: string): string {
  const url = `https://${host}${pathAndQuery}`;
  // A Request rejects an unparsable URL at construction; keep that (a 400) without parsing the usual host.
  if (!SAFE_HOST.test(host) && !URL.canParse(url)) throw new TypeError("invalid URL");
  return url;
}

function hostOf(headers: Record<string, string | undefined> | null | undefined, domain: string | undefined): string {
  return headers?.host ?? headers?.Host ?? domain ?? "localhost";
}

function bodyOf(body: string | null | undefined, base64: boolean | undefined): string | Uint8Array | null {
  if (body == null) return null;
  return base64 ? Buffer.from(body, "base64") : body;
}

function requestFromV2(e: ApiGatewayV2Event): LazyRequest {
  const qs = e.rawQueryString ? `?${e.rawQueryString}` : "";
  const url = urlOf(hostOf(e.headers, e.requestContext.domainName), `${e.rawPath}${qs}`);
  return new LazyRequest(url, {
    method: e.requestContext.http.method,
    headers: () => {
      const h = LightHeaders.fromRecord(e.headers);
      if (e.cookies?.length) h.set("cookie", e.cookies.join("; "));
      return h;
    },
    body: bodyOf(e.body, e.isBase64Encoded),
  });
}

function requestFromV1(e: ApiGatewayV1Event): LazyRequest {
  const host = hostOf(e.headers, e.requestContext?.domainName);
  // Fail early on a bad host, as a Request would; the path and query are built on first read.
  urlOf(host, "/");
  const url = () => {
    const search = new URLSearchParams();
    if (e.multiValueQueryStringParameters) {
      for (const [k, vs] of Object.entries(e.multiValueQueryStringParameters)) for (const v of vs ?? []) search.append(k, v);
    } else {
      for (const [k, v] of Object.entries(e.queryStringParameters ?? {})) if (v !== undefined) search.append(k, v);
    }
    const qs = search.size ? `?${search.toString()}` : "";
    const path = e.path
      .split("/")
      .map((s) => encodeURIComponent(safeDecode(s)))
      .join("/");
    return `https://${host}${path}${qs}`;
  };
  return new LazyRequest(url, {
    method: e.httpMethod,
    headers: () => LightHeaders.fromRecord(e.multiValueHeaders ?? e.headers),
    body: bodyOf(e.body, e.isBase64Encoded),
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function toResult(r: ReadResponse, v2: boolean): Result {
  const text = isTextType(r.headers["content-type"]);
  let body: string;
  if (typeof r.body === "string") body = text ? r.body : Buffer.from(r.body, "utf8").toString("base64");
  else {
    const buf = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
    body = text ? buf.toString("utf8") : buf.toString("base64");
  }
  if (v2) {
    return { statusCode: r.status, headers: r.headers, ...(r.cookies.length ? { cookies: r.cookies } : {}), body, isBase64Encoded: !text };
  }
  const multiValueHeaders: Record<string, string[]> = {};
  if (r.cookies.length) multiValueHeaders["set-cookie"] = r.cookies;
  return { statusCode: r.status, headers: r.headers, multiValueHeaders, body, isBase64Encoded: !text };
}
