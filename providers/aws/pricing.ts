/**
 * AWS list prices used by the cost estimator (`cost/`), us-east-1, USD. Every figure carries its
 * unit, region, source and the date it was read; `verified: false` marks what no public source
 * confirmed that day. Shared notes: /work/shared/clouds/aws.md §6.
 */
import type { FreeTier, Price, Tier } from "../../cost/types";
import type { Api } from "../../model";

const REGION = "us-east-1";
const READ = "2026-11-27";
const LAMBDA_PAGE = "https://aws.amazon.com/lambda/pricing/";
const APIGW_PAGE = "https://aws.amazon.com/api-gateway/pricing/";
const APIGW_WHITEPAPER =
  "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html";
const ARTILLERY = "https://app.unpkg.com/artillery@2.0.28/files/lib/platform/aws-lambda/prices.js";

function p(usd: number, unit: string, source: string, verified = true, note?: string): Price {
  return { usd, unit, region: REGION, source, read: READ, verified, ...(note ? { note } : {}) };
}

/** Lambda requests: $0.20 per 1M (AWS pricing page, quoted by api-evangelist's 2026-09-20 harvest). */
export const LAMBDA_REQUESTS = p(0.2, "per 1M requests", LAMBDA_PAGE);

/**
 * Lambda duration per GB-s by architecture, tiered by monthly GB-s. The first-tier rates
 * (x86 $0.0000166667, arm64 $0.0000133334) are in artillery's price table (base region) and the
 * shared note; the lower tiers are from the shared note (cloudchipr.com, 2024) only.
 */
export const LAMBDA_DURATION: Record<"arm64" | "x86_64", Tier[]> = {
  arm64: [
    { upTo: 7.5e9, price: p(0.0000133334, "per GB-s", ARTILLERY) },
    { upTo: 18.75e9, price: p(0.0000120001, "per GB-s", "https://cloudchipr.com/blog/aws-lambda-pricing", false, "tier not re-read") },
    { upTo: Infinity, price: p(0.0000106667, "per GB-s", "https://cloudchipr.com/blog/aws-lambda-pricing", false, "tier not re-read") },
  ],
  x86_64: [
    { upTo: 6e9, price: p(0.0000166667, "per GB-s", ARTILLERY) },
    { upTo: 15e9, price: p(0.000015, "per GB-s", "https://cloudchipr.com/blog/aws-lambda-pricing", false, "tier not re-read") },
    { upTo: Infinity, price: p(0.0000133334, "per GB-s", "https://cloudchipr.com/blog/aws-lambda-pricing", false, "tier not re-read") },
  ],
};

/** "The free tier includes one million requests and 400,000 GB-seconds per month" (always free). */
export const LAMBDA_FREE_REQUESTS: FreeTier = {
  quantity: 1_000_000,
  unit: "requests",
  per: "account",
  source: LAMBDA_PAGE,
  read: READ,
  verified: true,
};
export const LAMBDA_FREE_GB_S: FreeTier = {
  quantity: 400_000,
  unit: "GB-s",
  per: "account (x86 + arm64 combined)",
  source: LAMBDA_PAGE,
  read: READ,
  verified: true,
};

/** Provisioned concurrency (what `scaling.min > 0` costs if the AWS provider maps it so). */
export const LAMBDA_PROVISIONED: Record<"arm64" | "x86_64", Price> = {
  arm64: p(
    0.0000033334,
    "per GB-s provisioned",
    LAMBDA_PAGE,
    false,
    "rate from memory of the pricing page (x86 × 0.8); not found in a source today",
  ),
  x86_64: p(0.0000041667, "per GB-s provisioned", LAMBDA_PAGE, false, "only in the shared note (aws.md §6); not found in a source today"),
};

/** HTTP API: $1.00/M for the first 300M a month, $0.90/M after; metered in 512 KB steps. */
export const HTTP_API: Tier[] = [
  { upTo: 300e6, price: p(1.0, "per 1M requests", APIGW_WHITEPAPER) },
  { upTo: Infinity, price: p(0.9, "per 1M requests", APIGW_WHITEPAPER) },
];
/** HTTP API requests are metered in 512 KB increments. */
export const HTTP_API_METERING_KB = 512;

/** REST API: $3.50/M (first 333M), $2.80 (next 667M), $2.38 (next 19B), $1.51 (over 20B). */
export const REST_API: Tier[] = [
  { upTo: 333e6, price: p(3.5, "per 1M requests", APIGW_WHITEPAPER) },
  { upTo: 1e9, price: p(2.8, "per 1M requests", APIGW_WHITEPAPER) },
  { upTo: 20e9, price: p(2.38, "per 1M requests", APIGW_WHITEPAPER) },
  { upTo: Infinity, price: p(1.51, "per 1M requests", APIGW_WHITEPAPER) },
];

/**
 * API Gateway's free tier (1M HTTP + 1M REST calls a month) lasts 12 months and exists only for
 * accounts created before 15 Jul 2025, so it has expired for every account by this table's date.
 * Modelled, never applied.
 */
export const APIGW_FREE_CALLS: FreeTier = {
  quantity: 1_000_000,
  unit: "calls",
  per: "account, first 12 months, accounts created before 2025-07-15",
  source: APIGW_PAGE,
  read: READ,
  verified: true,
  note: "expired for every account by 2026-07-15; not applied",
};

/** Hours billed per month for always-on resources (AWS's 730-hour month). */
export const HOURS_PER_MONTH = 730;

