import { createHash } from "node:crypto";
import type { AlertTarget, Api, Cache, Cors, RateLimit, RouteAuth, UpstreamTarget } from "../model/types";

/**
 * The API-level view of a plan: what a reviewer of a pull request cares about (routes, their auth,
 * limits and caching, CORS, the functions' sizes and the names of their secrets), as plain JSON.
 * Carried in the plan document as `api` so that two plans can be compared at the API level
 * (`plan/diff.ts`) without re-running either program.
 *
 * Never holds a value that may be sensitive or machine-specific: environment variables appear by
 * key only, secrets by name only, handler files relative to the model file.
 */
export interface ApiSummary {
  name: string;
  /** Scheme name → what a route using it checks. Consumer names and JWT issuers are not secrets. */
  auth: Record<string, AuthSchemeSummary>;
  cors: Cors | null;
  /** Sorted by key. */
  routes: RouteSummary[];
  /** By name, sorted. */
  functions: Record<string, FunctionSummary>;
  /**
   * The custom domain (issue #11), null when none. Absent in plans made before it was summarised: the
   * diff compares a key only when both plans carry it.
   */
  domain?: { name: string; certificate: string } | null;
  /** Alert thresholds and targets, null when none. Webhook URLs appear as origin + hash only. */
  alerts?: AlertsSummary | null;
  /** Distributed tracing on or off. */
  tracing?: boolean;
}

export interface AlertsSummary {
  errorRatePercent: number;
  p99LatencyMs: number;
  /** Email addresses, and webhooks as `https://host/… #<sha256 prefix>`, sorted. */
  notify: string[];
}

export type AuthSchemeSummary = { type: "apiKey"; consumers: string[] } | { type: "jwt"; issuer: string; audiences: string[] };

export interface RouteSummary {
  key: string;
  auth: RouteAuth;
  target: { function: string } | { upstream: UpstreamTarget[] };
  rateLimit: RateLimit | null;
  cache: Cache | null;
}

export interface FunctionSummary {
  /** `"<file relative to the model>#<export>"`. */
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  scaling: { min: number; max?: number; concurrency?: number };
  /** Keys of the plain environment values, sorted (values are left out). */
  environment: string[];
  /** Names of the function's secrets, sorted. */
  secrets: string[];
  /** Canary release: percent of traffic for the new version, null when none (absent in older plans). */
  canary?: { weight: number } | null;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An alert target for the summary. A webhook URL may carry a token in its path or query (chat
 * webhooks do), so only its origin shows, with a short hash that still changes when the URL does.
 */
export function describeAlertTarget(t: AlertTarget): string {
  if (t.kind === "email") return t.address;
  const hash = createHash("sha256").update(t.url).digest("hex").slice(0, 8);
  return `${new URL(t.url).origin}/… #${hash}`;
}

/** Summarises a normalised model. Pure: same model, same JSON, on any machine. */
export function apiSummary(api: Api): ApiSummary {
  const auth: Record<string, AuthSchemeSummary> = {};
  for (const name of Object.keys(api.auth).sort(byString)) {
    const s = api.auth[name]!;
    auth[name] =
      s.type === "apiKey"
        ? { type: "apiKey", consumers: [...s.consumers].sort(byString) }
        : { type: "jwt", issuer: s.issuer, audiences: [...s.audiences].sort(byString) };
  }
  const functions: Record<string, FunctionSummary> = {};
  for (const name of Object.keys(api.functions).sort(byString)) {
    const f = api.functions[name]!;
    functions[name] = {
      handler: `${f.relFile}#${f.export}`,
      memoryMb: f.memoryMb,
      timeoutSeconds: f.timeoutSeconds,
      scaling: { ...f.scaling },
      environment: Object.keys(f.environment).sort(byString),
      secrets: [...f.secrets].sort(byString),
      canary: f.canary ? { weight: f.canary.weight } : null,
    };
  }
  const routes = [...api.routes]
    .sort((a, b) => byString(a.key, b.key))
    .map(
      (r): RouteSummary => ({
        key: r.key,
        auth: r.auth.kind === "jwt" ? { ...r.auth, scopes: [...r.auth.scopes].sort(byString) } : { ...r.auth },
        target: r.target.kind === "function" ? { function: r.target.function } : { upstream: r.target.targets.map((t) => ({ ...t })) },
        rateLimit: r.rateLimit ? structuredClone(r.rateLimit) : null,
        cache: r.cache ? structuredClone(r.cache) : null,
      }),
    );
  return {
    name: api.name,
    auth,
    cors: api.cors ? structuredClone(api.cors) : null,
    routes,
    functions,
    domain: api.domain ? { name: api.domain.name, certificate: api.domain.certificate } : null,
    alerts: api.alerts
      ? {
          errorRatePercent: api.alerts.errorRatePercent,
          p99LatencyMs: api.alerts.p99LatencyMs,
          notify: api.alerts.notify.map(describeAlertTarget).sort(byString),
        }
      : null,
    tracing: api.tracing,
  };
}
