/**
 * Azure list prices used by the cost estimator (`cost/`), East US, USD. Every figure carries its
 * unit, region, source and the date it was read; `verified: false` marks what no public source
 * confirmed that day (the Azure pricing pages render prices with JavaScript, so most figures come
 * from third-party transcriptions). Shared notes: /work/shared/clouds/azure.md §5.
 */
import type { FreeTier, Price } from "../../cost/types";
import type { Api } from "../../model";

const REGION = "eastus";
const READ = "2026-11-27";
const FUNCTIONS_PAGE = "https://azure.microsoft.com/pricing/details/functions/";
const APIM_PAGE = "https://azure.microsoft.com/pricing/details/api-management/";
const MODAL = "https://modal.com/blog/azure-function-pricing-guide";
const APIM_PLANS =
  "https://raw.githubusercontent.com/api-evangelist/microsoft-azure-api-management/refs/heads/main/plans/microsoft-azure-api-management-plans-pricing.yml";

function p(usd: number, unit: string, source: string, verified = true, note?: string): Price {
  return { usd, unit, region: REGION, source, read: READ, verified, ...(note ? { note } : {}) };
}

/** Flex Consumption on-demand execution time: memory provisioned while executing, per GB-s. */
export const FLEX_ON_DEMAND_GB_S = p(0.000026, "per GB-s", MODAL, true, "third-party (2025-05-22), East US");
/** Flex Consumption on-demand executions. */
export const FLEX_ON_DEMAND_EXECUTIONS = p(0.4, "per 1M executions", MODAL, true, "third-party (2025-05-22)");
/** Free grants of on-demand execution time and executions, per subscription per month. */
export const FLEX_FREE_GB_S: FreeTier = {
  quantity: 100_000,
  unit: "GB-s",
  per: "subscription",
  source: FUNCTIONS_PAGE,
  read: READ,
  verified: false,
  note: "grant size from the shared note; the third-party excerpt read today was cut off",
};
export const FLEX_FREE_EXECUTIONS: FreeTier = {
  quantity: 250_000,
  unit: "executions",
  per: "subscription",
  source: FUNCTIONS_PAGE,
  read: READ,
  verified: false,
  note: "grant size from the shared note; not re-read today",
};
/**
 * Always-ready baseline: memory of every always-ready instance, all month ("In always ready billing,
 * there are no free grants": functions-flex-consumption-billing-table.md).
 */
export const FLEX_ALWAYS_READY_BASELINE = p(
  0.000004,
  "per GB-s provisioned",
  FUNCTIONS_PAGE,
  false,
  "approximate figure from the shared note",
);

/** Seconds in the 730-hour month Azure bills always-on resources over. */
export const SECONDS_PER_MONTH = 730 * 3600;

/** APIM Consumption: per 1M calls beyond a free 1M calls a month. */
export const APIM_CONSUMPTION_CALLS = p(
  3.5,
  "per 1M calls",
  APIM_PLANS,
  false,
  "quoted as '~$3.50 per 1M calls (region-varying)'; other sources quote up to $4.50",
);
export const APIM_CONSUMPTION_FREE: FreeTier = {
  quantity: 1_000_000,
  unit: "calls",
  per: "instance",
  source: APIM_PLANS,
  read: READ,
  verified: true,
};

