import type { Api } from "../model";
import * as P from "../providers/gcp/pricing";
import { cpuFor } from "../providers/gcp/sizing";
import { addLogLines, EstimateBuilder } from "./lines";
import { lessFree, num, tiered, touched, usd } from "./math";
import { alertDeliveries, functionLoads, logBytes, secretUse } from "./traffic";
import type { CloudEstimate, TrafficProfile } from "./types";

const GIB = 2 ** 30;

/** vCPU of a Cloud Run function by its memory tier (the smallest tier that holds the memory). */
export function cpuForMemory(memoryMb: number): number {
  return (P.CPU_BY_MEMORY_MB.find(([m]) => m >= memoryMb) ?? (P.CPU_BY_MEMORY_MB.at(-1) as [number, number]))[1];
}

/** The vCPU the provider deploys: its explicit CPU when it sets one, else Google's default for the memory. */
export function effectiveCpu(memoryMb: number, concurrency: number): number {
  const explicit = cpuFor(memoryMb, concurrency);
  return explicit !== undefined ? Number(explicit) : cpuForMemory(memoryMb);
}

/** API Gateway + one Cloud Run function (gen2) per function + Cloud Logging + Secret Manager. */
export function estimateGcp(api: Api, profile: TrafficProfile): CloudEstimate {
  const b = new EstimateBuilder("gcp", {});
  const n = profile.requestsPerMonth;

  const g = tiered(n, P.API_GATEWAY, 1e6);
  b.add("gateway", "API Gateway calls", n, "calls", g.usd, g.calc);
  b.uses("API Gateway", ...touched(n, P.API_GATEWAY).map((t) => t.price));
  if (api.routes.some((r) => r.cache)) b.note("API Gateway has no response cache: the cache hit rate is not applied.");

  // Compute: per-request billed time rounded up to 100 ms, CPU by memory tier, free tier per billing account.
  const loads = functionLoads(api, profile, false);
  const billedSeconds = (Math.ceil(profile.avgDurationMs / P.RUN_BILLING_STEP_MS) * P.RUN_BILLING_STEP_MS) / 1000;
  let cpuS = 0;
  let gibS = 0;
  for (const l of loads) {
    const cpu = effectiveCpu(l.memoryMb, l.concurrency ?? 1);
    cpuS += l.invocations * billedSeconds * cpu;
    gibS += l.invocations * billedSeconds * (l.memoryMb / 1024);
    if (cpu > cpuForMemory(l.memoryMb))
      b.note(`${l.name}: concurrency ${l.concurrency} needs ≥ 1 vCPU, so the provider sets ${cpu} vCPU at ${l.memoryMb} MB (priced so).`);
  }
  const invocations = loads.reduce((s, l) => s + l.invocations, 0);
  const billCpu = Math.max(0, cpuS - P.RUN_FREE_CPU.quantity);
  b.add(
    "compute",
    "Cloud Run functions CPU",
    billCpu,
    "vCPU-s",
    billCpu * P.RUN_CPU.usd,
    `${lessFree(cpuS, P.RUN_FREE_CPU.quantity)} vCPU-s × ${usd(P.RUN_CPU.usd)}`,
  );
  const billMem = Math.max(0, gibS - P.RUN_FREE_MEMORY.quantity);
  b.add(
    "compute",
    "Cloud Run functions memory",
    billMem,
    "GiB-s",
    billMem * P.RUN_MEMORY.usd,
    `${lessFree(gibS, P.RUN_FREE_MEMORY.quantity)} GiB-s × ${usd(P.RUN_MEMORY.usd)}`,
  );
  const billReq = Math.max(0, invocations - P.RUN_FREE_REQUESTS.quantity);
  b.add(
    "compute",
    "Cloud Run functions requests",
    billReq,
    "requests",
    (billReq / 1e6) * P.RUN_REQUESTS.usd,
    `${lessFree(invocations, P.RUN_FREE_REQUESTS.quantity)} / 1M × ${usd(P.RUN_REQUESTS.usd)}`,
  );
  b.note(
    `Cloud Run: each request billed alone for ${billedSeconds * 1000} ms (${profile.avgDurationMs} ms rounded up to 100 ms), an upper bound with concurrency.`,
  );
  for (const l of loads.filter((x) => x.minInstances > 0)) {
    const cpu = cpuForMemory(l.memoryMb);
    const perSecond = cpu * P.RUN_IDLE_CPU.usd + (l.memoryMb / 1024) * P.RUN_IDLE_MEMORY.usd;
    b.add(
      "fixed",
      `Cloud Run idle min instances (${l.name})`,
      l.minInstances * P.SECONDS_PER_MONTH,
      "instance-s",
      l.minInstances * P.SECONDS_PER_MONTH * perSecond,
      `${l.minInstances} × ${num(P.SECONDS_PER_MONTH)} s × (${cpu} vCPU × ${usd(P.RUN_IDLE_CPU.usd)} + ${num(l.memoryMb / 1024)} GiB × ${usd(P.RUN_IDLE_MEMORY.usd)})`,
    );
    b.uses("Cloud Run idle", P.RUN_IDLE_CPU, P.RUN_IDLE_MEMORY);
  }

  // Logs: Cloud Logging, 50 GiB per project free, 30 days included.
  const bytes = logBytes(api, profile, invocations);
  const gib = (bytes.access + bytes.functions) / GIB;
  addLogLines(b, {
    ingestLabel: "Cloud Logging",
    service: "Cloud Logging",
    unit: "GiB",
    volume: gib,
    free: P.LOGGING_FREE,
    ingest: P.LOGGING_INGEST,
    freeDays: P.LOGGING_FREE_RETENTION_DAYS,
    retentionDays: api.logging.retentionDays,
    storage: P.LOGGING_RETENTION,
  });

  // Custom domain: the global external Application Load Balancer in front of the gateway.
  if (api.domain) {
    const rules = P.DOMAIN_FORWARDING_RULES;
    b.add(
      "fixed",
      "Load balancer forwarding rule (custom domain, 24/7)",
      rules * P.HOURS_PER_MONTH,
      "rule-hours",
      rules * P.HOURS_PER_MONTH * P.LB_FORWARDING_RULE.usd,
      `${rules} × ${P.HOURS_PER_MONTH} h × ${usd(P.LB_FORWARDING_RULE.usd)}`,
    );
    // Each request's payload in and (estimate) a response of the same size out.
    const gibEach = (n * profile.avgPayloadKb * 1024) / GIB;
    b.add(
      "gateway",
      "Load balancer data processed (in + out)",
      2 * gibEach,
      "GiB",
      2 * gibEach * P.LB_DATA_PROCESSED.usd,
      `(${num(gibEach)} GiB in + ${num(gibEach)} GiB out) × ${usd(P.LB_DATA_PROCESSED.usd)}`,
    );
    b.uses("Load balancing", P.LB_FORWARDING_RULE, P.LB_DATA_PROCESSED);
    b.note(
      "Load balancer: responses are assumed the size of requests (avgPayloadKb); internet egress, the static IP and the managed certificate are not priced.",
    );
  }

  if (api.tracing) b.note("Cloud Trace: the spans API Gateway and Cloud Run record on their own are not priced.");

  // Monitoring (`alerts`): the alert conditions providers/gcp/alerts.ts creates.
  if (api.alerts) {
    const conditions = P.alertConditionCount(api);
    const fns = Object.keys(api.functions).length;
    b.add(
      "monitoring",
      "Cloud Monitoring alerting conditions",
      conditions,
      "conditions",
      conditions * P.ALERT_CONDITION.usd,
      `(5xx share + p99 latency + ${fns} function${fns === 1 ? "" : "s"}) × ${usd(P.ALERT_CONDITION.usd)}`,
    );
    const series = conditions * P.ALERT_EXECUTIONS_PER_MONTH;
    b.add(
      "monitoring",
      "Cloud Monitoring alerting time series returned",
      series,
      "time series",
      (series / 1e6) * P.ALERT_TIME_SERIES.usd,
      `${conditions} conditions × 1 series × ${num(P.ALERT_EXECUTIONS_PER_MONTH)} executions / 1M × ${usd(P.ALERT_TIME_SERIES.usd)}`,
    );
    b.uses("Cloud Monitoring alerting", P.ALERT_CONDITION, P.ALERT_TIME_SERIES);
    const d = alertDeliveries(api, profile);
    b.note(
      `Cloud Monitoring notifications (${num(d.email + d.webhook)} a month to ${d.emails + d.webhooks} channels) are not priced: Google's alerting cost guide charges conditions and returned time series only.`,
    );
  }

  // Secrets: one active version per secret; accesses on instance start.
  const secrets = secretUse(loads, profile);
  if (secrets.names.length) {
    const versions = secrets.names.length;
    const billV = Math.max(0, versions - P.SECRET_FREE_VERSIONS.quantity);
    b.add(
      "secrets",
      "Secret Manager active versions",
      billV,
      "versions",
      billV * P.SECRET_VERSIONS.usd,
      `${lessFree(versions, P.SECRET_FREE_VERSIONS.quantity)} × ${usd(P.SECRET_VERSIONS.usd)}`,
    );
    const billA = Math.max(0, secrets.reads - P.SECRET_FREE_ACCESS.quantity);
    b.add(
      "secrets",
      "Secret Manager access operations",
      billA,
      "operations",
      (billA / 10_000) * P.SECRET_ACCESS.usd,
      `${lessFree(secrets.reads, P.SECRET_FREE_ACCESS.quantity)} / 10,000 × ${usd(P.SECRET_ACCESS.usd)}`,
    );
  }
  return b.build();
}
