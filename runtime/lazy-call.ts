import type { Context, Handler } from "./index";
import { isResponse, type LazyRequest, LightResponse } from "./lazy";
import { guardHandler } from "./shared";

/**
 * `callHandler` and `errorResponse` of runtime/shared.ts for the adapters built on runtime/lazy.ts
 * (GCP, the local gateway): the request may be a `LazyRequest`, the answer a real `Response` or a
 * `LightResponse`, told apart without touching the global `Response` (no fetch load at cold start).
 * Apart from shared.ts so that a bundle which does not use lazy.ts does not carry it.
 */
export function callHandler(handler: Handler, request: Request | LazyRequest, ctx: Context): Promise<Response | LightResponse> {
  return guardHandler(() => handler(request as Request, ctx), ctx, isResponse, errorResponse);
}

/** The JSON error answer every adapter gives (`{ error, requestId }`), as a LightResponse. */
export function errorResponse(requestId: string, status = 500, message = "internal error"): LightResponse {
  return LightResponse.json({ error: message, requestId }, { status });
}
