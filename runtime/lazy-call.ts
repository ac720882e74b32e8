import type { Context, Handler } from "./index";
import { type LazyRequest, LightResponse, type ReadResponse, readResponse, readsNow } from "./lazy";
import { guardHandler } from "./shared";

/**
 * `callHandler` and `errorResponse` of runtime/shared.ts for the adapters built on runtime/lazy.ts
 * (AWS, Azure, GCP, the local gateway): the request may be a `LazyRequest`, the answer a real
 * `Response` or a `LightResponse`, told apart without touching the global `Response` (no fetch load
 * at cold start). Apart from shared.ts so that a bundle which does not use lazy.ts does not carry it.
 */
export function callHandler(handler: Handler, request: Request | LazyRequest, ctx: Context): Promise<Response | LightResponse> {
  return guardHandler<Response | LightResponse>(() => handler(request as Request, ctx), ctx, LightResponse, errorResponse);
}

/**
 * Calls the handler and reads its answer (`readResponse`). A handler that returns a `LightResponse`
 * holding its source at once (the usual `Response.json(...)` of a synchronous handler) is read at
 * once: no promise, no microtask turn. Anything else (a promise, a throw, a real `Response`, a
 * non-Response) goes through `guardHandler`, as `callHandler` does.
 */
export function answerOf(handler: Handler, request: Request | LazyRequest, ctx: Context): ReadResponse | Promise<ReadResponse> {
  let r: unknown;
  try {
    r = handler(request as Request, ctx);
  } catch (e) {
    r = Promise.reject(e);
  }
  return readsNow(r)
    ? (readResponse(r) as ReadResponse)
    : guardHandler<Response | LightResponse>(() => r, ctx, LightResponse, errorResponse).then(readResponse);
}

/** The JSON error answer every adapter gives (`{ error, requestId }`), as a LightResponse. */
export function errorResponse(requestId: string, status = 500, message = "internal error"): LightResponse {
  return LightResponse.json({ error: message, requestId }, { status });
}
