import type { Api, FunctionSpec, ModelIssue, Route } from "../../model";
import type { CapabilityAnswer, CapabilityTable, StackConfig } from "../types";
import { azureConfig, configIssues } from "./config";
import { QUOTA_SECONDS } from "./policies";
import { azureProductionCapabilities, azureProductionLimits } from "./production-capabilities";
import { SKU_FOR, type SkuFeatures, skuFeatures } from "./sku";

/**
 * Flex Consumption facts (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan,
 * azure.md §1.1–1.2): instance memory 512 / 2048 / 4096 MB; maximumInstanceCount up to 1000 (40 is
 * the lowest everywhere, 1–39 region by region: azure.md correction 4); scale settings are per app.
 */
export const FLEX_MEMORY_SIZES = [512, 2048, 4096] as const;
const FLEX_MAX_MEMORY = 4096;
export const FLEX_MAX_INSTANCES = 1000;
export const FLEX_SAFE_MIN_INSTANCES = 40;
/** HTTP-triggered functions answer within 230 s: the front end's idle timeout (functions-scale#timeout). */
export const HTTP_TIMEOUT_SECONDS = 230;
/**
 * Log Analytics workspace retention on PerGB2018: 30–730 days
 * (https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure; the terraform
 * azurerm `retention_in_days` doc gives the same range).
 */
export const RETENTION_RANGE = { min: 30, max: 730 } as const;

/** App settings the platform owns or Flex rejects (azure.md §1.2 "Never set these on Flex", G2). */
const RESERVED_SETTING = /^(FUNCTIONS_|WEBSITE_|SCM_|AzureWebJobs|APPLICATIONINSIGHTS_|ENABLE_ORYX_BUILD$|TZ$|SWITCHYARD_)/i;

/** How the app-wide Flex settings come out of the per-function model. */
export interface FlexScale {
  instanceMemoryMB: (typeof FLEX_MEMORY_SIZES)[number];
  maximumInstanceCount?: number;
  perInstanceConcurrency?: number;
  alwaysReady: number;
}

export function flexScale(api: Api): FlexScale {
  const fns = Object.values(api.functions);
  const memory = Math.max(...fns.map((f) => f.memoryMb));
  const instanceMemoryMB = FLEX_MEMORY_SIZES.find((s) => s >= memory) ?? FLEX_MAX_MEMORY;
  const maxes = fns.map((f) => f.scaling.max).filter((m): m is number => m !== undefined);
  const concurrency = fns.map((f) => f.scaling.concurrency).filter((c): c is number => c !== undefined);
  return {
    instanceMemoryMB,
    ...(maxes.length ? { maximumInstanceCount: Math.min(FLEX_MAX_INSTANCES, Math.max(...maxes)) } : {}),
    ...(concurrency.length ? { perInstanceConcurrency: Math.min(...concurrency) } : {}),
    alwaysReady: Math.max(0, ...fns.map((f) => f.scaling.min)),
  };
}

export function retentionDays(api: Api): number {
  return Math.min(RETENTION_RANGE.max, Math.max(RETENTION_RANGE.min, api.logging.retentionDays));
}

const keys = (routes: Route[]) => routes.map((r) => `"${r.key}"`).join(", ");

