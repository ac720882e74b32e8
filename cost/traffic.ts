import { type Api, ModelError, type ModelIssue, suggest } from "../model";
import type { TrafficProfile } from "./types";

export const PROFILE_DEFAULTS = {
  avgDurationMs: 100,
  avgPayloadKb: 1,
  cacheHitRate: 0,
  accessLogBytes: 300,
  functionLogBytes: 300,
  coldStartRate: 0.01,
  alertsPerMonth: 0,
} as const;

/** Requests per month of each route: the profile's shares, the remainder split evenly over unlisted routes. */
export function routeRequests(api: Api, profile: TrafficProfile): Map<string, number> {
  const shares = profile.routeShares ?? {};
  const keys = api.routes.map((r) => r.key);
  const issues: ModelIssue[] = [];
  let listed = 0;
  for (const [key, share] of Object.entries(shares)) {
    if (!keys.includes(key))
      issues.push({ path: `routes["${key}"]`, message: `no such route in the model. ${suggest(key, keys, "route")}` });
    else if (!(share >= 0 && share <= 1)) issues.push({ path: `routes["${key}"]`, message: `share ${share} must be between 0 and 1.` });
    else listed += share;
  }
  const unlisted = keys.filter((k) => !(k in shares));
  if (listed > 1 + 1e-9)
    issues.push({ path: "routes", message: `the shares add up to ${listed}, more than 1. Make them fractions of all requests.` });
  else if (!unlisted.length && Math.abs(listed - 1) > 1e-6)
    issues.push({ path: "routes", message: `every route has a share but they add up to ${listed}, not 1.` });
  if (issues.length) throw new ModelError(issues, "The traffic profile has problems");
  const rest = unlisted.length ? (1 - listed) / unlisted.length : 0;
  return new Map(keys.map((k) => [k, profile.requestsPerMonth * (k in shares ? (shares[k] as number) : rest)]));
}

/** One function's load: invocations per month after gateway cache hits (when the cloud caches). */
export interface FunctionLoad {
  name: string;
  memoryMb: number;
  invocations: number;
  secrets: string[];
  minInstances: number;
  concurrency?: number;
}

/**
 * Invocations per function. A route with `cache` sends `(1 - cacheHitRate)` of its requests to the
 * function when `gatewayCaches` (the cloud's gateway caches natively); upstream routes invoke nothing.
 */
export function functionLoads(api: Api, profile: TrafficProfile, gatewayCaches: boolean): FunctionLoad[] {
  const perRoute = routeRequests(api, profile);
  const loads = new Map<string, number>();
  for (const r of api.routes) {
    if (r.target.kind !== "function") continue;
    const hit = r.cache && gatewayCaches ? profile.cacheHitRate : 0;
    const n = (perRoute.get(r.key) ?? 0) * (1 - hit);
    loads.set(r.target.function, (loads.get(r.target.function) ?? 0) + n);
  }
  return Object.values(api.functions).map((f) => ({
    name: f.name,
    memoryMb: f.memoryMb,
    invocations: loads.get(f.name) ?? 0,
    secrets: f.secrets,
    minInstances: f.scaling.min,
    ...(f.scaling.concurrency !== undefined ? { concurrency: f.scaling.concurrency } : {}),
  }));
}

/** Distinct secret names and the secret reads a month (each cold start reads the function's secrets). */
export function secretUse(loads: FunctionLoad[], profile: TrafficProfile): { names: string[]; reads: number } {
  const names = [...new Set(loads.flatMap((l) => l.secrets))].sort();
  const reads = loads.reduce((sum, l) => sum + l.invocations * profile.coldStartRate * l.secrets.length, 0);
  return { names, reads };
}

/** Monthly log bytes: access logs for every gateway request (if on) and function logs per invocation. */
export function logBytes(api: Api, profile: TrafficProfile, invocations: number): { access: number; functions: number } {
  return {
    access: api.logging.access ? profile.requestsPerMonth * profile.accessLogBytes : 0,
    functions: invocations * profile.functionLogBytes,
  };
}

/**
 * Alert notifications a month by kind: every alert notifies each target when it fires and again when
 * it resolves (CloudWatch OK actions, Azure auto-resolve, Cloud Monitoring incident close).
 */
export function alertDeliveries(api: Api, profile: TrafficProfile): { email: number; webhook: number; emails: number; webhooks: number } {
  const targets = api.alerts?.notify ?? [];
  const emails = targets.filter((t) => t.kind === "email").length;
  const webhooks = targets.length - emails;
  const perTarget = profile.alertsPerMonth * 2;
  return { email: emails * perTarget, webhook: webhooks * perTarget, emails, webhooks };
}
