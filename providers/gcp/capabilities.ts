import type { Api, ModelIssue } from "../../model";
import type { CapabilityAnswer, CapabilityTable, StackConfig } from "../types";
import { readSettings } from "./config";
import { slug } from "./names";
import { gcpProductionCapabilities, gcpProductionLimits } from "./production-capabilities";

/** Cloud Logging's `_Default` bucket keeps logs 30 days (https://cloud.google.com/logging/docs/routing/overview#default-bucket). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

const native = (note: string): CapabilityAnswer => ({ support: "native", note });
const substitute = (note: string): CapabilityAnswer => ({ support: "substitute", note });
const unsupported = (note: string, alternatives: string[]): CapabilityAnswer => ({ support: "unsupported", note, alternatives });

/** How API Gateway + Cloud Run functions (gen2) map every model feature (gcp.md §0, §4). */
export function gcpCapabilities(api: Api): CapabilityTable {
  const limited = api.routes.filter((r) => r.rateLimit);
  const keyless = limited.filter((r) => r.auth.kind !== "apiKey").map((r) => r.key);
  const longQuotas = limited.filter((r) => r.rateLimit?.quota && r.rateLimit.quota.period !== "minute").map((r) => r.key);
  const quotaNote =
    "API Gateway quotas (x-google-management) count per minute, per consumer Google Cloud project identified by the API key; " +
    "requests without a key are not counted, and all keys created in this project share one bucket " +
    "(https://cloud.google.com/endpoints/docs/openapi/quotas-overview)";
  return {
    "route.function": native("x-google-backend to the function's Cloud Run URL with a Google ID token from the gateway's service account"),
    "route.params": native("path templates {param}; the adapter matches the forwarded path (APPEND_PATH_TO_ADDRESS) to fill ctx.params"),
    "route.greedy": native("{name=**} path templates (https://docs.cloud.google.com/api-gateway/docs/path-templating)"),
    "route.any": substitute(
      "Swagger 2.0 has no wildcard method: one operation per method (GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH); with cors declared, OPTIONS is the public preflight answered by the adapter, never the handler",
    ),
    "route.upstream": native(
      "x-google-backend to the external https address, APPEND_PATH_TO_ADDRESS (the full request path is appended), disable_auth so the client's Authorization header is kept",
    ),
    "route.upstream.weighted": unsupported("API Gateway routes an operation to exactly one backend address", [
      "Cloud Run traffic splitting on a Cloud Run service (gcp.cloudrunv2.Service traffics)",
      "an external Application Load Balancer URL map with weightedBackendServices",
      "pick one target on this stack",
    ]),
    "auth.none": native("security: [] on the operation; the function itself stays private (only the gateway may invoke it)"),
    "auth.apiKey": native(
      "securityDefinitions apiKey (header x-api-key); one gcp.projects.ApiKey per consumer restricted to the API's managed service. API Gateway does not tell the function which key was used, so ctx.auth.consumer is unset",
    ),
    "auth.jwt": native(
      "securityDefinitions with x-google-issuer, x-google-jwks_uri (OpenID Discovery when the model has no jwksUri) and x-google-audiences; claims reach the function in X-Apigateway-Api-Userinfo",
    ),
    "auth.jwt.scopes": substitute(
      "API Gateway accepts OAuth scopes but does not enforce them (https://docs.cloud.google.com/api-gateway/docs/openapi-limitations); the function adapter answers 403 when the validated token lacks a required scope",
    ),
    rateLimit: keyless.length
      ? unsupported(
          `${quotaNote}; routes without API-key auth cannot be limited and get no limit (${keyless.join(", ")}); API-key routes still get a per-minute quota of ratePerSecond × 60; burst has no equivalent`,
          [
            "require an API key on those routes",
            "Cloud Armor rate-based rules on an external Application Load Balancer in front of the gateway (Preview)",
            "Apigee SpikeArrest",
            "limit inside the function",
          ],
        )
      : substitute(`${quotaNote}; ratePerSecond × 60 becomes a per-minute limit, burst is not enforced`),
    "rateLimit.perConsumer": unsupported(`${quotaNote}, so every consumer of this stack shares one limit`, [
      "one consumer Google Cloud project per client (each enables the API's managed service and creates its own key)",
      "Apigee quotas per developer app",
    ]),
    "rateLimit.quota": longQuotas.length
      ? unsupported(
          `only per-minute quota limits exist (https://cloud.google.com/endpoints/docs/openapi/quotas-configure): ${longQuotas.join(", ")}`,
          ["a per-minute quota", "Apigee quotas (hour, day, month)", "count in the function with a shared store"],
        )
      : substitute(`per-minute quota limit in x-google-management; ${quotaNote}`),
    cors: substitute(
      "API Gateway has no CORS policy: each path gets a public OPTIONS operation routed to a function, whose adapter answers the preflight and adds CORS headers to its responses (upstream routes must send their own)",
    ),
    cache: unsupported("API Gateway has no response cache: responses pass through unchanged", [
      "cache in the function (Memorystore, Firestore)",
      "an external Application Load Balancer with Cloud CDN in front of the gateway (serverless NEG, Preview)",
      "Apigee ResponseCache",
    ]),
    "cache.varyBy": unsupported("API Gateway has no response cache", ["cache in the function, keyed by the query parameters and headers"]),
    "logging.access": substitute(
      "API Gateway always writes request logs and metrics to Cloud Logging and Monitoring; the format, body logging and on/off are not configurable",
    ),
    "logging.retention":
      api.logging.retentionDays > DEFAULT_LOG_RETENTION_DAYS
        ? unsupported(
            `logs land in the project's _Default bucket, kept ${DEFAULT_LOG_RETENTION_DAYS} days; a longer retention is a project-wide log bucket setting, not one stack's`,
            ["a dedicated log bucket with a sink (gcp.logging.ProjectBucketConfig + ProjectSink), managed once per project"],
          )
        : substitute(
            `logs land in the project's _Default bucket, kept ${DEFAULT_LOG_RETENTION_DAYS} days (at least the ${api.logging.retentionDays} asked for); the retention is project-wide, not set per stack`,
          ),
    "function.memory": native("serviceConfig.availableMemory (MiB); CPU follows Google's memory tiers"),
    "function.timeout": native("serviceConfig.timeoutSeconds, and the same x-google-backend deadline (the gateway default is 15 s)"),
    "function.scaling.min": native("serviceConfig.minInstanceCount (idle instances are billed)"),
    "function.scaling.max": native("serviceConfig.maxInstanceCount"),
    "function.concurrency": native(
      "serviceConfig.maxInstanceRequestConcurrency; concurrency above 1 needs at least 1 vCPU, so availableCpu is raised to 1 (https://cloud.google.com/run/docs/configuring/services/cpu)",
    ),
    "function.environment": native("serviceConfig.environmentVariables"),
    "function.secrets": native(
      "Secret Manager secret + version per secret, mounted with secretEnvironmentVariables (pinned version); the function's service account may read that secret only",
    ),
    tags: native("labels (app, stack, function and the model's tags) on every resource that takes labels"),
    ...gcpProductionCapabilities(api),
  };
}

