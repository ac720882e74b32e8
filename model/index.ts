/**
 * The switchyard model. Write `api.ts` as:
 *
 * @example
 * import { defineApi } from "./model";
 * export default defineApi({
 *   name: "bookshop",
 *   auth: { partners: { type: "apiKey", consumers: ["acme"] } },
 *   defaults: { auth: "partners" },
 *   functions: { health: { handler: "functions/health.ts" } },
 *   routes: { "GET /health": { function: "health", auth: "none" } },
 * });
 */
import type { ApiInput } from "./types";

/** Declares the model. It returns its argument unchanged; validation happens when a tool loads it. */
export function defineApi(api: ApiInput): ApiInput {
  return api;
}

export * from "./errors";
export { loadApi } from "./load";
export { parseRouteKey } from "./routes";
export * from "./types";
export { DEFAULTS, validate } from "./validate";
