import type { Api } from "../model";
import { awsSettings } from "../providers/aws/config";
import { chooseFlavour } from "../providers/aws/flavour";
import * as P from "../providers/aws/pricing";
import type { StackConfig } from "../providers/types";
import { addDeliveryLine, EstimateBuilder } from "./lines";
import { lessFree, num, tiered, touched, usd } from "./math";
import { alertDeliveries, functionLoads, logBytes, secretUse } from "./traffic";
import type { CloudEstimate, EstimateOptions, TrafficProfile } from "./types";

const GB = 1e9;

/** API Gateway (HTTP or REST by the flavour rule) + Lambda + CloudWatch Logs + Secrets Manager. */
export function estimateAws(api: Api, profile: TrafficProfile, config: StackConfig, options: EstimateOptions = {}): CloudEstimate {
  const { flavour, reasons } = chooseFlavour(api, config);
  const arch = options.architecture ?? "arm64";
  // The cache cluster size the provider deploys (`switchyard:aws.cacheClusterSize`), unless overridden.
  const cacheSize = String(options.cacheSizeGb ?? awsSettings(config).cacheClusterSize);
  const b = new EstimateBuilder("aws", { flavour, architecture: arch });
  if (reasons.length) b.note(`REST API because: ${reasons.join("; ")}`);
  b.note(`API Gateway free tier not applied: ${P.APIGW_FREE_CALLS.note}`);

  // Gateway: every request, cached or not, upstream or not.
  if (flavour === "http") {
    const steps = Math.max(1, Math.ceil(profile.avgPayloadKb / P.HTTP_API_METERING_KB));
    const metered = profile.requestsPerMonth * steps;
    const t = tiered(metered, P.HTTP_API, 1e6);
    b.add(
      "gateway",
      "API Gateway HTTP API requests",
      metered,
      "requests",
      t.usd,
      `${t.calc}${steps > 1 ? ` (${steps} × 512 KB steps each)` : ""}`,
    );
    b.uses("HTTP API", ...touched(metered, P.HTTP_API).map((x) => x.price));
  } else {
    const t = tiered(profile.requestsPerMonth, P.REST_API, 1e6);
    b.add("gateway", "API Gateway REST API requests", profile.requestsPerMonth, "requests", t.usd, t.calc);
    b.uses("REST API", ...touched(profile.requestsPerMonth, P.REST_API).map((x) => x.price));
  }

  // Compute: Lambda requests and GB-s, free tier applied once to the account.
  const loads = functionLoads(api, profile, flavour === "rest");
  const invocations = loads.reduce((s, l) => s + l.invocations, 0);
  const billableReq = Math.max(0, invocations - P.LAMBDA_FREE_REQUESTS.quantity);
  b.add(
    "compute",
    "Lambda requests",
    billableReq,
    "requests",
    (billableReq / 1e6) * P.LAMBDA_REQUESTS.usd,
    `${lessFree(invocations, P.LAMBDA_FREE_REQUESTS.quantity)} / 1M × ${usd(P.LAMBDA_REQUESTS.usd)}`,
  );
  const gbs = loads.reduce((s, l) => s + l.invocations * (profile.avgDurationMs / 1000) * (l.memoryMb / 1024), 0);
  const billableGbs = Math.max(0, gbs - P.LAMBDA_FREE_GB_S.quantity);
  const d = tiered(billableGbs, P.LAMBDA_DURATION[arch], 1);
  b.add(
    "compute",
    `Lambda duration (${arch})`,
    billableGbs,
    "GB-s",
    d.usd,
    `${lessFree(gbs, P.LAMBDA_FREE_GB_S.quantity)} GB-s: ${d.calc}`,
  );
  b.uses("Lambda duration", ...touched(billableGbs, P.LAMBDA_DURATION[arch]).map((x) => x.price));
  b.note("Lambda: GB-s = invocations × average duration × memory; INIT (cold start) time, billed since Aug 2025, is not included.");
  for (const l of loads.filter((x) => x.minInstances > 0)) {
    const rate = P.LAMBDA_PROVISIONED[arch];
    const provisioned = l.minInstances * (l.memoryMb / 1024) * P.HOURS_PER_MONTH * 3600;
    b.add(
      "fixed",
      `Lambda provisioned concurrency (${l.name})`,
      provisioned,
      "GB-s",
      provisioned * rate.usd,
      `${l.minInstances} × ${num(l.memoryMb / 1024)} GB × ${P.HOURS_PER_MONTH} h × 3600 s × ${usd(rate.usd)}`,
    );
    b.uses("Lambda provisioned concurrency", rate);
  }

  // Logs: access logs and Lambda logs into CloudWatch, stored for the retention period.
  const bytes = logBytes(api, profile, invocations);
  const gb = (bytes.access + bytes.functions) / GB;
  b.add(
    "logs",
    "CloudWatch Logs ingestion",
    gb,
    "GB",
    gb * P.CLOUDWATCH_INGEST.usd,
    `(${num(bytes.access / GB)} GB access + ${num(bytes.functions / GB)} GB Lambda) × ${usd(P.CLOUDWATCH_INGEST.usd)}`,
  );
  const stored = gb * (api.logging.retentionDays / 30);
  b.add(
    "logs",
    `CloudWatch Logs storage (${api.logging.retentionDays} days)`,
    stored,
    "GB-month",
    stored * P.CLOUDWATCH_STORAGE.usd,
    `${num(gb)} GB × ${api.logging.retentionDays}/30 × ${usd(P.CLOUDWATCH_STORAGE.usd)}`,
  );
  b.note("CloudWatch's free log allowance is not modelled (not verified).");

  // Secrets: one Secrets Manager secret per name; cold starts read them.
  const secrets = secretUse(loads, profile);
  if (secrets.names.length) {
    const n = secrets.names.length;
    b.add(
      "secrets",
      "Secrets Manager secrets",
      n,
      "secrets",
      n * P.SECRETS_MANAGER_SECRET.usd,
      `${n} × ${usd(P.SECRETS_MANAGER_SECRET.usd)}`,
    );
    b.add(
      "secrets",
      "Secrets Manager API calls",
      secrets.reads,
      "calls",
      (secrets.reads / 10_000) * P.SECRETS_MANAGER_CALLS.usd,
      `${num(secrets.reads)} / 10,000 × ${usd(P.SECRETS_MANAGER_CALLS.usd)}`,
    );
  }

  // Monitoring (`alerts`): the CloudWatch alarms providers/aws/alarms.ts creates, and the SNS deliveries.
  if (api.alerts) {
    const metrics = P.alarmMetricCount(api);
    const fns = Object.keys(api.functions).length;
    b.add(
      "monitoring",
      "CloudWatch alarm metrics (standard resolution)",
      metrics,
      "alarm metrics",
      metrics * P.CLOUDWATCH_ALARM_METRIC.usd,
      `(2 for the 5xx rate + 1 for p99 latency + 2 × ${fns} function${fns === 1 ? "" : "s"}) × ${usd(P.CLOUDWATCH_ALARM_METRIC.usd)}`,
    );
    b.uses("CloudWatch alarms", P.CLOUDWATCH_ALARM_METRIC);
    b.note(
      `CloudWatch's ${P.CLOUDWATCH_FREE_ALARM_METRICS.quantity} free alarm metrics a month are not applied (other alarms in the account share them).`,
    );
    const d = alertDeliveries(api, profile);
    if (d.emails) addDeliveryLine(b, "SNS email notifications", d.email, d.emails, profile.alertsPerMonth, P.SNS_EMAIL, 100_000);
    if (d.webhooks) addDeliveryLine(b, "SNS HTTPS notifications", d.webhook, d.webhooks, profile.alertsPerMonth, P.SNS_HTTPS, 1e6);
    b.note("SNS: publishes and the delivery free tiers are not priced; deliveries = alerts a month × 2 (ALARM and OK) × targets.");
  }
  // Tracing (`tracing`, on by default): X-Ray records the sampled traces. REST traces every gateway
  // request (the stage has X-Ray on); HTTP APIs cannot, so traces start at the functions.
  if (api.tracing) {
    const traced = flavour === "rest" ? profile.requestsPerMonth : invocations;
    const { reservoirPerSecond, rate } = P.XRAY_DEFAULT_SAMPLING;
    const reservoir = Math.min(traced, reservoirPerSecond * P.SECONDS_PER_MONTH);
    const traces = reservoir + rate * (traced - reservoir);
    const billable = Math.max(0, traces - P.XRAY_FREE_TRACES.quantity);
    b.add(
      "monitoring",
      "X-Ray traces recorded (default sampling)",
      billable,
      "traces",
      (billable / 1e6) * P.XRAY_TRACES.usd,
      `(${num(reservoir)} reservoir + ${rate} × ${num(traced - reservoir)}) = ${lessFree(traces, P.XRAY_FREE_TRACES.quantity)} / 1M × ${usd(P.XRAY_TRACES.usd)}`,
    );
    b.note(
      "X-Ray: the default rule samples the first request each second and 5% of the rest; the reservoir is counted full (a request every second of the month), an upper bound.",
    );
  }

  // Custom domain: API Gateway custom domain names carry no charge of their own; the ACM certificate is free.
  if (api.domain?.certificate === "managed") {
    b.add("gateway", "ACM public certificate (custom domain)", 1, "certificates", 0, `1 × ${usd(P.ACM_PUBLIC_CERTIFICATE.usd)}`);
    b.uses("ACM", P.ACM_PUBLIC_CERTIFICATE);
  }
  if (api.domain && config.get("aws.hostedZoneId"))
    b.note(
      "Route 53: the records go into the existing hosted zone (its monthly charge is billed whether or not); alias queries are not priced.",
    );

  // Fixed: the REST cache cluster is billed every hour it exists, whatever the hit rate.
  if (flavour === "rest" && api.routes.some((r) => r.cache)) {
    const rate = P.REST_CACHE_PER_HOUR[cacheSize];
    if (!rate) throw new Error(`no REST cache price for ${cacheSize} GB`);
    b.add(
      "fixed",
      `REST cache cluster ${cacheSize} GB (24/7)`,
      P.HOURS_PER_MONTH,
      "hours",
      P.HOURS_PER_MONTH * rate.usd,
      `${P.HOURS_PER_MONTH} h × ${usd(rate.usd)}`,
    );
    b.uses("REST cache", rate);
  }
  return b.build();
}
