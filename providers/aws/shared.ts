import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Api, RateLimit } from "../../model";

/** Function name → deployed Lambda (ARN, invoke ARN, name). */
export interface FnRef {
  name: pulumi.Output<string>;
  invokeArn: pulumi.Output<string>;
  /** The alias API Gateway invokes (functions with scaling.min > 0). */
  qualifier?: pulumi.Output<string>;
}

/** Stage-wide throttle when no route sets one (requests/s, burst). */
export const DEFAULT_THROTTLE = { ratePerSecond: 100, burst: 200 } as const;

/**
 * The stage-wide default throttle: the largest rate and burst any route declares (each route's own
 * limit is then set per route), or DEFAULT_THROTTLE when none does. Always both values: a stage
 * setting without both sets the missing one to 0 and every request gets 429 (aws.md §5 gotcha 11).
 */
export function stageThrottle(api: Api): { ratePerSecond: number; burst: number } {
  const limits = api.routes.map((r) => r.rateLimit).filter((r): r is RateLimit => !!r);
  if (!limits.length) return { ...DEFAULT_THROTTLE };
  return { ratePerSecond: Math.max(...limits.map((l) => l.ratePerSecond)), burst: Math.max(...limits.map((l) => l.burst)) };
}

/** The functions routes point at, in name order. */
export function routedFunctions(api: Api): string[] {
  return [...new Set(api.routes.flatMap((r) => (r.target.kind === "function" ? [r.target.function] : [])))].sort();
}

/** A route's short name for logical resource names: `get-books-id`. */
function routeSlug(method: string, path: string): string {
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((p) => p.replace(/[{}+]/g, ""));
  return `${method.toLowerCase()}-${parts.join("-") || "root"}`.replace(/[^A-Za-z0-9-]/g, "-");
}

/**
 * Unique short names for logical resource names, stable for a model: `GET /books/{id}` and
 * `GET /books/id` would both read `get-books-id`, so a later key gets `-2` (routes are sorted, so
 * the numbering is deterministic). Keys are `METHOD /path`; other keys can be named on demand.
 */
export function routeSlugs(api: Api): (key: string) => string {
  const byKey = new Map<string, string>();
  const used = new Set<string>();
  const name = (key: string) => {
    const hit = byKey.get(key);
    if (hit) return hit;
    const [method = "", path = ""] = key.split(" ");
    const base = routeSlug(method, path);
    let slug = base;
    for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
    used.add(slug);
    byKey.set(key, slug);
    return slug;
  };
  for (const r of api.routes) name(r.key);
  return name;
}

/**
 * Fields of an access-log line (JSON, one per request): request id, route, status, latency, and the
 * caller (API key id or JWT subject) — never tokens or other claims (SECURITY.md AWS-3).
 */
export function accessLogFormat(flavour: "http" | "rest"): string {
  const common = {
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    status: "$context.status",
    responseLength: "$context.responseLength",
    integrationLatency: "$context.integrationLatency",
  };
  // Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
  // and https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
  return JSON.stringify(
    flavour === "http"
      ? {
          ...common,
          routeKey: "$context.routeKey",
          latency: "$context.responseLatency",
          subject: "$context.authorizer.claims.sub",
          integrationError: "$context.integrationErrorMessage",
          authorizerError: "$context.authorizer.error",
        }
      : {
          ...common,
          routeKey: "$context.httpMethod $context.resourcePath",
          latency: "$context.responseLatency",
          apiKeyId: "$context.identity.apiKeyId",
          subject: "$context.authorizer.principalId",
          errorMessage: "$context.error.message",
        },
  );
}

/**
 * The Lambda permission letting one API invoke one function: principal API Gateway, scoped to any
 * stage, method and path of this API only (the execution ARN with two wildcards; aws.md §2.2, §2.3, §7).
 */
export function apiInvokePermission(
  name: string,
  fn: string,
  ref: FnRef,
  executionArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.lambda.Permission {
  return new aws.lambda.Permission(
    `${name}-${fn}-permission`,
    {
      action: "lambda:InvokeFunction",
      function: ref.name,
      ...(ref.qualifier ? { qualifier: ref.qualifier } : {}),
      principal: "apigateway.amazonaws.com",
      sourceArn: pulumi.interpolate`${executionArn}/*/*`,
    },
    opts,
  );
}
