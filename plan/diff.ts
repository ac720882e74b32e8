import type { Cache, Cors, RateLimit, RouteAuth } from "../model/types";
import type { PlanDocument, PlanResource } from "./run";
import type { AlertsSummary, ApiSummary, AuthSchemeSummary, FunctionSummary, RouteSummary } from "./summary";

// =============================================================================================
// Per-type knowledge: which inputs force a replacement, which resources are slow to replace.
// =============================================================================================
/**
 * Per-type knowledge for the resource diff: which inputs force a replacement when they change, and
 * which resources are slow (or disruptive) to replace. Kept as data with a source for every fact.
 *
 * Sources:
 * - [mmv1] GoogleCloudPlatform/magic-modules `mmv1/products/<product>/<Resource>.yaml`: the
 *   terraform-provider-google schema that @pulumi/gcp bridges; `immutable: true` becomes ForceNew,
 *   i.e. a replacement in Pulumi.
 * - [tf-aws] hashicorp/terraform-provider-aws `internal/service/<svc>/<resource>.go` schema
 *   (`ForceNew: true`), which @pulumi/aws bridges.
 * - [d.ts] the provider's own typings in node_modules (path given), where they say "Immutable" or
 *   "Changing this forces a new …". For most inputs used here they say nothing, hence the others.
 * - [gcp.md] / [azure.md] the researched cloud notes in /work/shared/clouds (their own sources cited there).
 */

export interface ReplaceRule {
  /** Input paths in Pulumi property-path syntax (`a.b`, `a[*].b`); a change at or under one replaces. */
  inputs: string[];
  source: string;
}

/** Inputs that force a replacement, by Pulumi type token. */
export const REPLACE_ON: Record<string, ReplaceRule> = {
  // [mmv1] apigateway/ApiConfig.yaml: `api`, `apiConfigId`, `gatewayConfig` (and its
  // `backendConfig.googleServiceAccount`), `openapiDocuments[].document.path|contents`, `grpcServices`
  // files and `managedServiceConfigs[].path|contents` are `immutable: true`.
  // [d.ts] @pulumi/gcp/apigateway/apiConfig.d.ts: gatewayConfig "Immutable. Gateway specific configuration."
  // [gcp.md] §2.1 (S2): `apiConfigIdPrefix` is ForceNew; "Every spec change replaces the ApiConfig".
  "gcp:apigateway/apiConfig:ApiConfig": {
    inputs: [
      "api",
      "apiConfigId",
      "apiConfigIdPrefix",
      "gatewayConfig",
      "openapiDocuments",
      "grpcServices",
      "managedServiceConfigs",
      "project",
    ],
    source: "magic-modules mmv1/products/apigateway/ApiConfig.yaml (immutable); gcp.md §2.1",
  },
  // [d.ts] @pulumi/gcp/apigateway/api.d.ts: managedService "Immutable."; `apiId` is the id in the
  // resource URL (create `…/apis?apiId=`), so a new value is a new API [unverified for the bridge].
  "gcp:apigateway/api:Api": {
    inputs: ["apiId", "managedService", "project"],
    source: "@pulumi/gcp/apigateway/api.d.ts (managedService: Immutable)",
  },
  // [mmv1] cloudfunctions2/Function.yaml: `name` and `location` are `immutable: true`.
  "gcp:cloudfunctionsv2/function:Function": {
    inputs: ["name", "location", "project"],
    source: "magic-modules mmv1/products/cloudfunctions2/Function.yaml (name, location immutable)",
  },
  // [d.ts] @pulumi/gcp/serviceaccount/account.d.ts: accountId "Changing this forces a new service account to be created."
  "gcp:serviceaccount/account:Account": {
    inputs: ["accountId", "project"],
    source: "@pulumi/gcp/serviceaccount/account.d.ts (accountId)",
  },
  // [tf-google] hashicorp/terraform-provider-google google/services/storage/resource_storage_bucket_object.go:
  // `bucket`, `name`, `source`, `content`, `contentType`, `contentDisposition`, `contentEncoding`,
  // `contentLanguage`, `detectMd5hash`, `storageClass`, `kmsKeyName`, `customerEncryption`, `metadata` are
  // ForceNew (objects are immutable: a new bundle is a new object).
  "gcp:storage/bucketObject:BucketObject": {
    inputs: [
      "bucket",
      "name",
      "source",
      "content",
      "contentType",
      "contentDisposition",
      "contentEncoding",
      "contentLanguage",
      "detectMd5hash",
      "storageClass",
      "kmsKeyName",
      "customerEncryption",
      "metadata",
    ],
    source: "terraform-provider-google resource_storage_bucket_object.go (ForceNew)",
  },
  // [tf-aws] internal/service/lambda/function.go: `function_name` (Pulumi input `name`), `package_type`
  // and `tenancy_config` are ForceNew.
  "aws:lambda/function:Function": {
    inputs: ["name", "packageType", "tenancyConfig"],
    source: "terraform-provider-aws internal/service/lambda/function.go (ForceNew)",
  },
};

/**
 * For types not in REPLACE_ON: inputs that name or place a resource, which on every cloud targeted
 * here are part of the resource's id (AWS names, GCP names/project/location, Azure Resource Manager
 * path segments), so a change is very likely a replacement. Reported as "likely", never as fact.
 * [rule of thumb, unverified per type]
 */