/** Every feature, answered for this model and the stack's APIM tier (pure). */
export function azureCapabilities(api: Api, config: StackConfig): CapabilityTable {
  const tier = skuFeatures(azureConfig(config).apimSku);
  const scale = flexScale(api);
  const retention = retentionDays(api);
  const limited = api.routes.filter((r) => r.rateLimit);
  const perConsumer = limited.filter((r) => r.auth.kind !== "none");
  const quota = limited.filter((r) => r.rateLimit?.quota);
  const jwtSchemes = Object.values(api.auth).filter((s) => s.type === "jwt");
  const withJwks = jwtSchemes.filter((s) => s.type === "jwt" && s.jwksUri);
  return {
    "route.function": native(
      "one Flex Consumption (FC1) function app; each function registered with app.http (authLevel function) behind an APIM operation",
    ),
    "route.params": native("APIM operation template parameters; Functions route parameters {name}"),
    "route.greedy": native("APIM trailing wildcard operation /prefix/*; Functions catch-all {*name} gives a/b/c"),
    "route.any": native("one APIM operation per method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"),
    "route.upstream": native("set-backend-service base-url; the request path is forwarded unchanged"),
    "route.upstream.weighted": native("APIM backend of type Pool with weighted single backends"),
    "auth.none": native("operation without a key or token check (the API does not require a subscription unless every route is keyed)"),
    "auth.apiKey": native(`one active APIM subscription per consumer on a published product; the key travels in x-api-key`),
    "auth.jwt": withJwks.length
      ? substitute(
          `validate-jwt pins issuer and audiences and fetches keys by OpenID discovery (<issuer>/.well-known/openid-configuration); APIM cannot take a bare JWKS URI, so jwksUri must be what discovery announces (${withJwks.map((s) => s.name).join(", ")})`,
        )
      : native("validate-jwt with OpenID discovery, pinned issuer and audiences"),
    "auth.jwt.scopes": native("checked after validate-jwt against the scope / scp claims; 403 when one is missing"),
    rateLimit: rateLimitAnswer(tier, limited),
    "rateLimit.perConsumer": tier.rateLimitByKey
      ? native("rate-limit-by-key counted per route and subscription (API key) or JWT subject")
      : perConsumer.every((r) => r.auth.kind === "apiKey")
        ? native("rate-limit counted per subscription (one per consumer)")
        : unsupported(
            `APIM ${tier.sku} has no rate-limit-by-key, so JWT callers cannot be counted one by one (${keys(perConsumer.filter((r) => r.auth.kind === "jwt"))})`,
            [`set switchyard:azure.apimSku to ${SKU_FOR.rateLimitByKey}`],
          ),
    "rateLimit.quota": quotaAnswer(tier, quota),
    cors: native("cors policy at API scope (answers preflight); exact origins only"),
    cache: tier.internalCache
      ? native(`cache-lookup / cache-store on the built-in cache of APIM ${tier.sku}`)
      : unsupported(`APIM ${tier.sku} has no built-in cache (an external Redis cache is not built)`, [
          `set switchyard:azure.apimSku to ${SKU_FOR.internalCache}`,
        ]),
    "cache.varyBy": tier.internalCache
      ? native("vary-by-query-parameter and vary-by-header in cache-lookup")
      : unsupported(`APIM ${tier.sku} has no built-in cache`, [`set switchyard:azure.apimSku to ${SKU_FOR.internalCache}`]),
    "logging.access": native(
      `APIM Application Insights logger and diagnostic (${azureConfig(config).logSamplingPercent}% sampled, no bodies); function logs in the same workspace`,
    ),
    "logging.retention":
      retention === api.logging.retentionDays
        ? native(`Log Analytics workspace retention ${retention} days`)
        : substitute(
            `Log Analytics keeps ${RETENTION_RANGE.min}–${RETENTION_RANGE.max} days: ${api.logging.retentionDays} becomes ${retention}`,
          ),
    "function.memory": substitute(
      `Flex sets memory per app: the largest memoryMb rounded up to ${FLEX_MEMORY_SIZES.join(" / ")} MB gives ${scale.instanceMemoryMB} MB for every function`,
    ),
    "function.timeout": substitute(
      `host.json functionTimeout is per app: the longest timeout (${Math.max(...Object.values(api.functions).map((f) => f.timeoutSeconds))} s) applies to every function`,
    ),
    "function.scaling.min": substitute(`always-ready instances are set for the app's http group: ${scale.alwaysReady}`),
    "function.scaling.max":
      scale.maximumInstanceCount !== undefined && scale.maximumInstanceCount < FLEX_SAFE_MIN_INSTANCES
        ? substitute(
            `maximumInstanceCount is per app (the largest scaling.max: ${scale.maximumInstanceCount}); values under ${FLEX_SAFE_MIN_INSTANCES} are accepted only in some regions`,
          )
        : substitute(
            `maximumInstanceCount is per app: the largest scaling.max${scale.maximumInstanceCount ? ` (${scale.maximumInstanceCount})` : ""}`,
          ),
    "function.concurrency": substitute(
      `HTTP perInstanceConcurrency is per app: the smallest scaling.concurrency${scale.perInstanceConcurrency ? ` (${scale.perInstanceConcurrency})` : ""}`,
    ),
    "function.environment": substitute("app settings are per app: every function sees the environment of all"),
    "function.secrets": substitute(
      "Key Vault secrets reach the app as Key Vault reference app settings, read with its managed identity; per app",
    ),
    tags: native("tags on every taggable resource (app, stack, functions, model tags); APIM child resources take none"),
    ...azureProductionCapabilities(api, tier.sku),
  } satisfies Record<string, CapabilityAnswer>;
}

