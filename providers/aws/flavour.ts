import { type Api, ModelError, type ModelIssue } from "../../model";
import type { StackConfig } from "../types";

export type Flavour = "http" | "rest";

/** Config key that forces a flavour: `switchyard:aws.apiFlavour` = "http" | "rest" | "auto" (unset = auto). */
export const FLAVOUR_KEY = "aws.apiFlavour";

/**
 * Picks the API Gateway flavour for a model: HTTP API (apigatewayv2: cheaper, native JWT) unless a
 * route needs what only a REST API has: API keys with per-consumer usage plans, response caching, or
 * a quota (usage plans). Sources: aws.md §0.1 and §1.4; "Choose between REST APIs and HTTP APIs",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html.
 *
 * `switchyard:aws.apiFlavour` forces one; forcing "http" on a model that needs REST is a ModelError
 * naming every route and feature.
 */
export function chooseFlavour(api: Api, config: StackConfig): { flavour: Flavour; reasons: string[] } {
  const needs: { path: string; feature: string }[] = [];
  for (const r of api.routes) {
    const at = `routes[${JSON.stringify(r.key)}]`;
    if (r.auth.kind === "apiKey") needs.push({ path: `${at}.auth`, feature: `API keys (scheme "${r.auth.scheme}")` });
    if (r.cache) needs.push({ path: `${at}.cache`, feature: "response caching" });
    if (r.rateLimit?.quota) needs.push({ path: `${at}.rateLimit.quota`, feature: "a quota (usage plans)" });
  }
  const forced = config.get(FLAVOUR_KEY);
  if (forced !== undefined && forced !== "" && forced !== "auto" && forced !== "http" && forced !== "rest") {
    throw new ModelError(
      [{ path: `switchyard:${FLAVOUR_KEY}`, message: `"${forced}" is not a flavour. Use "http", "rest" or "auto" (or leave it unset).` }],
      "",
    );
  }
  if (forced === "http") {
    if (needs.length) {
      const issues: ModelIssue[] = needs.map((n) => ({
        path: n.path,
        message: `${n.feature} needs an API Gateway REST API, but switchyard:${FLAVOUR_KEY} forces "http". Remove the feature from this route, or set switchyard:${FLAVOUR_KEY} to "rest" or "auto".`,
      }));
      throw new ModelError(issues, "The model needs a REST API");
    }
    return { flavour: "http", reasons: [`forced by switchyard:${FLAVOUR_KEY}=http`] };
  }
  if (forced === "rest") {
    return {
      flavour: "rest",
      reasons: [`forced by switchyard:${FLAVOUR_KEY}=rest`, ...needs.map((n) => `${n.path}: ${n.feature}`)],
    };
  }
  if (needs.length) return { flavour: "rest", reasons: needs.map((n) => `${n.path}: ${n.feature} needs a REST API`) };
  return {
    flavour: "http",
    reasons: ["no route needs API keys, caching or quotas: HTTP API (about 3.5x cheaper per request, native JWT)"],
  };
}