export const LIKELY_REPLACE_ON = ["name", "functionName", "bucket", "accountId", "resourceGroupName", "location", "project", "region"];

/** Resources whose replacement is slow or disruptive: why (shown to reviewers), and the source. */
export const SLOW_TO_REPLACE: Record<string, { why: string; source: string }> = {
  "gcp:apigateway/apiConfig:ApiConfig": {
    why: "a new API config can take up to 10 min to create",
    source: "gcp.md §2.1 (S16-qs: 'a complex API config could take up to ten minutes')",
  },
  "gcp:apigateway/gateway:Gateway": {
    why: "a new gateway takes several minutes and gets a new hostname",
    source: "gcp.md §7 ('a gateway takes several minutes')",
  },
  "gcp:cloudfunctionsv2/function:Function": {
    why: "a new 2nd-gen function is built and deployed from scratch (minutes; the provider allows 60 min)",
    source: "gcp.md §7 (S2-cf); magic-modules cloudfunctions2/Function.yaml timeouts",
  },
  "azure-native:apimanagement:ApiManagementService": {
    why: "API Management takes 30-40+ min to create on the classic tiers",
    source: "azure.md §1 (APIM tier row)",
  },
};

/**
 * Splits a Pulumi property path (`a.b[0].c`, `a[*]`, `tags["app.kubernetes.io/name"]`) into segments
 * (`a`, `b`, `0`, `c`); a quoted key stays whole.
 */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  const re = /\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[([^\]]*)\]|([^.[\]]+)/g;
  for (const m of path.matchAll(re)) out.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : (m[2] ?? m[3] ?? ""));
  return out;
}

/** A key as a property-path step: `.name` when it is a plain name, else `["key.with.dots"]`. */
function step(prefix: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${JSON.stringify(key)}]`;
}

/** True when `pattern` (with `*` wildcards) names `path`, one of its parents, or one of its children. */
export function pathMatches(pattern: string, path: string): boolean {
  const p = pathSegments(pattern);
  const q = pathSegments(path);
  if (p.length === 1 && p[0] === "*") return true;
  const n = Math.min(p.length, q.length);
  for (let i = 0; i < n; i++) if (p[i] !== "*" && p[i] !== q[i]) return false;
  return true;
}

// =============================================================================================
// The diff document.
// =============================================================================================

/** What a change does to the API's exposure. */
export type Effect = "weakened" | "strengthened" | "widened" | "narrowed" | "added" | "removed" | "changed";

export type ApiArea =
  | "route"
  | "auth"
  | "authScheme"
  | "cors"
  | "rateLimit"
  | "cache"
  | "target"
  | "function"
  | "environment"
  | "secret"
  | "canary"
  | "domain"
  | "alerts"
  | "tracing";

/**
 * One API-level change. `subject` is a route key, a function or scheme name, or "cors", "domain",
 * "alerts", "tracing".
 */
export interface ApiChange {
  area: ApiArea;
  subject: string;
  /** The field that changed, e.g. `memoryMb`, `quota`, `allowOrigins`; absent for whole-subject changes. */
  field?: string;
  effect: Effect;
  /** Plain text, e.g. `jwt users [orders:write] → none`. */
  detail: string;
  breaking: boolean;
}

export type ResourceAction = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
  action: ResourceAction;
  type: string;
  name: string;
  /** Changed input paths (`a.b[0].c`) and option paths (`options.protect`), sorted. Empty for create/delete. */
  changed: string[];
  /** For replace: the changed paths that force it, and why. */
  replacedBy?: { path: string; source: string; certain: boolean }[];
  /** For replace: the resource's own `deleteBeforeReplace` (the old one goes first: downtime). */
  deleteBeforeReplace?: boolean;
  /** For replace of a slow or disruptive type: why. */
  slow?: string;
  /**
   * For replace and delete: the (base) resource is `protect`ed, so Pulumi refuses the operation until
   * protection is lifted; or it has `retainOnDelete`, so the old cloud resource is left behind.
   */
  protect?: boolean;
  retainOnDelete?: boolean;
}

export interface StackDiff {
  stack: string;
  cloud: string | null;
  /** Whether each side had a plan for this stack. */
  base: boolean;
  head: boolean;
  /** Why a side has no plan, when planning it failed (first line of the plan's error output). */
  errors?: { base?: string; head?: string };
  /** null when a side has no `api` summary (e.g. a plan made before it existed). */
  api: ApiChange[] | null;
  apiNote?: string;
  resources: ResourceChange[];
  counts: Record<ResourceAction | "unchanged", number>;
}

export type BreakingKind = "plan-failed" | "auth-weakened" | "route-removed" | "cors-widened" | "over-budget" | "slow-replacement";

export interface Breaking {
  kind: BreakingKind;
  /** Stacks where it happens, sorted. */
  stacks: string[];
  subject: string;
  detail: string;
}

export interface PlanDiff {
  breaking: Breaking[];
  stacks: StackDiff[];
}

// =============================================================================================
// Helpers.
// =============================================================================================

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with sorted keys: a canonical form for equality and grouping. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort(cmp)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).sort(cmp);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Paths under which `a` and `b` differ, Pulumi property-path style, sorted. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (same(a, b)) return [];
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp);
    return keys.flatMap((k) => changedPaths(a[k], b[k], step(prefix, k)));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${prefix}[${i}]`));
    return out;
  }
  return [prefix];
}

