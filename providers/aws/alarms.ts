import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Api } from "../../model";
import { physicalName } from "./config";

/** The API whose metrics are watched, by flavour (metric names and dimensions differ). */
export type AlarmTarget =
  | { flavour: "http"; apiId: pulumi.Input<string> }
  | { flavour: "rest"; apiName: pulumi.Input<string>; stageName: pulumi.Input<string> };

export interface AlarmArgs {
  name: string;
  api: Api;
  stack: string;
  target: AlarmTarget;
  /** Model function name → Lambda function name. */
  functions: Record<string, pulumi.Input<string>>;
  tags: (extra?: Record<string, string>) => Record<string, string>;
  parent: pulumi.Resource;
}

/** Alarm evaluation window in seconds: 5 minutes, CloudWatch's standard resolution for these metrics. */
export const PERIOD_SECONDS = 300;

/**
 * API Gateway metric names: HTTP APIs publish `5xx`, `Count`, `Latency` with dimensions ApiId and
 * Stage (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html); REST APIs
 * publish `5XXError`, `Count`, `Latency` with ApiName and Stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 */
export function gatewayMetrics(target: AlarmTarget): { errors: string; dimensions: Record<string, pulumi.Input<string>> } {
  return target.flavour === "http"
    ? { errors: "5xx", dimensions: { ApiId: target.apiId, Stage: "$default" } }
    : { errors: "5XXError", dimensions: { ApiName: target.apiName, Stage: target.stageName } };
}

/**
 * CloudWatch alarms to one SNS topic (email and https subscriptions):
 * - the API's 5xx share of requests, `100 * errors / requests` by metric math, above errorRatePercent;
 * - the API's p99 Latency (`extendedStatistic: "p99"`) above p99LatencyMs;
 * - per function, Lambda `Errors` and `Throttles` (AWS/Lambda, FunctionName) at 1 or more in a window.
 * Missing data (no traffic) is not breaching. Every alarm and the topic are tagged.
 */
export function awsAlarms(a: AlarmArgs): { topicArn: pulumi.Output<string> } {
  const { name, api, parent } = a;
  const alerts = api.alerts;
  if (!alerts) throw new Error("awsAlarms called without alerts");
  const opts = { parent };
  const topic = new aws.sns.Topic(
    `${name}-alerts`,
    { name: physicalName([api.name, a.stack, "alerts"], 256), displayName: `${api.name} (${a.stack}) alarms`, tags: a.tags() },
    opts,
  );
  alerts.notify.forEach((n, i) => {
    new aws.sns.TopicSubscription(
      `${name}-alerts-notify-${i}`,
      n.kind === "email"
        ? { topic: topic.arn, protocol: "email", endpoint: n.address }
        : { topic: topic.arn, protocol: "https", endpoint: n.url, endpointAutoConfirms: false },
      opts,
    );
  });
  const actions = { alarmActions: [topic.arn], okActions: [topic.arn], treatMissingData: "notBreaching" };
  const { errors, dimensions } = gatewayMetrics(a.target);
  const metric = (metricName: string) => ({ namespace: "AWS/ApiGateway", metricName, dimensions, period: PERIOD_SECONDS, stat: "Sum" });
  new aws.cloudwatch.MetricAlarm(
    `${name}-alarm-error-rate`,
    {
      name: physicalName([api.name, a.stack, "api-5xx-rate"], 255),
      alarmDescription: `${api.name}: more than ${alerts.errorRatePercent}% of requests answered 5xx over ${PERIOD_SECONDS / 60} minutes`,
      metricQueries: [
        { id: "errors", metric: metric(errors), returnData: false },
        { id: "requests", metric: metric("Count"), returnData: false },
        { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx % of requests", returnData: true },
      ],
      comparisonOperator: "GreaterThanThreshold",
      threshold: alerts.errorRatePercent,
      evaluationPeriods: 1,
      ...actions,
      tags: a.tags(),
    },
    opts,
  );
  new aws.cloudwatch.MetricAlarm(
    `${name}-alarm-latency-p99`,
    {
      name: physicalName([api.name, a.stack, "api-latency-p99"], 255),
      alarmDescription: `${api.name}: p99 latency above ${alerts.p99LatencyMs} ms over ${PERIOD_SECONDS / 60} minutes`,
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions,
      extendedStatistic: "p99",
      period: PERIOD_SECONDS,
      comparisonOperator: "GreaterThanThreshold",
      threshold: alerts.p99LatencyMs,
      evaluationPeriods: 1,
      ...actions,
      tags: a.tags(),
    },
    opts,
  );
  for (const [fn, fnName] of Object.entries(a.functions)) {
    for (const metricName of ["Errors", "Throttles"] as const) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${fn}-alarm-${metricName.toLowerCase()}`,
        {
          name: pulumi.interpolate`${fnName}-${metricName.toLowerCase()}`,
          alarmDescription: `${api.name}: function ${fn} ${metricName === "Errors" ? "failed" : "was throttled"} in the last ${PERIOD_SECONDS / 60} minutes`,
          namespace: "AWS/Lambda",
          metricName,
          dimensions: { FunctionName: fnName },
          statistic: "Sum",
          period: PERIOD_SECONDS,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          evaluationPeriods: 1,
          ...actions,
          tags: a.tags({ function: fn }),
        },
        opts,
      );
    }
  }
  return { topicArn: topic.arn };
}
