import { ANY_METHODS } from "../../bundle/targets/azure";
import type { Api, Method, RateLimit, Route } from "../../model";
import { CLAIMS_HEADER, CONSUMER_HEADER, FUNCTION_KEY_HEADER } from "../../runtime/azure-functions";
import type { SkuFeatures } from "./sku";
import { el, render, type XmlNode } from "./xml";

/**
 * APIM policy documents generated from the model (format "rawxml": they hold C# policy expressions,
 * azure.md G23). Pure functions, so both the plan and the tests see the real documents.
 * Policy reference: https://learn.microsoft.com/azure/api-management/api-management-policies
 */

/** The header API keys travel in on every cloud (Api.subscriptionKeyParameterNames.header). */
export const API_KEY_HEADER = "x-api-key";
/** Name of the context variable validate-jwt stores the verified token in. */
const JWT_VAR = "jwt";

/** One APIM operation: a model route, split per method for `ANY`. */
export interface Operation {
  /** operationId: unique in the API, `[a-z0-9-]`, ≤ 80. */
  id: string;
  route: Route;
  method: Exclude<Method, "ANY">;
  /** `/books/{id}`, `/legacy/*` for a greedy route. */
  urlTemplate: string;
  templateParameters: { name: string; type: "string"; required: true }[];
}

/**
 * The API's operations. `ANY` becomes one operation per method: the documented wildcard pattern
 * (https://learn.microsoft.com/azure/api-management/add-api-manually#add-and-test-a-wildcard-operation)
 * names each verb; a greedy `{name+}` becomes the trailing wildcard `/*`, which takes no template
 * parameter. Every `{param}` in urlTemplate is in templateParameters and vice versa (azure.md §3.3).
 */
export function operations(api: Api): Operation[] {
  const ops: Operation[] = [];
  for (const route of api.routes) {
    const urlTemplate = `/${route.segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? `{${s.name}}` : "*")).join("/")}`;
    const templateParameters = route.segments
      .filter((s) => s.kind === "param")
      .map((s) => ({ name: (s as { name: string }).name, type: "string" as const, required: true as const }));
    const slug =
      route.segments
        .map((s) => (s.kind === "static" ? s.value : s.name))
        .join("-")
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "") || "root";
    for (const method of route.method === "ANY" ? ANY_METHODS : [route.method as Exclude<Method, "ANY">]) {
      ops.push({ id: `${method.toLowerCase()}-${slug}`.slice(0, 80), route, method, urlTemplate, templateParameters });
    }
  }
  return ops;
}

/**
 * Whether the API can require a subscription for every call: only when every route is keyed. When it
 * does not, APIM still checks a key that is sent and ties the call to its product and subscription,
 * and lets keyless calls through (https://learn.microsoft.com/azure/api-management/api-management-subscriptions,
 * "How API Management handles requests with or without subscription keys"); keyed operations then
 * refuse calls without a subscription of their scheme's product themselves.
 */
export function subscriptionRequired(api: Api): boolean {
  return api.routes.every((r) => r.auth.kind === "apiKey");
}

/** API-scope policy: CORS (handles preflight for every operation) and removal of headers callers must not set. */
export function apiPolicy(api: Api): string {
  const inbound: XmlNode[] = [el("base")];
  if (api.cors) inbound.push(corsPolicy(api));
  // Identity headers are set only by the operation policies below; the key header and any
  // caller-sent function key never reach a backend (the subscription key is checked before policies run).
  for (const h of [CONSUMER_HEADER, CLAIMS_HEADER, FUNCTION_KEY_HEADER, API_KEY_HEADER]) {
    inbound.push(el("set-header", { name: h, "exists-action": "delete" }));
  }
  return document(inbound, [el("base")]);
}

function corsPolicy(api: Api): XmlNode {
  const c = api.cors!;
  const methods = c.allowMethods.includes("ANY") ? ANY_METHODS : c.allowMethods;
  const children: XmlNode[] = [
    el(
      "allowed-origins",
      {},
      c.allowOrigins.map((o) => el("origin", {}, [o])),
    ),
    el(
      "allowed-methods",
      { "preflight-result-max-age": c.maxAgeSeconds },
      methods.map((m) => el("method", {}, [m])),
    ),
    el(
      "allowed-headers",
      {},
      c.allowHeaders.map((h) => el("header", {}, [h])),
    ),
  ];
  if (c.exposeHeaders.length) {
    children.push(
      el(
        "expose-headers",
        {},
        c.exposeHeaders.map((h) => el("header", {}, [h])),
      ),
    );
  }
  return el("cors", { "allow-credentials": c.allowCredentials }, children);
}