// =============================================================================================
// API diff.
// =============================================================================================

const AUTH_RANK: Record<RouteAuth["kind"], number> = { none: 0, apiKey: 1, jwt: 2 };

export function describeAuth(a: RouteAuth): string {
  if (a.kind === "none") return "none";
  if (a.kind === "apiKey") return `apiKey ${a.scheme}`;
  return `jwt ${a.scheme}${a.scopes.length ? ` [${a.scopes.join(", ")}]` : ""}`;
}

function describeRate(r: RateLimit | null): string {
  if (!r) return "none";
  return `${r.ratePerSecond}/s burst ${r.burst}${r.quota ? `, quota ${r.quota.limit}/${r.quota.period}` : ""}`;
}

function describeCache(c: Cache | null): string {
  if (!c) return "none";
  const vary = [...c.varyBy.query.map((q) => `query ${q}`), ...c.varyBy.headers.map((h) => `header ${h}`)];
  return `ttl ${c.ttlSeconds}s${vary.length ? `, vary by ${vary.join(", ")}` : ""}`;
}

function describeTarget(t: RouteSummary["target"]): string {
  return "function" in t ? `function ${t.function}` : `upstream ${t.upstream.map((u) => `${u.url} (${u.weight}%)`).join(", ")}`;
}

const PERIOD_SECONDS = { minute: 60, hour: 3600, day: 86400, month: 2592000 } as const;

function authChange(key: string, a: RouteAuth, b: RouteAuth): ApiChange | null {
  if (same(a, b)) return null;
  const detail = `${describeAuth(a)} → ${describeAuth(b)}`;
  let effect: Effect;
  if (a.kind !== b.kind) effect = AUTH_RANK[b.kind] < AUTH_RANK[a.kind] ? "weakened" : "strengthened";
  else if (a.kind === "jwt" && b.kind === "jwt") {
    // Fewer required scopes accept more tokens: weaker. A different scheme alone is a change to review.
    if (minus(a.scopes, b.scopes).length) effect = "weakened";
    else if (a.scheme !== b.scheme) effect = "changed";
    else effect = "strengthened";
  } else effect = "changed";
  return { area: "auth", subject: key, effect, detail, breaking: effect === "weakened" };
}

/** A maker of one area's changes to `subject`: `(field, effect, detail, breaking = false)`. */
function changeOf(area: ApiArea, subject: string) {
  return (field: string | undefined, effect: Effect, detail: string, breaking = false): ApiChange => ({
    area,
    subject,
    ...(field ? { field } : {}),
    effect,
    detail,
    breaking,
  });
}

function rateChanges(key: string, a: RateLimit | null, b: RateLimit | null): ApiChange[] {
  if (same(a, b)) return [];
  const mk = changeOf("rateLimit", key);
  if (!a || !b) return [mk(undefined, a ? "weakened" : "strengthened", `${describeRate(a)} → ${describeRate(b)}`)];
  const out: ApiChange[] = [];
  // A higher allowance lets more traffic through: weaker protection.
  if (a.ratePerSecond !== b.ratePerSecond)
    out.push(
      mk("ratePerSecond", b.ratePerSecond > a.ratePerSecond ? "weakened" : "strengthened", `${a.ratePerSecond}/s → ${b.ratePerSecond}/s`),
    );
  if (a.burst !== b.burst) out.push(mk("burst", b.burst > a.burst ? "weakened" : "strengthened", `${a.burst} → ${b.burst}`));
  if (!same(a.quota, b.quota)) {
    const q = (x: RateLimit["quota"]) => (x ? `${x.limit}/${x.period}` : "none");
    const per = (x: NonNullable<RateLimit["quota"]>) => x.limit / PERIOD_SECONDS[x.period];
    const effect: Effect =
      !a.quota || !b.quota
        ? a.quota
          ? "weakened"
          : "strengthened"
        : per(b.quota) > per(a.quota)
          ? "weakened"
          : per(b.quota) < per(a.quota)
            ? "strengthened"
            : "changed";
    out.push(mk("quota", effect, `${q(a.quota)} → ${q(b.quota)}`));
  }
  return out;
}

