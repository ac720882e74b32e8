import { type AuthInfo, type Handler, scopesOf } from "./index";
import { callHandler, consumerMap, errorResponse, isTextType, makeContext } from "./shared";

/** API Gateway HTTP API payload 2.0 (the fields the adapter reads). */
export interface ApiGatewayV2Event {
  version: "2.0";
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
    authorizer?: { claims?: Record<string, unknown>; jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null } } | null;
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

type LambdaContext = { awsRequestId?: string } | undefined;

/**
 * Wraps a portable handler as a Lambda handler for API Gateway: HTTP API payload 2.0 and REST
 * proxy 1.0 events (told apart by `version` / `httpMethod`).
 */
export function lambdaHandler(handler: Handler, functionName: string) {
  return async (event: ApiGatewayV2Event | ApiGatewayV1Event, context?: LambdaContext) => {
    const v2 = (event as ApiGatewayV2Event).version === "2.0";
    const requestId =
      (v2 ? (event as ApiGatewayV2Event).requestContext.requestId : (event as ApiGatewayV1Event).requestContext?.requestId) ??
      context?.awsRequestId ??
      "unknown";
    let request: Request;
    try {
      request = v2 ? requestFromV2(event as ApiGatewayV2Event) : requestFromV1(event as ApiGatewayV1Event);
    } catch {
      const bad = await toResult(errorResponse(requestId, 400, "malformed request"), v2);
      return bad;
    }
    const params = cleanParams(event.pathParameters);
    const ctx = makeContext("aws", functionName, requestId, params, authOf(event, v2));
    const response = await callHandler(handler, request, ctx);
    return toResult(response, v2);
  };
}

function cleanParams(p: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (p) for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}

function authOf(event: ApiGatewayV2Event | ApiGatewayV1Event, v2: boolean): AuthInfo {
  const authorizer = event.requestContext?.authorizer ?? undefined;
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

function host(headers: Record<string, string | undefined> | null | undefined, domain: string | undefined): string {
  return headers?.host ?? headers?.Host ?? domain ?? "localhost";
}

function bodyOf(body: string | null | undefined, base64: boolean | undefined, method: string): BodyInit | undefined {
  if (body == null || method === "GET" || method === "HEAD") return undefined;
  return base64 ? Buffer.from(body, "base64") : body;
}

function requestFromV2(e: ApiGatewayV2Event): Request {
  const method = e.requestContext.http.method;
  const headers = new Headers();
  for (const [k, v] of Object.entries(e.headers ?? {})) if (v !== undefined) headers.set(k, v);
  if (e.cookies?.length) headers.set("cookie", e.cookies.join("; "));
  const qs = e.rawQueryString ? `?${e.rawQueryString}` : "";
  const url = `https://${host(e.headers, e.requestContext.domainName)}${e.rawPath}${qs}`;
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
  const path = e.path
    .split("/")
    .map((s) => encodeURIComponent(safeDecode(s)))
    .join("/");
  const url = `https://${host(e.headers, e.requestContext?.domainName)}${path}${qs}`;
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

async function toResult(res: Response, v2: boolean): Promise<ApiGatewayV2Result | ApiGatewayV1Result> {
  const contentType = res.headers.get("content-type");
  const buf = Buffer.from(await res.arrayBuffer());
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
  const multiValueHeaders: Record<string, string[]> = {};
  if (cookies.length) multiValueHeaders["set-cookie"] = cookies;
  return { statusCode: res.status, headers, multiValueHeaders, body, isBase64Encoded: !text };
}