/** Where an operation sends its requests: the function app backend, one upstream URL, or a weighted pool. */
export type BackendRef = { backendId: string } | { baseUrl: string };

/**
 * Operation-scope policy: authentication (subscription check or validate-jwt + scopes), the identity
 * headers the function adapter reads, rate limit / quota as the tier allows, response cache, and
 * the backend. Features the tier lacks are left out here; the capability check has already refused
 * them unless the stack accepted them with switchyard:allowUnsupported.
 */
export function operationPolicy(api: Api, op: Operation, tier: SkuFeatures, backend: BackendRef): string {
  const route = op.route;
  const inbound: XmlNode[] = [el("base")];
  const outbound: XmlNode[] = [el("base")];
  const auth = route.auth;
  const toFunction = route.target.kind === "function";
  if (auth.kind === "apiKey") {
    // The API may not require a subscription (when it also has open or JWT routes): refuse keyless calls here.
    const product = csString(productId(auth.scheme));
    const condition = `@(context.Subscription == null || context.Product == null || context.Product.Id != ${product})`;
    inbound.push(reject(condition, 401, "Unauthorized", "missing or invalid API key"));
    // Identity headers go to our functions only, never to a third-party upstream.
    if (toFunction) inbound.push(setHeader(CONSUMER_HEADER, "@(context.Subscription.Name)"));
  } else if (auth.kind === "jwt") {
    const scheme = api.auth[auth.scheme];
    if (scheme?.type === "jwt") inbound.push(validateJwt(scheme.issuer, scheme.audiences));
    if (auth.scopes.length) inbound.push(reject(scopeCheck(auth.scopes), 403, "Forbidden", "insufficient scope"));
    if (toFunction) inbound.push(setHeader(CLAIMS_HEADER, CLAIMS_EXPRESSION));
  }
  if (route.rateLimit) inbound.push(...limits(op, route.rateLimit, tier));
  if (route.cache && tier.internalCache && (op.method === "GET" || op.method === "HEAD")) {
    inbound.push(
      el(
        "cache-lookup",
        { "vary-by-developer": false, "vary-by-developer-groups": false, "downstream-caching-type": "none", "caching-type": "internal" },
        [
          ...route.cache.varyBy.headers.map((h) => el("vary-by-header", {}, [h])),
          ...route.cache.varyBy.query.map((q) => el("vary-by-query-parameter", {}, [q])),
        ],
      ),
    );
    outbound.push(el("cache-store", { duration: route.cache.ttlSeconds }));
  }
  inbound.push(el("set-backend-service", "backendId" in backend ? { "backend-id": backend.backendId } : { "base-url": backend.baseUrl }));
  return document(inbound, outbound);
}

/** Renewal windows for a quota period, in seconds (a month counts as 30 days). */
export const QUOTA_SECONDS = { minute: 60, hour: 3600, day: 86400, month: 2592000 } as const;

/**
 * A token bucket (rate, burst) as APIM's fixed window: `burst` calls per the time the bucket takes
 * to refill (≥ 1 s). APIM counts per window, so this is an approximation (capability note).
 */
export function rateWindow(rl: RateLimit): { calls: number; renewalPeriod: number } {
  const renewalPeriod = Math.max(1, Math.ceil(rl.burst / rl.ratePerSecond));
  return { calls: Math.max(1, Math.round(rl.ratePerSecond * renewalPeriod)), renewalPeriod };
}

function limits(op: Operation, rl: RateLimit, tier: SkuFeatures): XmlNode[] {
  const out: XmlNode[] = [];
  const auth = op.route.auth.kind;
  const key = counterKey(op);
  const { calls, renewalPeriod } = rateWindow(rl);
  if (tier.rateLimitByKey) out.push(el("rate-limit-by-key", { calls, "renewal-period": renewalPeriod, "counter-key": key }));
  else if (auth === "apiKey") out.push(el("rate-limit", { calls, "renewal-period": renewalPeriod }));
  if (rl.quota) {
    const period = QUOTA_SECONDS[rl.quota.period];
    if (tier.quotaByKey) out.push(el("quota-by-key", { calls: rl.quota.limit, "renewal-period": period, "counter-key": key }));
    else if (auth === "apiKey") out.push(el("quota", { calls: rl.quota.limit, "renewal-period": period }));
  }
  return out;
}