/** GCP limits the model breaks, and stack settings that are missing or wrong. */
export function gcpLimits(api: Api, config: StackConfig): ModelIssue[] {
  const { issues } = readSettings(config);
  // Memory (≤ 10240 MB) and concurrency (≤ 1000) are already within Cloud Run functions' limits
  // (32 GiB, https://cloud.google.com/functions/docs/configuring/memory; 1000 per instance,
  // https://cloud.google.com/run/docs/about-concurrency) after model validation.
  // Physical names use the kebab-case function name: two names that differ only in case collide.
  const bySlug = new Map<string, string>();
  for (const f of Object.values(api.functions)) {
    const other = bySlug.get(slug(f.name));
    if (other) {
      issues.push({
        path: `functions.${f.name}`,
        message: `GCP names are lowercase, so "${f.name}" and "${other}" both become "${slug(f.name)}". Rename one of them.`,
      });
    }
    bySlug.set(slug(f.name), f.name);
  }
  const issuers = new Map<string, string>();
  for (const s of Object.values(api.auth)) {
    if (s.type !== "jwt") continue;
    const other = issuers.get(s.issuer);
    if (other) {
      issues.push({
        path: `auth.${s.name}.issuer`,
        message: `API Gateway needs a distinct issuer per JWT scheme, and "${other}" already uses ${s.issuer}. Merge the two schemes (list both audiences).`,
      });
    }
    issuers.set(s.issuer, s.name);
  }
  if (api.cors) {
    for (const r of api.routes) {
      if (r.method === "OPTIONS") {
        issues.push({
          path: `routes[${JSON.stringify(r.key)}]`,
          message:
            "with cors declared, OPTIONS is the public CORS preflight on GCP (the function answers it). Remove the OPTIONS route or the cors block.",
        });
      }
    }
  }
  issues.push(...gcpProductionLimits(api));
  return issues;
}