function corsChanges(a: Cors | null, b: Cors | null): ApiChange[] {
  if (same(a, b)) return [];
  const mk = changeOf("cors", "cors");
  if (!a && b)
    return [mk(undefined, "widened", `enabled for ${b.allowOrigins.join(", ")}${b.allowCredentials ? " with credentials" : ""}`, true)];
  if (a && !b) return [mk(undefined, "narrowed", "disabled")];
  const x = a as Cors;
  const y = b as Cors;
  const out: ApiChange[] = [];
  // Origins added and credentials turned on let more sites read responses: breaking. Methods and
  // headers widen what those sites may send: reported, not flagged.
  const lists: [keyof Cors, boolean][] = [
    ["allowOrigins", true],
    ["allowMethods", false],
    ["allowHeaders", false],
    ["exposeHeaders", false],
  ];
  for (const [field, flag] of lists) {
    const added = minus(y[field] as string[], x[field] as string[]);
    const removed = minus(x[field] as string[], y[field] as string[]);
    if (added.length) out.push(mk(field, "widened", `added ${added.join(", ")}`, flag));
    if (removed.length) out.push(mk(field, "narrowed", `removed ${removed.join(", ")}`));
  }
  if (x.allowCredentials !== y.allowCredentials)
    out.push(
      mk(
        "allowCredentials",
        y.allowCredentials ? "widened" : "narrowed",
        `${x.allowCredentials} → ${y.allowCredentials}`,
        y.allowCredentials,
      ),
    );
  if (x.maxAgeSeconds !== y.maxAgeSeconds) out.push(mk("maxAgeSeconds", "changed", `${x.maxAgeSeconds}s → ${y.maxAgeSeconds}s`));
  return out;
}

function schemeChanges(name: string, a: AuthSchemeSummary | undefined, b: AuthSchemeSummary | undefined): ApiChange[] {
  if (same(a, b)) return [];
  const mk = changeOf("authScheme", name);
  if (!a) return [mk(undefined, "added", (b as AuthSchemeSummary).type)];
  if (!b) return [mk(undefined, "removed", a.type)];
  if (a.type !== b.type) return [mk("type", "changed", `${a.type} → ${b.type}`)];
  if (a.type === "apiKey" && b.type === "apiKey") {
    const out: ApiChange[] = [];
    const added = minus(b.consumers, a.consumers);
    const removed = minus(a.consumers, b.consumers);
    if (added.length) out.push(mk("consumers", "added", `added ${added.join(", ")}`));
    if (removed.length) out.push(mk("consumers", "removed", `removed ${removed.join(", ")}`));
    return out;
  }
  if (a.type === "jwt" && b.type === "jwt") {
    const out: ApiChange[] = [];
    if (a.issuer !== b.issuer) out.push(mk("issuer", "changed", `${a.issuer} → ${b.issuer}`));
    const added = minus(b.audiences, a.audiences);
    const removed = minus(a.audiences, b.audiences);
    // Another accepted audience accepts tokens minted for another API: an auth weakening.
    if (added.length) out.push(mk("audiences", "weakened", `added ${added.join(", ")}`, true));
    if (removed.length) out.push(mk("audiences", "strengthened", `removed ${removed.join(", ")}`));
    return out;
  }
  return [];
}

function functionChanges(name: string, a: FunctionSummary | undefined, b: FunctionSummary | undefined): ApiChange[] {
  const out: ApiChange[] = [];
  const mk = (area: ApiArea, field: string | undefined, effect: Effect, detail: string) => changeOf(area, name)(field, effect, detail);
  if (!a && !b) return out;
  if (!a || !b) {
    const f = (a ?? b) as FunctionSummary;
    const canary = f.canary ? `, canary weight ${f.canary.weight}%` : "";
    out.push(mk("function", undefined, a ? "removed" : "added", `${f.handler}, ${f.memoryMb} MB, ${f.timeoutSeconds}s${canary}`));
    return out;
  }
  if (a.handler !== b.handler) out.push(mk("function", "handler", "changed", `${a.handler} → ${b.handler}`));
  if (a.memoryMb !== b.memoryMb) out.push(mk("function", "memoryMb", "changed", `${a.memoryMb} MB → ${b.memoryMb} MB`));
  if (a.timeoutSeconds !== b.timeoutSeconds)
    out.push(mk("function", "timeoutSeconds", "changed", `${a.timeoutSeconds}s → ${b.timeoutSeconds}s`));
  for (const k of ["min", "max", "concurrency"] as const) {
    if (a.scaling[k] !== b.scaling[k])
      out.push(mk("function", `scaling.${k}`, "changed", `${a.scaling[k] ?? "default"} → ${b.scaling[k] ?? "default"}`));
  }
  for (const k of minus(b.environment, a.environment)) out.push(mk("environment", k, "added", `${k} added`));
  for (const k of minus(a.environment, b.environment)) out.push(mk("environment", k, "removed", `${k} removed`));
  for (const s of minus(b.secrets, a.secrets)) out.push(mk("secret", s, "added", `${s} added`));
  for (const s of minus(a.secrets, b.secrets)) out.push(mk("secret", s, "removed", `${s} removed`));
  // Plans made before the canary was summarised carry no `canary`: compared only when both do.
  if (a.canary !== undefined && b.canary !== undefined && !same(a.canary, b.canary)) {
    const w = (c: FunctionSummary["canary"]) => (c ? `${c.weight}%` : "none");
    const effect: Effect = !a.canary ? "added" : !b.canary ? "removed" : "changed";
    out.push(mk("canary", "weight", effect, `canary weight of ${name} ${w(a.canary)} → ${w(b.canary)}`));
  }
  return out;
}

