import * as monitor from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";
import type { Alerts, Api } from "../../model";

export interface AzureAlertArgs {
  name: string;
  api: Api;
  stack: string;
  resourceGroupName: pulumi.Input<string>;
  /** Application Insights component both API Management and the Functions host report to. */
  insightsId: pulumi.Input<string>;
  appId: pulumi.Input<string>;
  location: string;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/** Evaluation: every 5 minutes over the last 5 minutes (ISO 8601 durations the alert APIs take). */
export const WINDOW = "PT5M";

/**
 * Kusto over Application Insights `requests` (APIM's gateway requests with logging.access, and the
 * Functions host's): the 5xx share in percent and the 99th percentile duration in ms, one row each.
 */
export function alertQueries(): { errorRate: string; p99: string } {
  return {
    errorRate: "requests | summarize errorRatePercent = 100.0 * countif(toint(resultCode) >= 500) / count()",
    p99: "requests | summarize p99DurationMs = percentile(duration, 99)",
  };
}

/**
 * Azure Monitor alerts to one action group (email and webhook receivers, common alert schema):
 * - the API's 5xx share and p99 latency as log alerts (monitor.ScheduledQueryRule) over Application
 *   Insights, because platform metrics of API Management have no percentage or percentile
 *   aggregation (metric alerts aggregate Average/Minimum/Maximum/Total/Count:
 *   types/enums/monitor AggregationTypeEnum);
 * - the function app's HTTP 5xx responses as a metric alert (monitor.MetricAlert, Microsoft.Web/sites
 *   metric Http5xx, Total ≥ 1).
 * All tagged.
 */
export function azureAlerts(a: AzureAlertArgs): void {
  const { name, api, parent, tags } = a;
  const alerts = api.alerts as Alerts;
  const opts = { parent };
  const emails = alerts.notify.flatMap((n, i) =>
    n.kind === "email" ? [{ name: `email-${i}`, emailAddress: n.address, useCommonAlertSchema: true }] : [],
  );
  const hooks = alerts.notify.flatMap((n, i) =>
    n.kind === "webhook" ? [{ name: `webhook-${i}`, serviceUri: n.url, useCommonAlertSchema: true }] : [],
  );
  const group = new monitor.ActionGroup(
    `${name}-action-group`,
    {
      resourceGroupName: a.resourceGroupName,
      actionGroupName: `${api.name}-${a.stack}-alerts`.slice(0, 260),
      // Short name: at most 12 characters (monitor/actionGroup.d.ts groupShortName).
      groupShortName: api.name.slice(0, 12),
      enabled: true,
      location: "Global",
      emailReceivers: emails,
      webhookReceivers: hooks,
      tags,
    },
    opts,
  );
  const q = alertQueries();
  const logAlert = (role: string, description: string, query: string, column: string, threshold: number) =>
    new monitor.ScheduledQueryRule(
      `${name}-alert-${role}`,
      {
        resourceGroupName: a.resourceGroupName,
        ruleName: `${api.name}-${a.stack}-${role}`,
        location: a.location,
        description,
        severity: 2,
        enabled: true,
        scopes: [a.insightsId],
        evaluationFrequency: WINDOW,
        windowSize: WINDOW,
        criteria: {
          allOf: [
            {
              query,
              timeAggregation: "Maximum",
              metricMeasureColumn: column,
              operator: "GreaterThan",
              threshold,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        actions: { actionGroups: [group.id] },
        tags,
      },
      opts,
    );
  logAlert(
    "error-rate",
    `${api.name}: more than ${alerts.errorRatePercent}% of requests answered 5xx`,
    q.errorRate,
    "errorRatePercent",
    alerts.errorRatePercent,
  );
  logAlert("latency-p99", `${api.name}: p99 latency above ${alerts.p99LatencyMs} ms`, q.p99, "p99DurationMs", alerts.p99LatencyMs);
  new monitor.MetricAlert(
    `${name}-alert-function-5xx`,
    {
      resourceGroupName: a.resourceGroupName,
      ruleName: `${api.name}-${a.stack}-function-5xx`,
      location: "global",
      description: `${api.name}: the function app answered HTTP 5xx`,
      severity: 2,
      enabled: true,
      scopes: [a.appId],
      evaluationFrequency: "PT1M",
      windowSize: WINDOW,
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            name: "http5xx",
            metricNamespace: "Microsoft.Web/sites",
            metricName: "Http5xx",
            operator: "GreaterThanOrEqual",
            threshold: 1,
            timeAggregation: "Total",
          },
        ],
      },
      actions: [{ actionGroupId: group.id }],
      tags,
    },
    opts,
  );
}
