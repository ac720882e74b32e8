import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Alerts } from "../../model";

export interface GcpAlertArgs {
  name: string;
  alerts: Alerts;
  project: string;
  apiName: string;
  stack: string;
  /** The gateway's id: API Gateway metrics carry it as resource label gateway_id. */
  gatewayId: pulumi.Input<string>;
  /** Model function name → Cloud Run service name of the function (the function's name). */
  functions: Record<string, pulumi.Input<string>>;
  labels: (extra?: Record<string, string>) => Record<string, string>;
  opts: pulumi.CustomResourceOptions;
}

/** Alignment window: 5 minutes. */
export const WINDOW = "300s";

/**
 * Metric filters. API Gateway: `apigateway.googleapis.com/proxy/request_count` (label
 * response_code_class) on resource type `apigateway.googleapis.com/Gateway` (resource label
 * gateway_id), and `apigateway.googleapis.com/proxy/latencies`. [unverified: Google's metrics list
 * (https://cloud.google.com/monitoring/api/metrics_gcp) was not in the search corpus. request_count
 * with response_code_class and the Gateway resource type recur in several public alert policies and
 * dashboards; proxy/latencies appears in only one public dashboard, and another public script queries
 * `proxy/client_latencies` instead: check the latency metric's name before relying on the p99 alert.]
 * Functions (Cloud Run functions are Cloud Run services): `run.googleapis.com/request_count` on
 * `cloud_run_revision` (https://cloud.google.com/monitoring/api/metrics_gcp#gcp-run).
 */
export function filters(gatewayId: string) {
  const gw = `resource.type = "apigateway.googleapis.com/Gateway" AND resource.label.gateway_id = "${gatewayId}"`;
  return {
    requests: `metric.type = "apigateway.googleapis.com/proxy/request_count" AND ${gw}`,
    errors: `metric.type = "apigateway.googleapis.com/proxy/request_count" AND ${gw} AND metric.label.response_code_class = "5xx"`,
    latencies: `metric.type = "apigateway.googleapis.com/proxy/latencies" AND ${gw}`,
    function5xx: (service: string) =>
      `metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision" AND resource.label.service_name = "${service}" AND metric.label.response_code_class = "5xx"`,
  };
}

/**
 * Cloud Monitoring alert policies to notification channels (email; `webhook_tokenauth` for https
 * URLs): the gateway's 5xx share as a ratio condition (errors / requests above errorRatePercent/100),
 * its p99 latency above p99LatencyMs, and each function's 5xx responses. All labelled (userLabels).
 */
export function gcpAlerts(a: GcpAlertArgs): void {
  const { name, alerts, project, opts } = a;
  const channels = alerts.notify.map(
    (n, i) =>
      new gcp.monitoring.NotificationChannel(
        `${name}-notify-${i}`,
        n.kind === "email"
          ? {
              project,
              displayName: `${a.apiName} (${a.stack}) ${n.address}`,
              type: "email",
              labels: { email_address: n.address },
              userLabels: a.labels(),
            }
          : {
              project,
              displayName: `${a.apiName} (${a.stack}) webhook ${i}`,
              type: "webhook_tokenauth",
              labels: { url: n.url },
              userLabels: a.labels(),
            },
        opts,
      ),
  );
  const notificationChannels = channels.map((c) => c.id);
  const f = pulumi.output(a.gatewayId).apply(filters);
  const sum = { alignmentPeriod: WINDOW, perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM" };
  const policy = (
    role: string,
    displayName: string,
    condition: gcp.types.input.monitoring.AlertPolicyCondition,
    extra: Record<string, string> = {},
  ) =>
    new gcp.monitoring.AlertPolicy(
      `${name}-alert-${role}`,
      { project, displayName, combiner: "OR", conditions: [condition], notificationChannels, userLabels: a.labels(extra) },
      opts,
    );
  policy("error-rate", `${a.apiName} (${a.stack}): 5xx above ${alerts.errorRatePercent}% of requests`, {
    displayName: "gateway 5xx share",
    conditionThreshold: {
      filter: f.errors,
      aggregations: [sum],
      denominatorFilter: f.requests,
      denominatorAggregations: [sum],
      comparison: "COMPARISON_GT",
      // A ratio condition compares errors/requests (0..1) with the threshold.
      thresholdValue: alerts.errorRatePercent / 100,
      duration: "0s",
    },
  });
  policy("latency-p99", `${a.apiName} (${a.stack}): p99 latency above ${alerts.p99LatencyMs} ms`, {
    displayName: "gateway p99 latency",
    conditionThreshold: {
      filter: f.latencies,
      aggregations: [{ alignmentPeriod: WINDOW, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99" }],
      comparison: "COMPARISON_GT",
      thresholdValue: alerts.p99LatencyMs,
      duration: "0s",
    },
  });
  for (const [fn, service] of Object.entries(a.functions)) {
    policy(
      `fn-${fn.toLowerCase()}-5xx`,
      `${a.apiName} (${a.stack}): function ${fn} answered 5xx`,
      {
        displayName: `function ${fn} 5xx`,
        conditionThreshold: {
          filter: pulumi.output(service).apply((s) => filters("").function5xx(s)),
          aggregations: [sum],
          comparison: "COMPARISON_GT",
          thresholdValue: 0,
          duration: "0s",
        },
      },
      { function: fn.toLowerCase() },
    );
  }
}
