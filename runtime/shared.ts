import { type AuthInfo, type CloudName, type Context, createLogger, type Handler, type Logger } from "./index";

/** Content types whose bodies travel as text; everything else is treated as binary. */
export function isTextType(contentType: string | null | undefined): boolean {
  return !contentType || /^text\/|json|xml|javascript|x-www-form-urlencoded|graphql/i.test(contentType);
}

/**
 * The handler context of the cloud adapters. A class, so that the logger is made on first use (most
 * handlers never log) by a getter on the prototype while each request's context stays one plain
 * object: building the logger eagerly (its base fields and four closures) was most of a context's
 * cost (issue #9 goal 1). Fields are assigned, not declared, to keep every bundle small.
 */
export class HostContext implements Context {
  declare readonly cloud: CloudName;
  declare readonly functionName: string;
  declare readonly requestId: string;
  declare readonly params: Record<string, string>;
  declare readonly auth: AuthInfo;
  declare readonly traceId?: string;
  #log: Logger | undefined;
  constructor(cloud: CloudName, functionName: string, requestId: string, params: Record<string, string>, auth: AuthInfo, traceId?: string) {
    this.cloud = cloud;
    this.functionName = functionName;
    this.requestId = requestId;
    this.params = params;
    this.auth = auth;
    this.traceId = traceId;
  }
  get log(): Logger {
    // An undefined traceId is left out of every line (JSON.stringify drops undefined values).
    // biome-ignore lint/suspicious/noAssignInExpressions: a memoising getter; this form is the smaller bundle (issue #9 goal 3).
    return (this.#log ??= createLogger({
      requestId: this.requestId,
      function: this.functionName,
      cloud: this.cloud,
      traceId: this.traceId,
    }));
  }
}

/**
 * Trace ids from the hosts' trace headers, each its own function so that a bundle carries only its
 * cloud's parser (what `traceIdOf` composes):
 * - `xrayRoot`: AWS `x-amzn-trace-id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…;Sampled=1` → the Root
 *   (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader);
 * - `w3cTraceId`: W3C `traceparent: 00-<32 hex trace id>-<16 hex parent>-<flags>` → the trace id
 *   (https://www.w3.org/TR/trace-context/#traceparent-header);
 * - `gcpTraceId`: GCP `x-cloud-trace-context: TRACE_ID/SPAN_ID;o=1` → TRACE_ID
 *   (https://cloud.google.com/trace/docs/trace-context#legacy-http-header).
 */
export const xrayRoot = (value: string | undefined): string | undefined => /(?:^|;)\s*Root=([^;\s]+)/.exec(value ?? "")?.[1];

export const w3cTraceId = (value: string | undefined): string | undefined => {
  const m = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}/.exec((value ?? "").trim())?.[1];
  return m && !/^0+$/.test(m) ? m : undefined;
};

// node hands the Functions Framework header values with surrounding whitespace already removed.
export const gcpTraceId = (value: string | undefined): string | undefined => /^([\da-f]{1,32})(\/|$)/i.exec(value ?? "")?.[1];

/** The trace id from the host's trace headers: the cloud's own header first, then W3C `traceparent`. */
export function traceIdOf(cloud: CloudName, header: (name: string) => string | undefined): string | undefined {
  return (
    (cloud === "aws" ? xrayRoot(header("x-amzn-trace-id")) : cloud === "gcp" ? gcpTraceId(header("x-cloud-trace-context")) : undefined) ||
    w3cTraceId(header("traceparent"))
  );
}

/**
 * Calls the handler; a throw or an answer that is not a response becomes `fail(requestId)` (a 500
 * JSON answer), with the failure logged once, so one bad request never takes the host down. An
 * answer is a response when it is an instance of `type` (the lazy adapters give `LightResponse`, whose
 * `instanceof` accepts real Responses too and never touches the global `Response`).
 */
export async function guardHandler<R>(
  call: () => unknown,
  ctx: Context,
  type: { [Symbol.hasInstance](x: unknown): boolean },
  fail: (requestId: string) => R,
): Promise<R> {
  try {
    const res: unknown = await call();
    if (!(res instanceof type)) {
      ctx.log.error("handler did not return a Response", { got: typeof res });
      return fail(ctx.requestId);
    }
    return res as R;
  } catch (e) {
    ctx.log.error("handler threw", { error: e instanceof Error ? e.message : String(e) });
    return fail(ctx.requestId);
  }
}

/** `guardHandler` for adapters that hand the handler a real `Request` and expect a real `Response`. */
export function callHandler(handler: Handler, request: Request, ctx: Context): Promise<Response> {
  return guardHandler(
    () => handler(request, ctx),
    ctx,
    Response,
    (id) => errorResponse(id),
  );
}

export function errorResponse(requestId: string, status = 500, message = "internal error"): Response {
  return Response.json({ error: message, requestId }, { status });
}

/** Consumer names by API key id, given to the function by the provider (`SWITCHYARD_CONSUMERS`). */
export function consumerMap(): Record<string, string> {
  try {
    return JSON.parse(process.env.SWITCHYARD_CONSUMERS ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}
