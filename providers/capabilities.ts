import { type Api, ModelError, type ModelIssue } from "../model";
import { type CapabilityRow, type CloudProvider, FEATURES, type Feature, type StackConfig } from "./types";

/** Where the model uses each feature (model paths), for features it uses at all. */
export function usedFeatures(api: Api): Map<Feature, string[]> {
  const used = new Map<Feature, string[]>();
  const use = (f: Feature, at: string) => {
    const list = used.get(f) ?? [];
    list.push(at);
    used.set(f, list);
  };
  for (const r of api.routes) {
    const at = `routes[${JSON.stringify(r.key)}]`;
    if (r.target.kind === "function") use("route.function", `${at}.function`);
    else {
      use("route.upstream", `${at}.upstream`);
      if (r.target.targets.length > 1) use("route.upstream.weighted", `${at}.upstream.targets`);
    }
    if (r.segments.some((s) => s.kind === "param")) use("route.params", at);
    if (r.greedy) use("route.greedy", at);
    if (r.method === "ANY") use("route.any", at);
    if (r.auth.kind === "none") use("auth.none", `${at}.auth`);
    if (r.auth.kind === "apiKey") use("auth.apiKey", `${at}.auth`);
    if (r.auth.kind === "jwt") {
      use("auth.jwt", `${at}.auth`);
      if (r.auth.scopes.length) use("auth.jwt.scopes", `${at}.auth.scopes`);
    }
    if (r.rateLimit) {
      use("rateLimit", `${at}.rateLimit`);
      if (r.auth.kind !== "none") use("rateLimit.perConsumer", `${at}.rateLimit`);
      if (r.rateLimit.quota) use("rateLimit.quota", `${at}.rateLimit.quota`);
    }
    if (r.cache) {
      use("cache", `${at}.cache`);
      if (r.cache.varyBy.query.length || r.cache.varyBy.headers.length) use("cache.varyBy", `${at}.cache.varyBy`);
    }
  }
  if (api.cors) use("cors", "cors");
  if (api.logging.access) use("logging.access", "logging.access");
  use("logging.retention", "logging.retentionDays");
  for (const f of Object.values(api.functions)) {
    const at = `functions.${f.name}`;
    use("function.memory", `${at}.memoryMb`);
    use("function.timeout", `${at}.timeoutSeconds`);
    if (f.scaling.min > 0) use("function.scaling.min", `${at}.scaling.min`);
    if (f.scaling.max !== undefined) use("function.scaling.max", `${at}.scaling.max`);
    if (f.scaling.concurrency !== undefined) use("function.concurrency", `${at}.scaling.concurrency`);
    if (Object.keys(f.environment).length) use("function.environment", `${at}.environment`);
    if (f.secrets.length) use("function.secrets", `${at}.secrets`);
    if (f.canary) use("function.canary", `${at}.canary`);
  }
  use("tags", "tags");
  if (api.domain) use("domain", "domain");
  if (api.alerts) use("alerts", "alerts");
  if (api.tracing) use("tracing", "tracing");
  return used;
}

export interface CapabilityCheck {
  /** Every feature, in FEATURES order, as the plan lists them. */
  rows: CapabilityRow[];
  /** Unsupported features the model uses but the stack accepts (allowUnsupported). */
  accepted: string[];
}

/**
 * Checks the model against the provider before any resource is declared: cloud limits, and every
 * used feature the cloud cannot do. Throws one ModelError listing them all, each with the model path,
 * the feature and the alternatives. Unsupported features listed in `switchyard:allowUnsupported`
 * become warnings instead.
 */
export function checkCapabilities(provider: CloudProvider, api: Api, config: StackConfig): CapabilityCheck {
  if (provider.notBuilt) {
    throw new ModelError([{ path: "switchyard:cloud", message: `${provider.notBuilt}.` }], "");
  }
  const table = provider.capabilities(api, config);
  const allowed = config.getObject<string[]>("allowUnsupported") ?? [];
  const issues: ModelIssue[] = [];
  for (const f of allowed) {
    if (!(f in FEATURES)) {
      issues.push({
        path: "switchyard:allowUnsupported",
        message: `"${f}" is not a feature name. Use one of: ${Object.keys(FEATURES).join(", ")}.`,
      });
    }
  }
  const accepted: string[] = [];
  for (const [feature, paths] of usedFeatures(api)) {
    const answer = table[feature];
    if (answer.support !== "unsupported") continue;
    const alternatives = answer.alternatives?.length ? ` Alternatives: ${answer.alternatives.join("; ")}.` : "";
    const text = `${FEATURES[feature]} (${feature}) is unsupported on ${provider.cloud}: ${answer.note}.${alternatives}`;
    if (allowed.includes(feature)) {
      accepted.push(`${paths.join(", ")}: ${text} Accepted by switchyard:allowUnsupported; not deployed.`);
      continue;
    }
    for (const at of paths) {
      issues.push({
        path: at,
        message: `${text} Or accept it on this stack: add "${feature}" to switchyard:allowUnsupported.`,
      });
    }
  }
  issues.push(...provider.limits(api, config));
  if (issues.length) throw new ModelError(issues, `The model cannot be deployed to ${provider.cloud} as it stands`);
  const rows = (Object.keys(FEATURES) as Feature[]).map((feature) => ({
    feature,
    support: table[feature].support,
    note: table[feature].note,
  }));
  return { rows, accepted };
}