/** Custom domain changes: added, removed, renamed, another certificate. */
function domainChanges(a: ApiSummary["domain"], b: ApiSummary["domain"]): ApiChange[] {
  if (a === undefined || b === undefined || same(a, b)) return [];
  const mk = changeOf("domain", "domain");
  const cert = (c: string) => (c === "managed" ? "managed certificate" : `certificate ${c}`);
  if (!a && b) return [mk(undefined, "added", `domain added ${b.name} (${cert(b.certificate)})`)];
  if (a && !b) return [mk(undefined, "removed", `domain removed ${a.name}: clients calling it lose the API`)];
  const x = a as NonNullable<ApiSummary["domain"]>;
  const y = b as NonNullable<ApiSummary["domain"]>;
  const out: ApiChange[] = [];
  if (x.name !== y.name) out.push(mk("name", "changed", `domain ${x.name} → ${y.name}`));
  if (x.certificate !== y.certificate) out.push(mk("certificate", "changed", `domain ${cert(x.certificate)} → ${cert(y.certificate)}`));
  return out;
}

/** Alert changes: added, removed, thresholds, targets. */
function alertChanges(a: ApiSummary["alerts"], b: ApiSummary["alerts"]): ApiChange[] {
  if (a === undefined || b === undefined || same(a, b)) return [];
  const mk = changeOf("alerts", "alerts");
  const all = (x: AlertsSummary) => `5xx above ${x.errorRatePercent}%, p99 above ${x.p99LatencyMs} ms, to ${x.notify.join(", ")}`;
  if (!a && b) return [mk(undefined, "added", `alerts added: ${all(b)}`)];
  if (a && !b) return [mk(undefined, "removed", `alerts removed (were ${all(a)})`)];
  const x = a as AlertsSummary;
  const y = b as AlertsSummary;
  const out: ApiChange[] = [];
  if (x.errorRatePercent !== y.errorRatePercent)
    out.push(mk("errorRatePercent", "changed", `alerts: 5xx threshold ${x.errorRatePercent}% → ${y.errorRatePercent}%`));
  if (x.p99LatencyMs !== y.p99LatencyMs)
    out.push(mk("p99LatencyMs", "changed", `alerts: p99 threshold ${x.p99LatencyMs} → ${y.p99LatencyMs} ms`));
  const added = minus(y.notify, x.notify);
  const removed = minus(x.notify, y.notify);
  if (added.length) out.push(mk("notify", "added", `alerts: notify added ${added.join(", ")}`));
  if (removed.length) out.push(mk("notify", "removed", `alerts: notify removed ${removed.join(", ")}`));
  return out;
}

function tracingChanges(a: boolean | undefined, b: boolean | undefined): ApiChange[] {
  if (a === undefined || b === undefined || a === b) return [];
  const on = (x: boolean) => (x ? "on" : "off");
  return [{ area: "tracing", subject: "tracing", effect: "changed", detail: `tracing ${on(a)} → ${on(b)}`, breaking: false }];
}

const AREA_ORDER: ApiArea[] = [
  "route",
  "auth",
  "authScheme",
  "cors",
  "rateLimit",
  "cache",
  "target",
  "function",
  "environment",
  "secret",
  "canary",
  "domain",
  "alerts",
  "tracing",
];

/** API-level changes between two summaries, in a fixed order (area, subject, field). */
export function diffApi(a: ApiSummary, b: ApiSummary): ApiChange[] {
  const out: ApiChange[] = [];
  const routesA = new Map(a.routes.map((r) => [r.key, r]));
  const routesB = new Map(b.routes.map((r) => [r.key, r]));
  for (const key of [...new Set([...routesA.keys(), ...routesB.keys()])].sort(cmp)) {
    const x = routesA.get(key);
    const y = routesB.get(key);
    if (!x && y) {
      out.push({
        area: "route",
        subject: key,
        effect: "added",
        detail: `auth ${describeAuth(y.auth)}, ${describeTarget(y.target)}`,
        breaking: false,
      });
      continue;
    }
    if (x && !y) {
      out.push({
        area: "route",
        subject: key,
        effect: "removed",
        detail: `was auth ${describeAuth(x.auth)}, ${describeTarget(x.target)}`,
        breaking: true,
      });
      continue;
    }
    if (!x || !y) continue;
    const auth = authChange(key, x.auth, y.auth);
    if (auth) out.push(auth);
    out.push(...rateChanges(key, x.rateLimit, y.rateLimit));
    if (!same(x.cache, y.cache)) {
      const effect: Effect = !x.cache ? "added" : !y.cache ? "removed" : "changed";
      out.push({ area: "cache", subject: key, effect, detail: `${describeCache(x.cache)} → ${describeCache(y.cache)}`, breaking: false });
    }
    if (!same(x.target, y.target)) {
      out.push({
        area: "target",
        subject: key,
        effect: "changed",
        detail: `${describeTarget(x.target)} → ${describeTarget(y.target)}`,
        breaking: false,
      });
    }
  }
  for (const name of [...new Set([...Object.keys(a.auth), ...Object.keys(b.auth)])].sort(cmp)) {
    out.push(...schemeChanges(name, a.auth[name], b.auth[name]));
  }
  out.push(...corsChanges(a.cors, b.cors));
  for (const name of [...new Set([...Object.keys(a.functions), ...Object.keys(b.functions)])].sort(cmp)) {
    out.push(...functionChanges(name, a.functions[name], b.functions[name]));
  }
  out.push(...domainChanges(a.domain, b.domain), ...alertChanges(a.alerts, b.alerts), ...tracingChanges(a.tracing, b.tracing));
  return out.sort(
    (p, q) =>
      AREA_ORDER.indexOf(p.area) - AREA_ORDER.indexOf(q.area) ||
      cmp(p.subject, q.subject) ||
      cmp(p.field ?? "", q.field ?? "") ||
      cmp(p.effect, q.effect),
  );
}