/** Fixed APIM SKUs: one unit per month, and the requests included (v2 tiers). */
export interface ApimSku {
  monthly: Price;
  /** Requests a month included in the unit price (v2 tiers); undefined = unlimited. */
  includedRequests?: number;
  /** Has a built-in response cache (every SKU but Consumption: api-management-features). */
  builtInCache: boolean;
}
export const APIM_SKUS: Record<string, ApimSku> = {
  Developer: { monthly: p(50, "per unit-month", APIM_PAGE, false, "~$48–50 in the shared note; sources disagree"), builtInCache: true },
  Basic: { monthly: p(150, "per unit-month", APIM_PLANS, false, "'~$0.21/hour (~$150/unit/month list)'"), builtInCache: true },
  Standard: { monthly: p(700, "per unit-month", APIM_PLANS, false, "'~$0.96/hour (~$700/unit/month list)'"), builtInCache: true },
  Premium: { monthly: p(2795, "per unit-month", APIM_PLANS, false, "'~$3.83/hour (~$2,795/unit/month list)'"), builtInCache: true },
  BasicV2: {
    monthly: p(150, "per unit-month", APIM_PAGE, false, "$150–210 in the shared note; the page showed no figures"),
    includedRequests: 10_000_000,
    builtInCache: true,
  },
  StandardV2: {
    monthly: p(700, "per unit-month", APIM_PAGE, false, "$700–734 in the shared note; the page showed no figures"),
    includedRequests: 50_000_000,
    builtInCache: true,
  },
};

/** Log Analytics (Analytics logs, pay-as-you-go): ingestion per GB, free GB, free retention days. */
export const LOG_ANALYTICS_INGEST = p(
  2.3,
  "per GB ingested",
  "https://monitoringcost.com/azure-monitor-cost",
  true,
  "third-party (2026), '~$2.30'",
);
export const LOG_ANALYTICS_FREE: FreeTier = {
  quantity: 5,
  unit: "GB",
  per: "workspace",
  source: "https://monitoringcost.com/azure-monitor-cost",
  read: READ,
  verified: true,
  note: "third-party (2026)",
};
export const LOG_ANALYTICS_FREE_RETENTION_DAYS = 31;
export const LOG_ANALYTICS_RETENTION = p(
  0.1,
  "per GB-month beyond 31 days",
  "https://monitoringcost.com/azure-monitor-cost",
  true,
  "third-party (2026), '~$0.10'",
);

/** Key Vault Standard: secret operations per 10,000; no storage charge for secrets. */
export const KEY_VAULT_OPERATIONS = p(
  0.03,
  "per 10,000 operations",
  "https://learn.microsoft.com/en-us/answers/questions/5608202/how-to-correctly-estimate-azure-key-vault-cost",
  true,
  "'~$0.03 per 10,000 operations' (Microsoft Q&A answer)",
);

// ---------------------------------------------------------------------------------------------
// Production features (issue #11): Azure Monitor alerts and action group notifications.

const MONITOR_PAGE = "https://azure.microsoft.com/pricing/details/monitor/";
const MONITOR_NOTE =
  "estimate: list price as remembered from the Azure Monitor pricing page (rendered by JavaScript); no source found today";

/** Metric alert rules: per monitored time series a month (one resource, no dimensions = one series). */
export const MONITOR_METRIC_ALERT_SERIES = p(0.1, "per monitored time series-month", MONITOR_PAGE, false, MONITOR_NOTE);
/** Log search alert rules: per rule a month by evaluation frequency; the provider evaluates every 5 minutes. */
export const MONITOR_LOG_ALERT_5_MIN = p(1.5, "per log search alert rule-month (5-minute frequency)", MONITOR_PAGE, false, MONITOR_NOTE);
/** Action group notifications: email and webhook deliveries (free grants not applied). */
export const ACTION_GROUP_EMAIL = p(2.0, "per 100,000 emails", MONITOR_PAGE, false, MONITOR_NOTE);
export const ACTION_GROUP_WEBHOOK = p(0.6, "per 1M webhooks", MONITOR_PAGE, false, MONITOR_NOTE);

/**
 * The rules providers/azure/alerts.ts creates, as Azure Monitor bills them: two log search rules (5xx
 * share, p99) evaluated every 5 minutes, and one metric alert watching one time series (the function
 * app's Http5xx: one resource, no dimension). None without `alerts`.
 */
export function alertRuleCounts(api: Api): { logSearchRules: number; metricSeries: number } {
  return api.alerts ? { logSearchRules: 2, metricSeries: 1 } : { logSearchRules: 0, metricSeries: 0 };
}
