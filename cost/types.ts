import type { CloudName } from "../providers/types";

/**
 * One published price: the figure, what it is per, where it applies, where it was read and when.
 * `verified: false` means the figure could not be confirmed in a public source on `read`; `reason`
 * says why, and the estimator lists it under the estimate's notes.
 */
export interface Price {
  usd: number;
  /** What one `usd` buys, e.g. "per 1M requests", "per GB-s", "per hour". */
  unit: string;
  region: string;
  source: string;
  /** Date the source was read (YYYY-MM-DD). */
  read: string;
  verified: boolean;
  /** Why it is unverified, or a caveat about the source (third-party page, rendered by JavaScript). */
  note?: string;
}

/** A free allowance per month: `quantity` units of `unit`, from `source`. */
export interface FreeTier {
  quantity: number;
  unit: string;
  /** Who it is per: "account", "subscription", "billing account", "project". */
  per: string;
  source: string;
  read: string;
  verified: boolean;
  note?: string;
}

/** Volume tiers: `upTo` is the cumulative upper bound of the tier (Infinity for the last). */
export interface Tier {
  upTo: number;
  price: Price;
}

/** The traffic an estimate is for. */
export interface TrafficProfile {
  /** Requests per month reaching the gateway. */
  requestsPerMonth: number;
  /** Average function duration in milliseconds. @default 100 */
  avgDurationMs: number;
  /** Average request payload in KB (AWS HTTP APIs meter requests in 512 KB steps). @default 1 */
  avgPayloadKb: number;
  /** Share of requests per route key (0..1). Unlisted routes split the remainder evenly. */
  routeShares?: Record<string, number>;
  /** Share of requests to cached routes answered by the gateway cache (0..1). @default 0 */
  cacheHitRate: number;
  /** Gateway access-log bytes per request (when `logging.access` is on). @default 300 */
  accessLogBytes: number;
  /** Function log bytes per invocation (platform START/END/REPORT lines and a short app line). @default 300 */
  functionLogBytes: number;
  /** Share of invocations that start a new instance and read the function's secrets. @default 0.01 */
  coldStartRate: number;
  /**
   * Alerts a month that notify (with `alerts` in the model): each notifies every target twice, when it
   * fires and when it resolves. @default 0 (the notification lines show the unit prices at zero usage)
   */
  alertsPerMonth: number;
}

/** Choices the stack config does not carry (the providers fix them); tests vary them. */
export interface EstimateOptions {
  /** Lambda architecture. @default "arm64" (the AWS provider's choice) */
  architecture?: "arm64" | "x86_64";
  /** REST cache cluster size in GB. @default 0.5 (the smallest) */
  cacheSizeGb?: number;
}

/** `monitoring`: alarms, alert rules and their notifications (the model's `alerts`), and tracing. */
export type CostCategory = "gateway" | "compute" | "logs" | "secrets" | "monitoring" | "fixed";
export const CATEGORIES: readonly CostCategory[] = ["gateway", "compute", "logs", "secrets", "monitoring", "fixed"];

/** One priced line of an estimate. */
export interface CostLine {
  category: CostCategory;
  item: string;
  /** Billable quantity after free tiers, in `unit`. */
  quantity: number;
  unit: string;
  /** Monthly cost, rounded to the cent. */
  usd: number;
  /** The hand calculation, e.g. "(10,000,000 - 1,000,000) × $0.20/1M". */
  calc: string;
}

export interface CloudEstimate {
  cloud: CloudName;
  /** What was assumed for this cloud, e.g. { flavour: "rest", apimSku: "Consumption" }. */
  choices: Record<string, string>;
  lines: CostLine[];
  totals: Record<CostCategory, number> & { total: number };
  /** Assumptions, reasons (why REST), and every unverified price used. */
  notes: string[];
}

export interface CostReport {
  profile: TrafficProfile;
  estimates: CloudEstimate[];
  /** The cloud with the lowest total (first in CLOUDS order on a tie). */
  cheapest: CloudName;
}