// =============================================================================================
// Resource diff.
// =============================================================================================

const ACTION_ORDER: ResourceAction[] = ["replace", "delete", "create", "update"];
const resourceKey = (r: PlanResource) => `${r.type}\u0000${r.name}`;

/** Why a change at `path` of a resource of `type` forces a replacement, if it does. */
function replacementReason(r: PlanResource, other: PlanResource, path: string): { source: string; certain: boolean } | null {
  if (path === "parent") return { source: "the parent changed, so the resource's URN changes (no alias recorded)", certain: true };
  if (path.startsWith("options.")) return null;
  const own = [
    ...((r.options.replaceOnChanges as string[] | undefined) ?? []),
    ...((other.options.replaceOnChanges as string[] | undefined) ?? []),
  ];
  if (own.some((p) => pathMatches(p, path))) return { source: "the resource's replaceOnChanges option", certain: true };
  const rule = REPLACE_ON[r.type];
  if (rule) return rule.inputs.some((p) => pathMatches(p, path)) ? { source: rule.source, certain: true } : null;
  const top = pathSegments(path)[0] ?? "";
  return LIKELY_REPLACE_ON.includes(top) ? { source: `"${top}" identifies the resource on most providers`, certain: false } : null;
}

/** The options of the existing (base) resource that change what a replace or delete does. */
function guards(r: PlanResource): { protect?: true; retainOnDelete?: true } {
  return {
    ...(r.options.protect ? { protect: true as const } : {}),
    ...(r.options.retainOnDelete ? { retainOnDelete: true as const } : {}),
  };
}

/** Resource-level changes between two plans of one stack, grouped by action, then by name and type. */
export function diffResources(base: PlanResource[], head: PlanResource[]): ResourceChange[] {
  const before = new Map(base.map((r) => [resourceKey(r), r]));
  const after = new Map(head.map((r) => [resourceKey(r), r]));
  const out: ResourceChange[] = [];
  for (const [k, r] of after) if (!before.has(k)) out.push({ action: "create", type: r.type, name: r.name, changed: [] });
  for (const [k, r] of before) if (!after.has(k)) out.push({ action: "delete", type: r.type, name: r.name, changed: [], ...guards(r) });
  for (const [k, b] of after) {
    const a = before.get(k);
    if (!a) continue;
    const changed = [
      ...changedPaths(a.inputs, b.inputs),
      ...(a.parent !== b.parent ? ["parent"] : []),
      ...changedPaths(a.options, b.options).map((p) => `options.${p}`),
    ].sort(cmp);
    if (!changed.length) continue;
    const replacedBy = changed.flatMap((path) => {
      const why = replacementReason(b, a, path);
      return why ? [{ path, ...why }] : [];
    });
    if (!replacedBy.length) {
      out.push({ action: "update", type: b.type, name: b.name, changed });
      continue;
    }
    const slow = SLOW_TO_REPLACE[b.type]?.why;
    out.push({
      action: "replace",
      type: b.type,
      name: b.name,
      changed,
      replacedBy,
      ...(b.options.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
      ...(slow ? { slow } : {}),
      ...guards(a),
    });
  }
  return out.sort((p, q) => ACTION_ORDER.indexOf(p.action) - ACTION_ORDER.indexOf(q.action) || cmp(p.name, q.name) || cmp(p.type, q.type));
}

// =============================================================================================
// Whole plans.
// =============================================================================================

/** Compares two plans of one stack. Either side may be missing (a new or a removed stack). */
export function diffStack(base: PlanDocument | null, head: PlanDocument | null): StackDiff {
  const doc = (head ?? base) as PlanDocument;
  const resources = diffResources(base?.resources ?? [], head?.resources ?? []);
  const counts = { create: 0, update: 0, replace: 0, delete: 0, unchanged: 0 };
  for (const c of resources) counts[c.action]++;
  counts.unchanged = (head?.resources.length ?? 0) - counts.create - counts.update - counts.replace;
  let api: ApiChange[] | null = null;
  let apiNote: string | undefined;
  // A missing side has nothing: every route, function, domain and alert of the other is added or removed.
  const empty: ApiSummary = { name: "", auth: {}, cors: null, routes: [], functions: {}, domain: null, alerts: null };
  if (base && head && (!base.api || !head.api))
    apiNote = `the ${!base.api ? "base" : "head"} plan has no API summary (made before plans carried one)`;
  else api = diffApi(base?.api ?? empty, head?.api ?? empty);
  return {
    stack: doc.stack,
    cloud: doc.cloud ?? null,
    base: !!base,
    head: !!head,
    api,
    ...(apiNote ? { apiNote } : {}),
    resources,
    counts,
  };
}

const BREAKING_ORDER: BreakingKind[] = ["plan-failed", "auth-weakened", "route-removed", "cors-widened", "over-budget", "slow-replacement"];

/** Base and head plans of one stack; a side is null when there is no plan, with the error if planning failed. */
export interface PlanPair {
  stack: string;
  base: PlanDocument | null;
  head: PlanDocument | null;
  baseError?: string;
  headError?: string;
}

/** The first meaningful line of a plan's error output, without colours, capped: it is shown in a PR comment. */
export function errorLine(output: string): string {
  const line =
    output
      .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l) ?? "no output";
  const msg = line.replace(/^(error|internal error):\s*/, "");
  return msg.length > 300 ? `${msg.slice(0, 300)}…` : msg;
}

