import { type AuthInfo, type CloudName, type Context, createLogger, type Handler } from "./index";

/** Content types whose bodies travel as text; everything else is treated as binary. */
export function isTextType(contentType: string | null | undefined): boolean {
  if (!contentType) return true;
  const t = contentType.toLowerCase();
  return (
    t.startsWith("text/") ||
    t.includes("json") ||
    t.includes("xml") ||
    t.includes("javascript") ||
    t.includes("x-www-form-urlencoded") ||
    t.includes("graphql")
  );
}

export function makeContext(
  cloud: CloudName,
  functionName: string,
  requestId: string,
  params: Record<string, string>,
  auth: AuthInfo,
): Context {
  return { requestId, params, auth, cloud, functionName, log: createLogger({ requestId, function: functionName, cloud }) };
}

/**
 * Calls the handler; a throw or a non-Response becomes a 500 JSON answer carrying the request id
 * (the failure is logged once), so one bad request never takes the host down.
 */
export async function callHandler(handler: Handler, request: Request, ctx: Context): Promise<Response> {
  try {
    const res = await handler(request, ctx);
    if (!(res instanceof Response)) {
      ctx.log.error("handler did not return a Response", { got: typeof res });
      return errorResponse(ctx.requestId);
    }
    return res;
  } catch (e) {
    ctx.log.error("handler threw", { error: e instanceof Error ? e.message : String(e) });
    return errorResponse(ctx.requestId);
  }
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
