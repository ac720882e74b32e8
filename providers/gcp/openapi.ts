import type { Api, Route } from "../../model";

/**
 * The API config document: Swagger 2.0 with Google's extensions, a pure function of the model and
 * the functions' base URLs. Sources: extensions https://docs.cloud.google.com/api-gateway/docs/oasv2-extensions,
 * path templates https://docs.cloud.google.com/api-gateway/docs/path-templating, limits
 * https://docs.cloud.google.com/api-gateway/docs/openapi-limitations, API keys
 * https://docs.cloud.google.com/api-gateway/docs/authenticate-api-keys, JWT
 * https://docs.cloud.google.com/api-gateway/docs/authenticating-users-jwt, quotas
 * https://cloud.google.com/endpoints/docs/openapi/quotas-configure.
 */
export interface OpenApiDocument {
  swagger: "2.0";
  info: { title: string; description?: string; version: string };
  schemes: ["https"];
  produces: string[];
  securityDefinitions?: Record<string, SecurityDefinition>;
  "x-google-management"?: { metrics: Metric[]; quota: { limits: QuotaLimit[] } };
  paths: Record<string, Record<string, Operation>>;
}

export type SecurityDefinition =
  | { type: "apiKey"; name: string; in: "header" }
  | {
      type: "oauth2";
      flow: "implicit";
      authorizationUrl: string;
      scopes: Record<string, string>;
      "x-google-issuer": string;
      "x-google-jwks_uri"?: string;
      "x-google-audiences": string;
    };

export interface Backend {
  address: string;
  path_translation: "APPEND_PATH_TO_ADDRESS" | "CONSTANT_ADDRESS";
  jwt_audience?: string;
  disable_auth?: boolean;
  deadline: number;
}

export interface Operation {
  operationId: string;
  summary?: string;
  parameters?: { name: string; in: "path"; required: true; type: "string" }[];
  security: Record<string, string[]>[];
  "x-google-backend": Backend;
  "x-google-quota"?: { metricCosts: Record<string, number> };
  responses: Record<string, { description: string }>;
}

interface Metric {
  name: string;
  displayName: string;
  valueType: "INT64";
  metricKind: "DELTA";
}
interface QuotaLimit {
  name: string;
  metric: string;
  unit: "1/min/{project}";
  values: { STANDARD: number };
}

/** Swagger 2.0 operation keys for `ANY` (Swagger 2.0 has no wildcard method). */
const ANY_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

/** `x-google-backend.deadline` for upstream routes: the gateway default, 15 s, made explicit. */
export const UPSTREAM_DEADLINE_SECONDS = 15;

/** Model path → API Gateway template: `{param}` stays, a greedy `{name+}` becomes `{name=**}`. */
export function gatewayPath(route: Route): string {
  const parts = route.segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? `{${s.name}}` : `{${s.name}=**}`));
  return `/${parts.join("/")}`;
}

/** Deterministic `[A-Za-z][A-Za-z0-9_]*` operation id, e.g. `get_books_id`. */
export function operationIdFor(method: string, route: Route): string {
  const parts = route.segments.map((s) => (s.kind === "static" ? s.value : s.name));
  const id = [method.toLowerCase(), ...parts]
    .join("_")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/_$/, "");
  return /^[A-Za-z]/.test(id) ? id : `op_${id}`;
}

/** Security definition name for a model scheme (definition keys are free-form, kept readable). */
function definitionName(scheme: string): string {
  return scheme.replace(/[^A-Za-z0-9_]+/g, "_");
}

/**
 * Which routes the document carries: weighted upstreams (more than one target) have no mapping on
 * API Gateway — the capability check fails the plan for them unless the stack accepts the gap
 * (`switchyard:allowUnsupported`), in which case they are not deployed.
 */
export function deployedRoutes(api: Api): Route[] {
  return api.routes.filter((r) => r.target.kind === "function" || r.target.targets.length === 1);
}

/**
 * Builds the document. `functionUrls` maps each function name to its base URL (the Cloud Run
 * `serviceConfig.uri`), used as the backend address and as the ID-token audience.
 */