function pairDiff(p: PlanPair): StackDiff {
  const errors = {
    ...(p.baseError && !p.base ? { base: errorLine(p.baseError) } : {}),
    ...(p.headError && !p.head ? { head: errorLine(p.headError) } : {}),
  };
  const withErrors = Object.keys(errors).length ? { errors } : {};
  if (!p.head && (errors.head || !p.base)) {
    // Nothing to compare: the head did not plan (or neither side did). Never reported as deletions.
    const counts = { create: 0, update: 0, replace: 0, delete: 0, unchanged: 0 };
    const apiNote = errors.head ? "the head plan failed" : "no plan on either side";
    return {
      stack: p.stack,
      cloud: p.base?.cloud ?? null,
      base: !!p.base,
      head: false,
      ...withErrors,
      api: null,
      apiNote,
      resources: [],
      counts,
    };
  }
  return { ...diffStack(p.base, p.head), stack: p.stack, ...withErrors };
}

/** Compares plans stack by stack (pairs of base and head, matched by stack name) and lists what is breaking. */
export function diffPlans(pairs: PlanPair[]): PlanDiff {
  const stacks = [...pairs].sort((a, b) => cmp(a.stack, b.stack)).map(pairDiff);
  const found = new Map<string, Breaking>();
  const add = (kind: BreakingKind, stack: string, subject: string, detail: string) => {
    const k = `${kind}\u0000${subject}\u0000${detail}`;
    const hit = found.get(k) ?? { kind, stacks: [], subject, detail };
    if (!hit.stacks.includes(stack)) hit.stacks.push(stack);
    found.set(k, hit);
  };
  for (const s of stacks) {
    // The base planned and the head does not: this change breaks the stack.
    if (s.base && s.errors?.head) add("plan-failed", s.stack, s.stack, s.errors.head);
    for (const c of s.api ?? []) {
      if (!c.breaking) continue;
      const kind: BreakingKind = c.area === "route" ? "route-removed" : c.area === "cors" ? "cors-widened" : "auth-weakened";
      add(kind, s.stack, c.field ? `${c.subject} ${c.field}` : c.subject, c.detail);
    }
    for (const r of s.resources) if (r.action === "replace" && r.slow) add("slow-replacement", s.stack, `${r.type} ${r.name}`, r.slow);
  }
  // The head's cost estimate is above the stack's budget (switchyard:budget.monthlyUsd).
  for (const p of pairs) {
    const cost = p.head?.cost;
    if (!cost?.overBudget) continue;
    const total = cost.estimate.totals.total.toFixed(2);
    const before = p.base?.cost ? ` (was $${p.base.cost.estimate.totals.total.toFixed(2)})` : "";
    add("over-budget", p.stack, p.stack, `estimated $${total} a month${before}, above the budget of $${cost.budgetMonthlyUsd}`);
  }
  const breaking = [...found.values()]
    .map((b) => ({ ...b, stacks: b.stacks.sort(cmp) }))
    .sort(
      (p, q) => BREAKING_ORDER.indexOf(p.kind) - BREAKING_ORDER.indexOf(q.kind) || cmp(p.subject, q.subject) || cmp(p.detail, q.detail),
    );
  return { breaking, stacks };
}

// =============================================================================================
// Markdown (a pull-request comment).
// =============================================================================================

/** Hidden marker that identifies the sticky comment. */
export const COMMENT_MARKER = "<!-- switchyard-plan-diff -->";

/** Inline code that cannot break out of a table cell or the code span, whatever the plan holds. */
export function code(s: string): string {
  return `\`${s.replace(/[`\r\n]/g, " ").replace(/\|/g, "\\|")}\``;
}

