import type { Api, Cache, Cors, RateLimit, RouteAuth, UpstreamTarget } from "../model/types";

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
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
  return { name: api.name, auth, cors: api.cors ? structuredClone(api.cors) : null, routes, functions };
}
