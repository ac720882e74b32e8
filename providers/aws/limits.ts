import type { Api, ModelIssue } from "../../model";
import type { StackConfig } from "../types";
import { chooseFlavour } from "./flavour";
import { awsProductionLimits } from "./production-capabilities";

/**
 * Lambda ranges: memory 128..10240 MB, timeout 1..900 s
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html; aws.md §3.2).
 * Integration timeouts: HTTP API 30 s (hard), REST 29 s by default (aws.md §1.3,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html).
 * Routes per HTTP API 300, resources per REST API 300 (same pages).
 */
export const LIMITS = {
  memoryMb: { min: 128, max: 10240 },
  timeoutSeconds: { min: 1, max: 900 },
  integrationTimeoutSeconds: { http: 30, rest: 29 },
  routes: { http: 300, rest: 300 },
  /** Lambda environment variables, all keys and values together (aws.md §3.2). */
  envBytes: 4096,
} as const;

/** AWS limits the model breaks, each with its path and fix. */
export function awsLimits(api: Api, config: StackConfig): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const { flavour } = chooseFlavour(api, config);
  const gwTimeout = LIMITS.integrationTimeoutSeconds[flavour];
  for (const f of Object.values(api.functions)) {
    const at = `functions.${f.name}`;
    if (f.memoryMb < LIMITS.memoryMb.min || f.memoryMb > LIMITS.memoryMb.max) {
      issues.push({
        path: `${at}.memoryMb`,
        message: `${f.memoryMb} MB is outside Lambda's ${LIMITS.memoryMb.min}..${LIMITS.memoryMb.max} MB. Pick a value in that range.`,
      });
    }
    if (f.timeoutSeconds < LIMITS.timeoutSeconds.min || f.timeoutSeconds > LIMITS.timeoutSeconds.max) {
      issues.push({
        path: `${at}.timeoutSeconds`,
        message: `${f.timeoutSeconds} s is outside Lambda's ${LIMITS.timeoutSeconds.min}..${LIMITS.timeoutSeconds.max} s. Pick a value in that range.`,
      });
    } else if (f.routes.length && f.timeoutSeconds > gwTimeout) {
      issues.push({
        path: `${at}.timeoutSeconds`,
        message: `${f.timeoutSeconds} s is above the API Gateway ${flavour === "http" ? "HTTP API" : "REST API"} integration timeout of ${gwTimeout} s: callers of ${f.routes.map((r) => `"${r}"`).join(", ")} would get 504 while the function keeps running. Use at most ${gwTimeout} s, or move the long work to an asynchronous job.`,
      });
    }
    if (f.scaling.max !== undefined && f.scaling.max < 1) {
      issues.push({
        path: `${at}.scaling.max`,
        message: "reserved concurrency 0 throttles every call. Use at least 1, or remove scaling.max.",
      });
    }
  }
  // Lambda environment: 4 KB in total (aws.md §3.2). Estimate what switchyard adds: secret ARNs
  // (~140 B each), CORS settings, and on REST the key-id → consumer map (~10 B id + name each).
  const consumers = flavour === "rest" ? Object.values(api.auth).flatMap((s) => (s.type === "apiKey" ? s.consumers : [])) : [];
  const consumerBytes = consumers.length ? 30 + consumers.reduce((n, c) => n + c.length + 16, 0) : 0;
  const corsBytes = api.cors ? JSON.stringify(api.cors).length + 20 : 0;
  for (const f of Object.values(api.functions)) {
    const own = Object.entries(f.environment).reduce((n, [k, v]) => n + k.length + v.length, 0);
    const total = own + f.secrets.length * 140 + corsBytes + consumerBytes;
    if (total > LIMITS.envBytes) {
      issues.push({
        path: `functions.${f.name}.environment`,
        message: `about ${total} bytes of environment (with the secret ARNs, CORS settings and API-key consumers switchyard adds) is above Lambda's ${LIMITS.envBytes}. Shorten or remove values, or move configuration into a secret.`,
      });
    }
  }
  const max = LIMITS.routes[flavour];
  if (api.routes.length > max) {
    issues.push({ path: "routes", message: `${api.routes.length} routes is above API Gateway's ${max} per API. Split the API.` });
  }
  if (flavour === "rest") {
    // One REST resource per distinct path prefix (rest-api.ts), 300 per API.
    const prefixes = new Set(
      api.routes.flatMap((r) =>
        r.path
          .split("/")
          .slice(1)
          .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
      ),
    );
    if (prefixes.size > LIMITS.routes.rest) {
      issues.push({
        path: "routes",
        message: `the routes need ${prefixes.size} REST resources (one per path segment), above API Gateway's ${LIMITS.routes.rest} per API. Split the API.`,
      });
    }
  }
  // Not checked here because the model already rejects them for every cloud (model/validate.ts):
  // differently named parameters at one path position (REST allows one variable part per level,
  // aws.md §5 gotcha 14) and more than one apiKey scheme (a REST key opens every keyed method).
  issues.push(...awsProductionLimits(api, config));
  return issues;
}
