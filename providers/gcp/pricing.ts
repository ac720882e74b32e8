/**
 * GCP list prices used by the cost estimator (`cost/`), Tier-1 regions, USD. Every figure carries
 * its unit, region, source and the date it was read; `verified: false` marks what no public source
 * confirmed that day. Shared notes: /work/shared/clouds/gcp.md §6.
 */
import type { FreeTier, Price, Tier } from "../../cost/types";
import type { Api } from "../../model";

const REGION = "Tier 1 (e.g. us-central1, europe-west1)";
const READ = "2026-11-27";
const RUN_PAGE = "https://cloud.google.com/run/pricing";
const APIGW_PAGE = "https://cloud.google.com/api-gateway/docs/pricing";
const LOGGING_PAGE = "https://cloud.google.com/stackdriver/pricing";
const SECRETS_PAGE = "https://cloud.google.com/secret-manager/pricing";

function p(usd: number, unit: string, source: string, verified = true, note?: string): Price {
  return { usd, unit, region: REGION, source, read: READ, verified, ...(note ? { note } : {}) };
}
function free(quantity: number, unit: string, per: string, source: string, verified = true, note?: string): FreeTier {
  return { quantity, unit, per, source, read: READ, verified, ...(note ? { note } : {}) };
}

/**
 * Cloud Run functions (gen2) are billed at Cloud Run prices, request-based billing ("CPU only
 * allocated during request processing"), rounded up to the nearest 100 ms.
 */
export const RUN_CPU = p(0.000024, "per vCPU-s", RUN_PAGE);
export const RUN_MEMORY = p(
  0.0000025,
  "per GiB-s",
  "https://cloudchipr.com/blog/cloud-run-pricing",
  true,
  "third-party (2025); the official excerpt read today stopped before it",
);
export const RUN_REQUESTS = p(
  0.4,
  "per 1M requests",
  "https://cloudwebschool.com/tools/cloud-run-cost-calculator/",
  true,
  "third-party; matches the shared note",
);
export const RUN_FREE_CPU = free(180_000, "vCPU-s", "billing account", RUN_PAGE);
export const RUN_FREE_MEMORY = free(360_000, "GiB-s", "billing account", RUN_PAGE);
export const RUN_FREE_REQUESTS = free(2_000_000, "requests", "billing account", RUN_PAGE);
/** Billable time is rounded up to this step. */
export const RUN_BILLING_STEP_MS = 100;
/** Idle min instances (request-based billing): reduced idle rates. */
export const RUN_IDLE_CPU = p(0.0000025, "per vCPU-s idle", RUN_PAGE, false, "idle rate from memory of the pricing page; not found today");
export const RUN_IDLE_MEMORY = p(
  0.0000025,
  "per GiB-s idle",
  RUN_PAGE,
  false,
  "idle rate from memory of the pricing page; not found today",
);
export const SECONDS_PER_MONTH = 730 * 3600;

/**
 * CPU of a Cloud Run function by memory tier (MiB → vCPU): 128→.083, 256→.167, 512→.333,
 * 1024→.583, 2048→1, 4096→2, 8192→2, 16384→4, 32768→8 (functions/docs/configuring/memory, gcp.md §1.4).
 */
export const CPU_BY_MEMORY_MB: readonly [number, number][] = [
  [128, 0.083],
  [256, 0.167],
  [512, 0.333],
  [1024, 0.583],
  [2048, 1],
  [4096, 2],
  [8192, 2],
  [16384, 4],
  [32768, 8],
];

/** API Gateway: $0 for the first 2M calls a month, $3.00/M to 1B, $1.50/M above. */
export const API_GATEWAY: Tier[] = [
  { upTo: 2e6, price: p(0, "per 1M calls", APIGW_PAGE) },
  { upTo: 1e9, price: p(3.0, "per 1M calls", APIGW_PAGE) },
  { upTo: Infinity, price: p(1.5, "per 1M calls", APIGW_PAGE) },
];

/** Cloud Logging: $0.50/GiB stored (includes 30 days), first 50 GiB per project free; $0.01/GiB-month beyond 30 days. */
export const LOGGING_INGEST = p(0.5, "per GiB", LOGGING_PAGE);
export const LOGGING_FREE = free(50, "GiB", "project", LOGGING_PAGE);
export const LOGGING_FREE_RETENTION_DAYS = 30;
export const LOGGING_RETENTION = p(0.01, "per GiB-month beyond 30 days", LOGGING_PAGE);

/** Secret Manager: $0.06 per active version per location a month (6 free), $0.03 per 10,000 accesses (10,000 free). */
export const SECRET_VERSIONS = p(0.06, "per active version-month", SECRETS_PAGE);
export const SECRET_ACCESS = p(0.03, "per 10,000 access operations", SECRETS_PAGE);
export const SECRET_FREE_VERSIONS = free(6, "versions", "billing account", SECRETS_PAGE);
export const SECRET_FREE_ACCESS = free(10_000, "access operations", "billing account", SECRETS_PAGE);

// ---------------------------------------------------------------------------------------------
// Production features (issue #11): the custom domain's load balancer, Cloud Monitoring alerting.

const LB_PAGE = "https://cloud.google.com/load-balancing/pricing";
const ALERTING_COST = "https://cloud.google.com/monitoring/alerts/cost-control";

/** Global external Application Load Balancer: $0.025 per forwarding rule-hour for the first five. */
export const LB_FORWARDING_RULE = p(0.025, "per forwarding rule-hour (first 5 rules)", LB_PAGE);
/** Data processed by the load balancer, inbound and outbound each (charged by the region processing it). */
export const LB_DATA_PROCESSED = p(
  0.008,
  "per GiB processed (inbound or outbound)",
  LB_PAGE,
  true,
  "regional price shown on the page; varies by region",
);
/** Hours a month Google bills hourly resources over. */
export const HOURS_PER_MONTH = 730;

/**
 * Alerting (charged since 2025): $1.50 per condition a month and $0.35 per 1M time series returned
 * by condition queries; a metric-threshold condition runs every 30 s, 86,400 times in a 30-day month.
 */
export const ALERT_CONDITION = p(
  1.5,
  "per alerting condition-month",
  ALERTING_COST,
  true,
  "Google's cost-control guide ('$1.50-per-condition cost', worked examples); the current revision links the pricing page without repeating the figure",
);
export const ALERT_TIME_SERIES = p(0.35, "per 1M time series returned", ALERTING_COST);
export const ALERT_EXECUTIONS_PER_MONTH = 86_400;

/**
 * Alert conditions providers/gcp/alerts.ts creates (one per policy): the gateway's 5xx share, its p99
 * latency, and one per function. Each reduces to a single time series per execution (REDUCE_SUM or a
 * percentile across series, no group-by). 0 without `alerts`.
 */
export function alertConditionCount(api: Api): number {
  return api.alerts ? 2 + Object.keys(api.functions).length : 0;
}

/** Forwarding rules of the custom domain's load balancer (providers/gcp/domain.ts: HTTPS on 443 only). */
export const DOMAIN_FORWARDING_RULES = 1;