/** Per route and per consumer (subscription, JWT subject) or per client IP on open routes. */
function counterKey(op: Operation): string {
  const who =
    op.route.auth.kind === "apiKey"
      ? "context.Subscription.Id"
      : op.route.auth.kind === "jwt"
        ? `context.Variables.GetValueOrDefault<Jwt>("${JWT_VAR}").Subject`
        : "context.Request.IpAddress";
  return `@(${csString(`${op.id}:`)} + ${who})`;
}

function validateJwt(issuer: string, audiences: string[]): XmlNode {
  const discovery = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  return el(
    "validate-jwt",
    {
      "header-name": "Authorization",
      "require-scheme": "Bearer",
      "failed-validation-httpcode": 401,
      "failed-validation-error-message": "Unauthorized",
      "output-token-variable-name": JWT_VAR,
    },
    [
      el("openid-config", { url: discovery }),
      el(
        "audiences",
        {},
        audiences.map((a) => el("audience", {}, [a])),
      ),
      el("issuers", {}, [el("issuer", {}, [issuer])]),
    ],
  );
}

/**
 * True when a required scope is missing from `scope` or `scp` (space-separated, as runtime/index.ts
 * scopesOf reads them). validate-jwt's required-claims can match only one claim name, and a missing
 * scope is a 403, not validate-jwt's 401.
 */
function scopeCheck(scopes: string[]): string {
  const required = scopes.map(csString).join(", ");
  return [
    "@{",
    ` var jwt = context.Variables.GetValueOrDefault<Jwt>("${JWT_VAR}");`,
    " var granted = new HashSet<string>();",
    ' foreach (var name in new[] { "scope", "scp" }) {',
    "  string[] values;",
    "  if (jwt != null && jwt.Claims.TryGetValue(name, out values)) { foreach (var v in values) { foreach (var s in v.Split(' ')) { granted.Add(s); } } }",
    " }",
    ` foreach (var s in new[] { ${required} }) { if (!granted.Contains(s)) { return true; } }`,
    " return false;",
    "}",
  ].join("\n");
}

/** The verified claims as base64 JSON (one value → string, several → array), for the adapter's ctx.auth. */
const CLAIMS_EXPRESSION = [
  "@{",
  ` var jwt = context.Variables.GetValueOrDefault<Jwt>("${JWT_VAR}");`,
  " var claims = new JObject();",
  " foreach (var c in jwt.Claims) { claims[c.Key] = c.Value.Length == 1 ? (JToken)c.Value[0] : new JArray(c.Value); }",
  " return Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToString(Newtonsoft.Json.Formatting.None)));",
  "}",
].join("\n");

function setHeader(name: string, expression: string): XmlNode {
  return el("set-header", { name, "exists-action": "override" }, [el("value", {}, [expression])]);
}

function reject(condition: string, code: number, reason: string, message: string): XmlNode {
  return el("choose", {}, [
    el("when", { condition }, [
      el("return-response", {}, [
        el("set-status", { code, reason }),
        el("set-header", { name: "content-type", "exists-action": "override" }, [el("value", {}, ["application/json"])]),
        el("set-body", {}, [JSON.stringify({ error: message })]),
      ]),
    ]),
  ]);
}

/** Product id of an API-key scheme: its consumers' subscriptions are scoped to it. */
export function productId(scheme: string): string {
  return `${scheme.toLowerCase()}-keys`;
}

/** A C# string literal (for model values inside policy expressions). */
export function csString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "\\r").replace(/\n/g, "\\n")}"`;
}

function document(inbound: XmlNode[], outbound: XmlNode[]): string {
  return render(
    el("policies", {}, [
      el("inbound", {}, inbound),
      el("backend", {}, [el("base")]),
      el("outbound", {}, outbound),
      el("on-error", {}, [el("base")]),
    ]),
  );
}