function rateLimitAnswer(tier: SkuFeatures, limited: Route[]): CapabilityAnswer {
  if (tier.rateLimitByKey) {
    return substitute("rate-limit-by-key: ratePerSecond and burst become burst calls per refill window (APIM counts per window)");
  }
  const open = limited.filter((r) => r.auth.kind !== "apiKey");
  if (open.length === 0) return substitute("rate-limit per subscription: burst calls per refill window");
  return unsupported(
    `APIM ${tier.sku} limits only per subscription (rate-limit); routes without an API key cannot be limited (${keys(open)})`,
    [`set switchyard:azure.apimSku to ${SKU_FOR.rateLimitByKey}`, "key those routes with an apiKey scheme"],
  );
}

function quotaAnswer(tier: SkuFeatures, quota: Route[]): CapabilityAnswer {
  const month = quota.some((r) => r.rateLimit?.quota?.period === "month") ? `; a month counts ${QUOTA_SECONDS.month / 86400} days` : "";
  if (tier.quotaByKey) return native(`quota-by-key per route and consumer${month}`);
  const open = quota.filter((r) => r.auth.kind !== "apiKey");
  if (open.length === 0) return native(`quota per subscription (one per consumer)${month}`);
  return unsupported(
    `APIM ${tier.sku} has no quota-by-key (classic tiers only); quotas on routes without an API key cannot be counted (${keys(open)})`,
    [`set switchyard:azure.apimSku to ${SKU_FOR.quotaByKey}`],
  );
}

/** Azure limits the model breaks, each with its path and fix. */
export function azureLimits(api: Api, config: StackConfig): ModelIssue[] {
  const issues = configIssues(config);
  const max = FLEX_MAX_MEMORY;
  const env = new Map<string, { value: string; fn: string }>();
  for (const f of Object.values(api.functions) as FunctionSpec[]) {
    const at = `functions.${f.name}`;
    if (f.memoryMb > max)
      issues.push({
        path: `${at}.memoryMb`,
        message: `${f.memoryMb} MB is more than a Flex Consumption instance has (${max} MB). Use ≤ ${max}.`,
      });
    if (f.timeoutSeconds > HTTP_TIMEOUT_SECONDS) {
      issues.push({
        path: `${at}.timeoutSeconds`,
        message: `${f.timeoutSeconds} s is longer than an HTTP-triggered Azure Function may take to answer (${HTTP_TIMEOUT_SECONDS} s). Use ≤ ${HTTP_TIMEOUT_SECONDS}.`,
      });
    }
    if (f.scaling.max !== undefined && f.scaling.max > FLEX_MAX_INSTANCES) {
      issues.push({
        path: `${at}.scaling.max`,
        message: `Flex Consumption scales to at most ${FLEX_MAX_INSTANCES} instances. Use ≤ ${FLEX_MAX_INSTANCES}.`,
      });
    }
    for (const [k, v] of Object.entries(f.environment)) {
      if (RESERVED_SETTING.test(k)) {
        issues.push({
          path: `${at}.environment.${k}`,
          message: `"${k}" is an app setting the Functions platform owns or Flex rejects. Rename it.`,
        });
      }
      const seen = env.get(k);
      if (seen && seen.value !== v) {
        issues.push({
          path: `${at}.environment.${k}`,
          message: `differs from functions.${seen.fn}.environment.${k}; on Azure all functions share one app's settings. Use one value or different names.`,
        });
      } else if (!seen) env.set(k, { value: v, fn: f.name });
    }
    f.secrets.forEach((s, i) => {
      if (RESERVED_SETTING.test(s))
        issues.push({ path: `${at}.secrets[${i}]`, message: `"${s}" is an app setting name the platform owns. Rename the secret.` });
      if (env.has(s))
        issues.push({
          path: `${at}.secrets[${i}]`,
          message: `"${s}" is also an environment value; they share one app's settings. Rename one.`,
        });
    });
  }
  for (const r of api.routes) {
    if (r.target.kind === "function" && r.segments.length === 0) {
      issues.push({
        path: `routes["${r.key}"]`,
        message: "a function cannot serve the bare root path on Azure (the Functions route would be empty). Give the route a path segment.",
      });
    }
  }
  issues.push(...azureProductionLimits(api));
  return issues;
}

function native(note: string): CapabilityAnswer {
  return { support: "native", note };
}
function substitute(note: string): CapabilityAnswer {
  return { support: "substitute", note };
}
function unsupported(note: string, alternatives: string[]): CapabilityAnswer {
  return { support: "unsupported", note, alternatives };
}
