import { type Api, ModelError } from "../model";
import { flexScale } from "../providers/azure/capabilities";
import * as P from "../providers/azure/pricing";
import type { StackConfig } from "../providers/types";
import { addDeliveryLine, addLogLines, EstimateBuilder } from "./lines";
import { lessFree, num, usd } from "./math";
import { alertDeliveries, functionLoads, logBytes, secretUse } from "./traffic";
import type { CloudEstimate, TrafficProfile } from "./types";

const GB = 1e9;
const SKUS = ["Consumption", ...Object.keys(P.APIM_SKUS)];

/** The Flex Consumption instance memory the provider deploys (the same rule, from the provider). */
export function flexInstanceMemoryMb(api: Api): number {
  return flexScale(api).instanceMemoryMB;
}

/** API Management (SKU from `switchyard:azure.apimSku`) + one Flex Consumption app + Log Analytics + Key Vault. */
export function estimateAzure(api: Api, profile: TrafficProfile, config: StackConfig): CloudEstimate {
  const sku = config.get("azure.apimSku") || "Consumption";
  if (!SKUS.includes(sku)) {
    throw new ModelError(
      [{ path: "switchyard:azure.apimSku", message: `"${sku}" is not an APIM SKU this estimator prices. Use one of ${SKUS.join(", ")}.` }],
      "",
    );
  }
  const memoryMb = flexInstanceMemoryMb(api);
  const b = new EstimateBuilder("azure", { apimSku: sku, flexInstanceMemoryMb: String(memoryMb) });
  const n = profile.requestsPerMonth;

  // Gateway: APIM Consumption per call (first 1M free), or a fixed unit price.
  const fixedSku = P.APIM_SKUS[sku];
  if (!fixedSku) {
    const billable = Math.max(0, n - P.APIM_CONSUMPTION_FREE.quantity);
    b.add(
      "gateway",
      "API Management Consumption calls",
      billable,
      "calls",
      (billable / 1e6) * P.APIM_CONSUMPTION_CALLS.usd,
      `${lessFree(n, P.APIM_CONSUMPTION_FREE.quantity)} / 1M × ${usd(P.APIM_CONSUMPTION_CALLS.usd)}`,
    );
    b.uses("APIM Consumption", P.APIM_CONSUMPTION_CALLS, P.APIM_CONSUMPTION_FREE);
    if (api.routes.some((r) => r.cache)) b.note("APIM Consumption has no built-in cache: the cache hit rate is not applied.");
  } else {
    b.add("fixed", `API Management ${sku} (1 unit)`, 1, "unit-month", fixedSku.monthly.usd, `1 × ${usd(fixedSku.monthly.usd)}`);
    b.uses(`APIM ${sku}`, fixedSku.monthly);
    if (fixedSku.includedRequests !== undefined && n > fixedSku.includedRequests) {
      b.note(
        `APIM ${sku} includes ${num(fixedSku.includedRequests)} requests a month; the overage rate is not in the price table (not verified), so ${num(n - fixedSku.includedRequests)} requests are not priced.`,
      );
    }
  }

  // Compute: every function in one Flex Consumption app at the app's instance memory.
  const loads = functionLoads(api, profile, !!fixedSku?.builtInCache);
  const executions = loads.reduce((s, l) => s + l.invocations, 0);
  const gbs = executions * (profile.avgDurationMs / 1000) * (memoryMb / 1024);
  const billableGbs = Math.max(0, gbs - P.FLEX_FREE_GB_S.quantity);
  b.add(
    "compute",
    `Flex Consumption execution time (${memoryMb} MB)`,
    billableGbs,
    "GB-s",
    billableGbs * P.FLEX_ON_DEMAND_GB_S.usd,
    `${lessFree(gbs, P.FLEX_FREE_GB_S.quantity)} GB-s × ${usd(P.FLEX_ON_DEMAND_GB_S.usd)}`,
  );
  const billableExec = Math.max(0, executions - P.FLEX_FREE_EXECUTIONS.quantity);
  b.add(
    "compute",
    "Flex Consumption executions",
    billableExec,
    "executions",
    (billableExec / 1e6) * P.FLEX_ON_DEMAND_EXECUTIONS.usd,
    `${lessFree(executions, P.FLEX_FREE_EXECUTIONS.quantity)} / 1M × ${usd(P.FLEX_ON_DEMAND_EXECUTIONS.usd)}`,
  );
  b.uses("Flex Consumption", P.FLEX_ON_DEMAND_GB_S, P.FLEX_ON_DEMAND_EXECUTIONS, P.FLEX_FREE_GB_S, P.FLEX_FREE_EXECUTIONS);
  b.note(
    "Flex: each execution is billed alone for its duration (no sharing of an instance between concurrent executions, an upper bound); the 1,000 ms minimum per instance activation is not modelled.",
  );
  const alwaysReady = Math.max(0, ...loads.map((l) => l.minInstances));
  if (alwaysReady > 0) {
    const baseline = alwaysReady * (memoryMb / 1024) * P.SECONDS_PER_MONTH;
    b.add(
      "fixed",
      `Flex always-ready baseline (${alwaysReady} instance${alwaysReady > 1 ? "s" : ""})`,
      baseline,
      "GB-s",
      baseline * P.FLEX_ALWAYS_READY_BASELINE.usd,
      `${alwaysReady} × ${num(memoryMb / 1024)} GB × ${num(P.SECONDS_PER_MONTH)} s × ${usd(P.FLEX_ALWAYS_READY_BASELINE.usd)}`,
    );
    b.uses("Flex always-ready", P.FLEX_ALWAYS_READY_BASELINE);
    b.note(
      "Flex always-ready: HTTP functions share the app's http group, so the largest scaling.min sets it; executions stay priced at on-demand rates.",
    );
  }

  // Logs: APIM and function telemetry into one Log Analytics workspace.
  const bytes = logBytes(api, profile, executions);
  const gb = (bytes.access + bytes.functions) / GB;
  addLogLines(b, {
    ingestLabel: "Log Analytics ingestion",
    service: "Log Analytics",
    unit: "GB",
    volume: gb,
    free: P.LOG_ANALYTICS_FREE,
    ingest: P.LOG_ANALYTICS_INGEST,
    freeDays: P.LOG_ANALYTICS_FREE_RETENTION_DAYS,
    retentionDays: api.logging.retentionDays,
    storage: P.LOG_ANALYTICS_RETENTION,
  });

  // Secrets: Key Vault charges operations only; cold starts read each function's secrets.
  const secrets = secretUse(loads, profile);
  if (secrets.names.length) {
    b.add(
      "secrets",
      "Key Vault secret operations",
      secrets.reads,
      "operations",
      (secrets.reads / 10_000) * P.KEY_VAULT_OPERATIONS.usd,
      `${num(secrets.reads)} / 10,000 × ${usd(P.KEY_VAULT_OPERATIONS.usd)}`,
    );
  }
  // Monitoring (`alerts`): the rules providers/azure/alerts.ts creates, and the action group's notifications.
  if (api.alerts) {
    const rules = P.alertRuleCounts(api);
    b.add(
      "monitoring",
      "Azure Monitor log search alert rules (5-minute frequency)",
      rules.logSearchRules,
      "rules",
      rules.logSearchRules * P.MONITOR_LOG_ALERT_5_MIN.usd,
      `${rules.logSearchRules} (5xx share, p99 latency) × ${usd(P.MONITOR_LOG_ALERT_5_MIN.usd)}`,
    );
    b.add(
      "monitoring",
      "Azure Monitor metric alert time series",
      rules.metricSeries,
      "time series",
      rules.metricSeries * P.MONITOR_METRIC_ALERT_SERIES.usd,
      `${rules.metricSeries} (function app Http5xx) × ${usd(P.MONITOR_METRIC_ALERT_SERIES.usd)}`,
    );
    b.uses("Azure Monitor alerts", P.MONITOR_LOG_ALERT_5_MIN, P.MONITOR_METRIC_ALERT_SERIES);
    const d = alertDeliveries(api, profile);
    if (d.emails) addDeliveryLine(b, "Action group emails", d.email, d.emails, profile.alertsPerMonth, P.ACTION_GROUP_EMAIL, 100_000);
    if (d.webhooks) addDeliveryLine(b, "Action group webhooks", d.webhook, d.webhooks, profile.alertsPerMonth, P.ACTION_GROUP_WEBHOOK, 1e6);
    b.note(
      "Action groups: the monthly free notification grants are not applied; deliveries = alerts a month × 2 (fired, resolved) × targets.",
    );
  }
  // Custom domain: an APIM custom hostname has no charge of its own; the managed certificate is free.
  if (api.domain) b.note("Custom domain: API Management custom hostnames and managed certificates carry no separate charge (not priced).");
  return b.build();
}
