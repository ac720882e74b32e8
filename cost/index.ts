/**
 * switchyard's cost estimator: pure functions of the normalised model, a traffic profile and the
 * stack's choices, priced from the dated tables in providers/<cloud>/pricing.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Api, ModelError, type ModelIssue, userError } from "../model";
import { CLOUDS, type CloudName, type StackConfig } from "../providers/types";
import { estimateAws } from "./aws";
import { estimateAzure } from "./azure";
import { estimateGcp } from "./gcp";
import { PROFILE_DEFAULTS } from "./traffic";
import type { CloudEstimate, CostReport, EstimateOptions, TrafficProfile } from "./types";

export { PROFILE_DEFAULTS } from "./traffic";
export * from "./types";

/** One cloud's monthly estimate. */
export function estimateCloud(
  cloud: CloudName,
  api: Api,
  profile: TrafficProfile,
  config: StackConfig,
  options: EstimateOptions = {},
): CloudEstimate {
  if (cloud === "aws") return estimateAws(api, profile, config, options);
  if (cloud === "azure") return estimateAzure(api, profile, config);
  return estimateGcp(api, profile);
}

/** Estimates for `clouds` side by side, the cheapest marked. */
export function estimate(
  api: Api,
  profile: TrafficProfile,
  config: StackConfig,
  clouds: readonly CloudName[] = CLOUDS,
  options: EstimateOptions = {},
): CostReport {
  const estimates = clouds.map((c) => estimateCloud(c, api, profile, config, options));
  const cheapest = estimates.reduce((best, e) => (e.totals.total < best.totals.total ? e : best), estimates[0] as CloudEstimate).cloud;
  return { profile, estimates, cheapest };
}

/** Partial profile fields as given by flags, a profile file or stack config. */
export type ProfileInput = Partial<Record<Exclude<keyof TrafficProfile, "routeShares">, unknown>> & { routeShares?: unknown };

const LIMITS: Record<Exclude<keyof TrafficProfile, "routeShares">, { min: number; max?: number; integer?: boolean; label: string }> = {
  requestsPerMonth: { min: 0, label: "requests per month", integer: true },
  avgDurationMs: { min: 1, max: 900_000, label: "average duration in ms" },
  avgPayloadKb: { min: 0, max: 10_240, label: "average payload in KB" },
  cacheHitRate: { min: 0, max: 1, label: "cache hit rate (0..1)" },
  accessLogBytes: { min: 0, label: "access-log bytes per request" },
  functionLogBytes: { min: 0, label: "function-log bytes per invocation" },
  coldStartRate: { min: 0, max: 1, label: "cold-start rate (0..1)" },
  alertsPerMonth: { min: 0, label: "alerts per month", integer: true },
};

/**
 * Validates and completes a profile. `where` maps a field to how the user wrote it (a flag, a
 * config key) for error messages. Every problem is reported at once.
 */
export function parseProfile(input: ProfileInput, where: (field: string) => string = (f) => f): TrafficProfile {
  const issues: ModelIssue[] = [];
  const out: Record<string, unknown> = { ...PROFILE_DEFAULTS };
  for (const [field, lim] of Object.entries(LIMITS)) {
    const raw = input[field as keyof ProfileInput];
    if (raw === undefined) continue;
    const v = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (
      typeof v !== "number" ||
      !Number.isFinite(v) ||
      v < lim.min ||
      (lim.max !== undefined && v > lim.max) ||
      (lim.integer && !Number.isInteger(v))
    ) {
      const range = lim.max !== undefined ? `between ${lim.min} and ${lim.max}` : `a number ≥ ${lim.min}`;
      issues.push({
        path: where(field),
        message: `${JSON.stringify(raw)} is not a valid ${lim.label}. Give ${lim.integer ? "a whole number" : range}.`,
      });
    } else out[field] = v;
  }
  if (input.requestsPerMonth === undefined) {
    issues.push({ path: where("requestsPerMonth"), message: "is required: how many requests a month the estimate is for, e.g. 10000000." });
  }
  if (input.routeShares !== undefined) {
    const s = input.routeShares;
    if (!s || typeof s !== "object" || Array.isArray(s) || Object.values(s).some((x) => typeof x !== "number")) {
      issues.push({ path: where("routeShares"), message: 'must map route keys to shares, e.g. { "GET /books": 0.6 }.' });
    } else out.routeShares = s;
  }
  if (issues.length) throw new ModelError(issues, "The traffic profile has problems");
  return out as unknown as TrafficProfile;
}

/**
 * Reads a profile file: JSON with any of the profile's fields, and `routes` (route key → share).
 * @example { "routes": { "GET /books": 0.6 }, "cacheHitRate": 0.8, "avgDurationMs": 120 }
 */
export function readProfileFile(file: string): ProfileInput {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
  } catch (e) {
    throw userError(`--profile ${file}: cannot read it as JSON (${(e as Error).message.split("\n")[0]}).`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw userError(`--profile ${file}: must be a JSON object, e.g. { "routes": { "GET /books": 0.6 } }.`);
  const { routes, ...rest } = doc as Record<string, unknown>;
  const known = [...Object.keys(LIMITS), "routes"];
  const unknown = Object.keys(doc).filter((k) => !known.includes(k));
  if (unknown.length)
    throw userError(
      `--profile ${file}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}. Known: ${known.join(", ")}.`,
    );
  return { ...rest, ...(routes !== undefined ? { routeShares: routes } : {}) } as ProfileInput;
}

/** What the plan JSON carries under `cost` (DESIGN.md §9 plus this key). */
export interface PlanCost {
  profile: TrafficProfile;
  estimate: CloudEstimate;
  /** `switchyard:budget.monthlyUsd`, when set (> 0). */
  budgetMonthlyUsd?: number;
  overBudget: boolean;
}

/**
 * The stack's estimate for the plan, from `switchyard:traffic.*` (none when
 * `traffic.requestsPerMonth` is unset or 0), checked against `switchyard:budget.monthlyUsd`.
 */
export function planCost(api: Api, config: StackConfig, cloud: CloudName): PlanCost | undefined {
  const requests = config.get("traffic.requestsPerMonth");
  if (requests === undefined || requests === "" || requests === "0") return undefined;
  const input: ProfileInput = { requestsPerMonth: requests };
  const duration = config.get("traffic.avgDurationMs");
  if (duration !== undefined) input.avgDurationMs = duration;
  const payload = config.get("traffic.avgPayloadKb");
  if (payload !== undefined) input.avgPayloadKb = payload;
  const profile = parseProfile(input, (f) => `switchyard:traffic.${f}`);
  const est = estimateCloud(cloud, api, profile, config);
  const budgetRaw = config.get("budget.monthlyUsd");
  const budget = budgetRaw === undefined || budgetRaw === "" ? 0 : Number(budgetRaw);
  if (!Number.isFinite(budget) || budget < 0) {
    throw new ModelError(
      [
        {
          path: "switchyard:budget.monthlyUsd",
          message: `"${budgetRaw}" is not a budget. Give whole US dollars a month, e.g. 50 (0 = no budget).`,
        },
      ],
      "",
    );
  }
  return {
    profile,
    estimate: est,
    ...(budget > 0 ? { budgetMonthlyUsd: budget } : {}),
    overBudget: budget > 0 && est.totals.total > budget,
  };
}
