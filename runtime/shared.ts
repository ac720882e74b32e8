import { type AuthInfo, type CloudName, type Context, createLogger, type Handler } from "./index";

/** Content types whose bodies travel as text; everything else is treated as binary. */
export function isTextType(contentType: string | null | undefined): boolean {
  return !contentType || /^text\/|json|xml|javascript|x-www-form-urlencoded|graphql/i.test(contentType);
}

export function makeContext(
  cloud: CloudName,
  functionName: string,
  requestId: string,
  params: Record<string, string>,
  auth: AuthInfo,
  traceId?: string,
): Context {
  const trace = traceId ? { traceId } : {};
  return {
    requestId,
    params,
    auth,
    cloud,
    functionName,
    log: createLogger({ requestId, function: functionName, cloud, ...trace }),
    ...trace,
  };
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
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/.exec((value ?? "").trim())?.[1];
  return m && !/^0+$/.test(m) ? m : undefined;
};

export const gcpTraceId = (value: string | undefined): string | undefined => /^([0-9a-fA-F]{1,32})(?:\/|$)/.exec((value ?? "").trim())?.[1];

/** The trace id from the host's trace headers: the cloud's own header first, then W3C `traceparent`. */
export function traceIdOf(cloud: CloudName, header: (name: string) => string | undefined): string | undefined {
  return (
    (cloud === "aws" ? xrayRoot(header("x-amzn-trace-id")) : cloud === "gcp" ? gcpTraceId(header("x-cloud-trace-context")) : undefined) ||
    w3cTraceId(header("traceparent"))
  );
}

/**
 * Calls the handler; a throw or an answer that is not a response becomes `fail(requestId)` (a 500
 * JSON answer), with the failure logged once, so one bad request never takes the host down. `isOk`
 * tells a response apart (the lazy adapters use one that never touches the global `Response`).
 */
export async function guardHandler<R>(
  call: () => unknown,
  ctx: Context,
  isOk: (r: unknown) => r is R,
  fail: (requestId: string) => R,
): Promise<R> {
  try {
    const res: unknown = await call();
    if (!isOk(res)) {
      ctx.log.error("handler did not return a Response", { got: typeof res });
      return fail(ctx.requestId);
    }
    return res;
  } catch (e) {
    ctx.log.error("handler threw", { error: e instanceof Error ? e.message : String(e) });
    return fail(ctx.requestId);
  }
}

const isWebResponse = (r: unknown): r is Response => r instanceof Response;

/** `guardHandler` for adapters that hand the handler a real `Request` and expect a real `Response`. */
export function callHandler(handler: Handler, request: Request, ctx: Context): Promise<Response> {
  return guardHandler(
    () => handler(request, ctx),
    ctx,
    isWebResponse,
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