export function openApiDocument(api: Api, functionUrls: Record<string, string>): OpenApiDocument {
  const paths: Record<string, Record<string, Operation>> = {};
  const usedIds = new Set<string>();
  const metrics: Metric[] = [];
  const limits: QuotaLimit[] = [];
  const uniqueId = (id: string) => {
    let out = id;
    for (let i = 2; usedIds.has(out); i++) out = `${id}_${i}`;
    usedIds.add(out);
    return out;
  };
  const fnNames = Object.keys(api.functions).sort();
  const backendFor = (route: Route): Backend => {
    if (route.target.kind === "function") {
      const fn = api.functions[route.target.function];
      const url = functionUrls[route.target.function];
      if (!fn || url === undefined) throw new Error(`no URL for function ${route.target.function}`);
      return functionBackend(url, fn.timeoutSeconds);
    }
    const target = route.target.targets[0];
    if (!target) throw new Error(`route ${route.key} has no upstream target`);
    // An external backend: no Google ID token (it would replace the client's Authorization header,
    // and the upstream is not a Google service); the full request path is appended to its URL.
    return {
      address: target.url.replace(/\/+$/, ""),
      path_translation: "APPEND_PATH_TO_ADDRESS",
      disable_auth: true,
      deadline: UPSTREAM_DEADLINE_SECONDS,
    };
  };
  const functionBackend = (url: string, timeoutSeconds: number): Backend => ({
    address: url,
    // Operation-level x-google-backend defaults to CONSTANT_ADDRESS, which turns path parameters into
    // query parameters; APPEND_PATH_TO_ADDRESS forwards the path and the adapter matches it.
    path_translation: "APPEND_PATH_TO_ADDRESS",
    jwt_audience: url,
    // The gateway's default deadline is 15 s: a slower function would be cut off with 504.
    deadline: timeoutSeconds,
  });

  for (const route of deployedRoutes(api)) {
    const p = gatewayPath(route);
    paths[p] ??= {};
    const ops = paths[p];
    const methods = route.method === "ANY" ? ANY_METHODS.filter((m) => !(api.cors && m === "options")) : [route.method.toLowerCase()];
    const parameters = route.params.map((name) => ({ name, in: "path" as const, required: true as const, type: "string" as const }));
    for (const m of methods) {
      const operationId = uniqueId(operationIdFor(m, route));
      const op: Operation = {
        operationId,
        ...(route.description ? { summary: route.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        security: securityOf(route),
        "x-google-backend": backendFor(route),
        responses: { default: { description: "The backend's response, passed through unchanged." } },
      };
      // Quotas count per consumer project, identified by the API key: only API-key routes can be
      // limited, and only per minute.
      if (route.rateLimit && route.auth.kind === "apiKey") {
        const metric = `${operationId.replace(/_/g, "-")}-requests`;
        let perMinute = Math.ceil(route.rateLimit.ratePerSecond * 60);
        if (route.rateLimit.quota?.period === "minute") perMinute = Math.min(perMinute, route.rateLimit.quota.limit);
        metrics.push({ name: metric, displayName: `${m.toUpperCase()} ${route.path} requests`, valueType: "INT64", metricKind: "DELTA" });
        limits.push({ name: `${metric}-per-minute`, metric, unit: "1/min/{project}", values: { STANDARD: perMinute } });
        op["x-google-quota"] = { metricCosts: { [metric]: 1 } };
      }
      ops[m] = op;
    }
  }

  // CORS: API Gateway has no CORS policy; a preflight without an OPTIONS operation gets 405. Each path
  // gets a public OPTIONS operation routed to a function whose adapter answers the preflight.
  if (api.cors && fnNames.length) {
    for (const route of deployedRoutes(api)) {
      const p = gatewayPath(route);
      const ops = paths[p] as Record<string, Operation>;
      if (ops.options) continue;
      const onPath = deployedRoutes(api).find((r) => gatewayPath(r) === p && r.target.kind === "function");
      const fnName = onPath?.target.kind === "function" ? onPath.target.function : (fnNames[0] as string);
      const url = functionUrls[fnName];
      const fn = api.functions[fnName];
      if (url === undefined || !fn) throw new Error(`no URL for function ${fnName}`);
      const parameters = route.params.map((name) => ({ name, in: "path" as const, required: true as const, type: "string" as const }));
      ops.options = {
        operationId: uniqueId(operationIdFor("options", route)),
        summary: "CORS preflight, answered by the function",
        ...(parameters.length ? { parameters } : {}),
        security: [],
        "x-google-backend": functionBackend(url, fn.timeoutSeconds),
        responses: { default: { description: "CORS preflight answer." } },
      };
    }
  }

  const doc: OpenApiDocument = {
    swagger: "2.0",
    info: { title: api.name, ...(api.description ? { description: api.description } : {}), version: "1.0.0" },
    schemes: ["https"],
    produces: ["application/json"],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  const defs = securityDefinitions(api);
  if (Object.keys(defs).length) doc.securityDefinitions = defs;
  if (metrics.length) doc["x-google-management"] = { metrics, quota: { limits } };
  return doc;
}

function securityOf(route: Route): Record<string, string[]>[] {
  if (route.auth.kind === "none") return [];
  // One requirement object per route: API Gateway rejects API-key-OR-JWT alternatives.
  return [{ [definitionName(route.auth.scheme)]: route.auth.kind === "jwt" ? route.auth.scopes : [] }];
}

function securityDefinitions(api: Api): Record<string, SecurityDefinition> {
  const used = new Set(api.routes.flatMap((r) => (r.auth.kind === "none" ? [] : [r.auth.scheme])));
  const out: Record<string, SecurityDefinition> = {};
  for (const scheme of Object.values(api.auth)) {
    if (!used.has(scheme.name)) continue;
    if (scheme.type === "apiKey") {
      out[definitionName(scheme.name)] = { type: "apiKey", name: scheme.header, in: "header" };
      continue;
    }
    const scopes = [
      ...new Set(api.routes.flatMap((r) => (r.auth.kind === "jwt" && r.auth.scheme === scheme.name ? r.auth.scopes : []))),
    ].sort();
    out[definitionName(scheme.name)] = {
      type: "oauth2",
      flow: "implicit",
      // Required by Swagger 2.0 for the implicit flow; API Gateway does not use it, and Google's
      // examples leave it empty (https://docs.cloud.google.com/api-gateway/docs/authenticating-users-jwt).
      authorizationUrl: "",
      scopes: Object.fromEntries(scopes.map((s) => [s, `required by some routes (checked by the function adapter)`])),
      "x-google-issuer": scheme.issuer,
      // Without a JWKS URI, the service config's AuthProvider falls back to OpenID Discovery of the
      // issuer ("Optional if the key set document can be retrieved from OpenID Discovery of the
      // issuer": https://cloud.google.com/service-infrastructure/docs/service-management/reference/rest/v1/services.configs#authprovider).
      ...(scheme.jwksUri ? { "x-google-jwks_uri": scheme.jwksUri } : {}),
      "x-google-audiences": scheme.audiences.join(","),
    };
  }
  return out;
}
