import * as pulumi from "@pulumi/pulumi";
import type { Api, ModelIssue } from "../../model";
import type { CapabilityAnswer, CapabilityTable, StackConfig } from "../types";

type ProductionFeature = "domain" | "alerts" | "tracing" | "function.canary";

/**
 * What AWS does with the production features (issue #11): custom domain, alarms, tracing, canary.
 * `flavour` is the API Gateway flavour chosen for this model (flavour.ts).
 */
export function awsProductionCapabilities(
  api: Api,
  config: StackConfig,
  flavour: "http" | "rest",
): Pick<CapabilityTable, ProductionFeature> {
  const rest = flavour === "rest";
  const zone = config.get("aws.hostedZoneId");
  const cert = api.domain?.certificate ?? "managed";
  const domain: CapabilityAnswer = {
    support: "native",
    note:
      `${rest ? "apigateway.DomainName + BasePathMapping" : "apigatewayv2.DomainName + ApiMapping"} (REGIONAL, TLS 1.2 security policy); ` +
      (cert === "managed"
        ? "an ACM certificate with DNS validation in the API's region"
        : "the ACM certificate ARN given in domain.certificate") +
      (zone
        ? `; the validation and alias records are created in Route 53 hosted zone ${zone}`
        : "; the DNS records to create are the stack output dnsRecords (set switchyard:aws.hostedZoneId to have Route 53 records made)"),
  };
  const alerts: CapabilityAnswer = {
    support: "native",
    note:
      "CloudWatch alarms to an SNS topic (email and https subscriptions): the API's 5XX share of requests (metric math), " +
      `its p99 latency${rest ? "" : " (HTTP API Latency metric)"}, and each function's Errors and Throttles`,
  };
  const tracing: CapabilityAnswer = {
    support: rest ? "native" : "substitute",
    note: rest
      ? "X-Ray: active tracing on every Lambda function and xrayTracingEnabled on the REST stage; the handler's ctx.traceId is the X-Ray trace id"
      : "X-Ray active tracing on every Lambda function; HTTP APIs cannot trace (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html), so traces start at the function; ctx.traceId is the X-Ray trace id",
  };
  const stable = config.getObject<Record<string, string>>("aws.stableVersions") ?? {};
  const canaried = Object.values(api.functions).filter((f) => f.canary);
  const first = canaried.filter((f) => !stable[f.name]).map((f) => f.name);
  const canary: CapabilityAnswer = {
    support: "native",
    note:
      "published Lambda versions and a `live` alias whose routingConfig gives the new version the canary weight while the stable version " +
      "(switchyard:aws.stableVersions) keeps the rest; API Gateway invokes the alias" +
      (first.length ? `; no stable version set for ${first.join(", ")}: first deploy, 100% to the new version` : ""),
  };
  return { domain, alerts, tracing, "function.canary": canary };
}

/** An ACM certificate ARN (https://docs.aws.amazon.com/acm/latest/userguide/acm-concepts.html#concept-arn). */
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** Lambda version numbers: the alias routing keys must match [0-9]+ (API_AliasRoutingConfiguration.html). */
const VERSION = /^[0-9]+$/;

/** Stack settings and model values of the production features AWS cannot take. */
export function awsProductionLimits(api: Api, config: StackConfig): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const cert = api.domain?.certificate;
  if (cert && cert !== "managed" && !ACM_ARN.test(cert)) {
    issues.push({
      path: "domain.certificate",
      message: `"${cert}" is not an ACM certificate ARN. Use "managed", or arn:aws:acm:<region>:<account>:certificate/<id> in the API's region.`,
    });
  }
  const region = cert && cert !== "managed" ? /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(cert)?.[1] : undefined;
  const apiRegion = new pulumi.Config("aws").get("region");
  if (region && apiRegion && region !== apiRegion) {
    issues.push({
      path: "domain.certificate",
      message: `the certificate is in ${region}, the API in ${apiRegion}; a REGIONAL custom domain needs a certificate in the API's region (aws.md §2.5).`,
    });
  }
  const zone = config.get("aws.hostedZoneId");
  if (zone && !/^Z[A-Z0-9]{1,31}$/.test(zone)) {
    issues.push({
      path: "switchyard:aws.hostedZoneId",
      message: `"${zone}" is not a Route 53 hosted zone id (Z…, e.g. Z0123456789ABCDEFGHIJ).`,
    });
  }
  let stable: unknown;
  try {
    stable = config.getObject<unknown>("aws.stableVersions");
  } catch {
    stable = "not JSON";
  }
  if (stable !== undefined && (stable === null || typeof stable !== "object" || Array.isArray(stable))) {
    issues.push({
      path: "switchyard:aws.stableVersions",
      message: 'must be a JSON object of function name → version, e.g. {"getBook":"7"}.',
    });
  } else if (stable) {
    for (const [fn, v] of Object.entries(stable as Record<string, unknown>)) {
      if (!api.functions[fn]?.canary) {
        issues.push({
          path: `switchyard:aws.stableVersions.${fn}`,
          message: `no function "${fn}" with a canary in the model. Remove the entry.`,
        });
      } else if (!VERSION.test(String(v))) {
        issues.push({
          path: `switchyard:aws.stableVersions.${fn}`,
          message: `"${String(v)}" is not a published Lambda version number (digits; $LATEST cannot carry a canary).`,
        });
      }
    }
  }
  return issues;
}

/** Plan warnings: canaries on their first deploy (no stable version to keep the rest of the traffic). */
export function awsProductionWarnings(api: Api, config: StackConfig): string[] {
  let stable: Record<string, unknown> = {};
  try {
    stable = config.getObject<Record<string, unknown>>("aws.stableVersions") ?? {};
  } catch {
    // reported by awsProductionLimits
  }
  return Object.values(api.functions)
    .filter((f) => f.canary && stable[f.name] === undefined)
    .map(
      (f) =>
        `functions.${f.name}.canary: no stable version in switchyard:aws.stableVersions, so this is a first deploy and the new version takes 100% of traffic. ` +
        `After it, set switchyard:aws.stableVersions to {"${f.name}":"<deployed version>"} so the next deploy sends ${f.canary?.weight}% to the new version.`,
    );
}