/** REST cache cluster, per hour by size in GB; billed 24/7 while enabled. */
export const REST_CACHE_PER_HOUR: Record<string, Price> = {
  "0.5": p(
    0.02,
    "per hour",
    "https://awsforengineers.com/blog/aws-api-gateway-pricing-explained",
    true,
    "third-party (May 2025); $14.60/month also quoted by tmmr.uk",
  ),
  "1.6": p(
    0.038,
    "per hour",
    APIGW_PAGE,
    false,
    "intermediate sizes only in the shared note; the pricing page renders them with JavaScript",
  ),
  "6.1": p(0.2, "per hour", APIGW_PAGE, false, "intermediate sizes only in the shared note"),
  "13.5": p(0.25, "per hour", APIGW_PAGE, false, "intermediate sizes only in the shared note"),
  "28.4": p(0.5, "per hour", APIGW_PAGE, false, "intermediate sizes only in the shared note"),
  "58.2": p(1.0, "per hour", APIGW_PAGE, false, "intermediate sizes only in the shared note"),
  "118": p(1.9, "per hour", APIGW_PAGE, false, "intermediate sizes only in the shared note"),
  "237": p(
    3.8,
    "per hour",
    APIGW_PAGE,
    false,
    "the shared note cites go-cloud.io (2026): $2,774/month = 237 GB × 730 h; not re-read today",
  ),
};

/** CloudWatch Logs (Standard class): ingestion per GB and storage per GB-month. */
export const CLOUDWATCH_INGEST = p(
  0.5,
  "per GB ingested",
  "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
  true,
  "third-party, 'us-east-1, June 2026'",
);
export const CLOUDWATCH_STORAGE = p(
  0.03,
  "per GB-month stored",
  "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
  true,
  "third-party; stored size is compressed, so this over-estimates",
);

/** Secrets Manager: $0.40 per secret-month, $0.05 per 10,000 API calls. */
export const SECRETS_MANAGER_SECRET = p(0.4, "per secret-month", "https://aws.amazon.com/secrets-manager/pricing/");
export const SECRETS_MANAGER_CALLS = p(0.05, "per 10,000 API calls", "https://aws.amazon.com/secrets-manager/pricing/");

// ---------------------------------------------------------------------------------------------
// Production features (issue #11): alarms, notifications, custom domain.

const C3X_ALARMS = "https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm";
const CW_PLANS = "https://raw.githubusercontent.com/api-evangelist/cloudwatch/refs/heads/main/plans/cloudwatch-plans-pricing.yml";
const SNS_PRICES = "https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/";

/**
 * CloudWatch standard-resolution metric alarms: $0.10 per alarm metric a month. A metric-math alarm
 * is billed per metric in its expression (CW_PLANS: "billed monthly per alarm metric").
 */
export const CLOUDWATCH_ALARM_METRIC = p(
  0.1,
  "per alarm metric-month (standard resolution)",
  C3X_ALARMS,
  true,
  "third-party ('$0.10/alarm-month for standard resolution'); per metric for metric-math alarms from CW_PLANS",
);
/** The always-free 10 standard-resolution alarm metrics: modelled, not applied (an account shares it). */
export const CLOUDWATCH_FREE_ALARM_METRICS: FreeTier = {
  quantity: 10,
  unit: "alarm metrics",
  per: "account",
  source: CW_PLANS,
  read: READ,
  verified: false,
  note: "from a generated third-party table (api-evangelist, 2026-05); not applied: other alarms in the account use it",
};

/** SNS notification deliveries by protocol (us-east-1): email $2.00 per 100,000, HTTP/S $0.60 per 1M. */
export const SNS_EMAIL = p(2.0, "per 100,000 email deliveries", SNS_PRICES, true, "third-party (2026-06-13): 'email is $2/100K'");
export const SNS_HTTPS = p(0.6, "per 1M HTTP/S deliveries", SNS_PRICES, true, "third-party (2026-06-13): 'HTTP delivery is $0.60/M'");

/** Public ACM certificates used by API Gateway cost nothing (the custom domain name itself neither). */
export const ACM_PUBLIC_CERTIFICATE = p(
  0,
  "per public certificate",
  "https://aws.amazon.com/certificate-manager/pricing/",
  false,
  "free per third-party pages read today (e.g. visualfoodie.com, winenfood.com); the AWS page itself was not in the search corpus",
);

/**
 * Alarm metrics providers/aws/alarms.ts creates, as CloudWatch bills them (a metric-math alarm counts
 * each metric it reads): the 5xx share reads 2 (errors, requests), the p99 latency 1, and every
 * function's Errors and Throttles alarms 1 each. 0 without `alerts`.
 */
export function alarmMetricCount(api: Api): number {
  return api.alerts ? 3 + 2 * Object.keys(api.functions).length : 0;
}

const XRAY_PAGE = "https://aws.amazon.com/xray/pricing/";
/** X-Ray: traces recorded beyond the free tier, $5.00 per 1M ("0,000005 USD pro Ablaufverfolgung"). */
export const XRAY_TRACES = p(
  5.0,
  "per 1M traces recorded",
  XRAY_PAGE,
  true,
  "read on the German edition of the page (aws.amazon.com/de/xray/pricing)",
);
/** "Die ersten 100 000 aufgezeichneten Ablaufverfolgungen pro Monat sind kostenfrei" (perpetual free tier). */
export const XRAY_FREE_TRACES: FreeTier = {
  quantity: 100_000,
  unit: "traces recorded",
  per: "account",
  source: XRAY_PAGE,
  read: READ,
  verified: true,
};
/**
 * X-Ray's default sampling rule: the first request each second (reservoir 1/s) and 5% of the rest
 * (https://blog.tsypuk.com/posts/2023/03/27/xra-tracing-3.html; https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sampling.html).
 */
export const XRAY_DEFAULT_SAMPLING = { reservoirPerSecond: 1, rate: 0.05 } as const;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
