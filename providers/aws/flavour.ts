import { type Api, ModelError, type ModelIssue } from "../../model";
import type { StackConfig } from "../types";

/**
 * Which API Gateway flavour the model gets: "rest" iff a route uses API-key auth, a cache or a
 * quota (features HTTP APIs lack: aws.md §0.1), else "http" (3.5× cheaper per request).
 * `switchyard:aws.apiFlavour` forces one; forcing "http" on a model that needs REST is an error
 * naming each route and feature.
 */
export function chooseFlavour(api: Api, config: StackConfig): { flavour: "http" | "rest"; reasons: string[] } {
  const reasons: string[] = [];
  for (const r of api.routes) {
    if (r.auth.kind === "apiKey") reasons.push(`routes["${r.key}"]: API-key auth`);
    if (r.cache) reasons.push(`routes["${r.key}"]: response caching`);
    if (r.rateLimit?.quota) reasons.push(`routes["${r.key}"]: quota`);
  }
  const forced = config.get("aws.apiFlavour");
  if (forced === undefined || forced === "" || forced === "auto") return { flavour: reasons.length ? "rest" : "http", reasons };
  if (forced !== "http" && forced !== "rest") {
    throw new ModelError(
      [{ path: "switchyard:aws.apiFlavour", message: `"${forced}" is not an API flavour. Use "http", "rest", or leave it unset.` }],
      "",
    );
  }
  if (forced === "http" && reasons.length) {
    const issues: ModelIssue[] = reasons.map((reason) => {
      const [path, feature] = reason.split(": ") as [string, string];
      return {
        path,
        message: `${feature} needs a REST API, but switchyard:aws.apiFlavour forces "http". Remove the feature or unset the flavour.`,
      };
    });
    throw new ModelError(issues, 'switchyard:aws.apiFlavour is "http" but the model needs a REST API');
  }
  return { flavour: forced, reasons: forced === "rest" && !reasons.length ? ["switchyard:aws.apiFlavour forces rest"] : reasons };
}