/** Plain text safe in a table cell: no HTML, links, emphasis or mentions from plan contents. */
export function text(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/([\\`*_[\]<>|#~!@])/g, "\\$1");
}

const BREAKING_TITLE: Record<BreakingKind, string> = {
  "plan-failed": "plan fails",
  "over-budget": "over budget",
  "auth-weakened": "auth weakened",
  "route-removed": "route removed",
  "cors-widened": "CORS widened",
  "slow-replacement": "slow replacement",
};

function apiRows(changes: ApiChange[]): string[] {
  const out = ["| | change | subject | detail |", "|---|---|---|---|"];
  for (const c of changes) {
    const what = `${c.area}${c.field && c.area !== "environment" && c.area !== "secret" ? ` ${c.field}` : ""} ${c.effect}`;
    out.push(`| ${c.breaking ? "⚠️" : ""} | ${text(what)} | ${code(c.subject)} | ${text(c.detail)} |`);
  }
  return out;
}

function resourceRows(changes: ResourceChange[]): string[] {
  const out = ["| action | type | name | changed |", "|---|---|---|---|"];
  for (const r of changes) {
    const forced = new Set((r.replacedBy ?? []).map((x) => x.path));
    const likely = (r.replacedBy ?? []).every((x) => !x.certain);
    const paths = r.changed.map((p) => (forced.has(p) ? `${code(p)} (forces replacement)` : code(p)));
    const notes = [
      ...(r.action === "replace" && likely ? ["likely: inferred from the input name"] : []),
      ...(r.deleteBeforeReplace ? ["delete before replace: downtime"] : []),
      ...(r.slow ? [text(r.slow)] : []),
      ...(r.protect ? ["protected: Pulumi refuses this until protect is removed"] : []),
      ...(r.retainOnDelete ? ["retainOnDelete: the old cloud resource is left in place"] : []),
    ];
    const cell = [paths.join(", "), ...notes.map((n) => `_${n}_`)].filter((x) => x).join("<br>");
    out.push(`| ${r.action === "replace" ? "**replace**" : r.action} | ${code(r.type)} | ${code(r.name)} | ${cell} |`);
  }
  return out;
}

/** Resource tables longer than this are folded in a `<details>` block. */
const FOLD_ABOVE = 20;

/** The diff as markdown for a pull-request comment: breaking changes first, then per stack. Deterministic. */
export function renderMarkdown(diff: PlanDiff): string {
  const out: string[] = [COMMENT_MARKER, "## switchyard plan diff", ""];
  if (diff.breaking.length) {
    out.push(`### ⚠️ ${diff.breaking.length} breaking change${diff.breaking.length > 1 ? "s" : ""}`, "");
    for (const b of diff.breaking) {
      out.push(`- **${BREAKING_TITLE[b.kind]}**: ${code(b.subject)}: ${text(b.detail)} (${b.stacks.map(code).join(", ")})`);
    }
  } else out.push("No breaking changes.");
  out.push("");
  // Stacks with identical API changes share one table (one model usually feeds every stack).
  const groups = new Map<string, { stacks: string[]; changes: ApiChange[] | null; note?: string }>();
  for (const s of diff.stacks) {
    const k = canonical([s.api, s.apiNote ?? null]);
    const g = groups.get(k) ?? { stacks: [], changes: s.api, ...(s.apiNote ? { note: s.apiNote } : {}) };
    g.stacks.push(s.stack);
    groups.set(k, g);
  }
  for (const g of groups.values()) {
    out.push(`### API: ${g.stacks.map(code).join(", ")}`, "");
    if (!g.changes) out.push(`Not compared: ${text(g.note ?? "no API summary")}.`);
    else if (!g.changes.length) out.push("No API changes.");
    else out.push(...apiRows(g.changes));
    out.push("");
  }
  for (const s of diff.stacks) {
    const c = s.counts;
    const side = s.errors?.head
      ? ""
      : s.errors?.base
        ? " (no base plan: it failed)"
        : !s.base
          ? " (new stack: no base plan)"
          : !s.head
            ? " (stack removed: no head plan)"
            : "";
    out.push(`### Resources: ${code(s.stack)}${s.cloud ? ` (${text(s.cloud)})` : ""}${side}`, "");
    if (s.errors?.base) out.push(`The base plan failed: ${code(s.errors.base)}`, "");
    if (s.errors?.head) {
      out.push(`Not compared: the head plan failed: ${code(s.errors.head)}`, "");
      continue;
    }
    if (!s.base && !s.head) {
      out.push("Not compared: no plan on either side.", "");
      continue;
    }
    out.push(`${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.unchanged} unchanged.`);
    // Long tables (a new stack, a big refactor) fold so that the comment stays readable.
    if (s.resources.length > FOLD_ABOVE) {
      out.push(
        "",
        `<details><summary>${s.resources.length} resource changes</summary>`,
        "",
        ...resourceRows(s.resources),
        "",
        "</details>",
      );
    } else if (s.resources.length) out.push("", ...resourceRows(s.resources));
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/**
 * Checks that parsed JSON is a plan document (`npm run plan -- --json`) and returns it. `label`
 * names the source in the error, e.g. the file path.
 */
export function asPlanDocument(v: unknown, label: string): PlanDocument {
  const fail = (what: string) => {
    throw new TypeError(`${label}: ${what}. Pass the output of \`npm run plan -- --stack <name> --json\`.`);
  };
  if (!isObject(v)) return fail("is not a JSON object");
  if (typeof v.stack !== "string" || !v.stack) fail('has no "stack" name');
  if (!Array.isArray(v.resources)) fail('has no "resources" list');
  for (const [i, r] of (v.resources as unknown[]).entries()) {
    if (!isObject(r) || typeof r.type !== "string" || typeof r.name !== "string" || !isObject(r.inputs) || !isObject(r.options)) {
      fail(`resources[${i}] is not {type, name, parent, inputs, options}`);
    }
  }
  if (v.api !== undefined && (!isObject(v.api) || !Array.isArray(v.api.routes) || !isObject(v.api.functions) || !isObject(v.api.auth))) {
    fail('has an "api" field that is not an API summary');
  }
  return v as unknown as PlanDocument;
}
