import * as fs from "node:fs";
import * as path from "node:path";
import { formatPath, ModelError, type ModelIssue, suggest } from "./errors";
import { type ParsedRouteKey, parseRouteKey, routeConflicts } from "./routes";
import { apiSchema, isHttpsUrl, type ParsedApi, zodIssues } from "./schema";
import type {
  Alerts,
  AlertTarget,
  Api,
  AuthScheme,
  Cache,
  Cors,
  Domain,
  FunctionSpec,
  Method,
  RateLimit,
  RateLimitInput,
  Route,
  RouteAuth,
  RouteTarget,
} from "./types";

/** Built-in defaults, applied where neither the function nor `defaults.function` says. */
export const DEFAULTS = {
  memoryMb: 256,
  timeoutSeconds: 10,
  logging: { access: true, retentionDays: 14 },
  corsHeaders: ["content-type", "authorization", "x-api-key"],
  corsMaxAgeSeconds: 600,
  alerts: { errorRatePercent: 5, p99LatencyMs: 2000 },
  tracing: true,
} as const;

const FUNCTION_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const SCHEME_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const TAG_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const TAG_VALUE = /^[a-z0-9_-]{0,63}$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** A DNS name: lowercase labels of letters, digits and inner '-', at least two, ≤ 253 characters (RFC 1123). */
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** A plain email address: one '@', a dotted domain, no spaces (what every cloud's email receiver takes). */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const SECRETISH = /secret|passw|token|api_?key|private_?key|connection_?string|account_?key/i;

/**
 * Validates a model and returns its normalised form. Throws one ModelError listing every problem,
 * each with its path and fix. `modelFile` is the absolute path of the model (handlers are relative
 * to its folder).
 */
export function validate(input: unknown, modelFile: string): Api {
  const issues: ModelIssue[] = [];
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ModelError([{ path: "", message: "the model must be an object: export default defineApi({ name, functions, routes })" }]);
  }
  const parsed = apiSchema.safeParse(input);
  if (!parsed.success) issues.push(...zodIssues(parsed.error, input));
  // Cross-reference checks run on the raw input, guarded, so they report alongside schema problems.
  const raw = input as Partial<ParsedApi>;
  const result = crossCheck(raw, modelFile, issues);
  if (issues.length || !parsed.success || !result) throw new ModelError(dedupe(issues));
  return result;
}

function crossCheck(raw: Partial<ParsedApi>, modelFile: string, issues: ModelIssue[]): Api | undefined {
  const add = (p: PropertyKey[], message: string) => issues.push({ path: formatPath(p), message });
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

  // Auth schemes.
  const auth: Record<string, AuthScheme> = {};
  const schemesIn = isObj(raw.auth) ? raw.auth : {};
  for (const [name, s] of Object.entries(schemesIn)) {
    if (name === "none") add(["auth", name], '"none" is reserved for open routes. Rename the scheme.');
    else if (!SCHEME_NAME.test(name)) add(["auth", name], "scheme names are identifiers: a lowercase letter, then letters and digits");
    if (!isObj(s)) continue;
    if (s.type === "apiKey" && Array.isArray(s.consumers)) {
      const seen = new Set<string>();
      s.consumers.forEach((c, i) => {
        if (typeof c !== "string") return;
        if (!CONSUMER_NAME.test(c))
          add(["auth", name, "consumers", i], `"${c}" must be lowercase letters, digits and '-', starting with a letter (≤ 40)`);
        if (seen.has(c)) add(["auth", name, "consumers", i], `consumer "${c}" is listed twice`);
        seen.add(c);
      });
      auth[name] = { name, type: "apiKey", header: "x-api-key", consumers: [...seen].sort() };
    } else if (s.type === "jwt") {
      auth[name] = {
        name,
        type: "jwt",
        issuer: String(s.issuer),
        audiences: Array.isArray(s.audiences) ? s.audiences.map(String) : [],
        ...(typeof s.jwksUri === "string" ? { jwksUri: s.jwksUri } : {}),
      };
    }
  }
  const schemeNames = Object.keys(schemesIn);
  const apiKeySchemes = Object.values(auth).filter((s) => s.type === "apiKey");
  if (apiKeySchemes.length > 1) {
    add(
      ["auth", apiKeySchemes[1]?.name ?? ""],
      "only one apiKey scheme is allowed (every cloud reads one key header). List all consumers in one scheme.",
    );
  }

  const resolveAuth = (ref: unknown, at: PropertyKey[]): RouteAuth | undefined => {
    if (ref === undefined) return undefined;
    if (ref === "none") return { kind: "none" };
    const schemeName = typeof ref === "string" ? ref : isObj(ref) && typeof ref.scheme === "string" ? ref.scheme : undefined;
    if (schemeName === undefined) return undefined;
    const scheme = auth[schemeName];
    const scopes = isObj(ref) && Array.isArray(ref.scopes) ? ref.scopes.filter((x): x is string => typeof x === "string") : [];
    if (!scheme) {
      if (!schemesIn[schemeName]) {
        add(
          typeof ref === "string" ? at : [...at, "scheme"],
          `no auth scheme named "${schemeName}". ${suggest(schemeName, schemeNames, "scheme")} Use "none" for an open route.`,
        );
      }
      return undefined;
    }
    if (scheme.type === "apiKey") {
      if (scopes.length) add([...at, "scopes"], `scopes apply to jwt schemes only; "${schemeName}" is an apiKey scheme. Remove scopes.`);
      return { kind: "apiKey", scheme: schemeName };
    }
    return { kind: "jwt", scheme: schemeName, scopes: [...new Set(scopes)] };
  };

  const defaultsIn = isObj(raw.defaults) ? raw.defaults : {};
  const defaultAuth = resolveAuth(defaultsIn.auth, ["defaults", "auth"]);
  const defaultRate = rateLimitOf(defaultsIn.rateLimit);
  const defaultFn = isObj(defaultsIn.function) ? defaultsIn.function : {};
  checkRate(defaultsIn.rateLimit, ["defaults", "rateLimit"], add);
  checkScaling(defaultFn.scaling, ["defaults", "function", "scaling"], add);

  // Functions.
  const functions: Record<string, FunctionSpec> = {};
  const fnsIn = isObj(raw.functions) ? raw.functions : {};
  const modelDir = path.dirname(modelFile);
  for (const [name, f] of Object.entries(fnsIn).sort(([a], [b]) => cmp(a, b))) {
    const at = ["functions", name];
    if (!FUNCTION_NAME.test(name))
      add(at, 'function names are identifiers: a lowercase letter, then letters and digits (≤ 40), e.g. "listBooks"');
    if (!isObj(f)) continue;
    const handler = typeof f.handler === "string" ? parseHandler(f.handler, modelDir, [...at, "handler"], add) : undefined;
    checkScaling(f.scaling, [...at, "scaling"], add);
    const env: Record<string, string> = {};
    if (isObj(f.environment)) {
      for (const [k, v] of Object.entries(f.environment)) {
        if (!ENV_NAME.test(k)) add([...at, "environment", k], "environment names are UPPER_SNAKE_CASE (A-Z, 0-9, _)");
        else if (typeof v === "string" && SECRETISH.test(k) && v.length >= 8) {
          add(
            [...at, "environment", k],
            `looks like a secret in plain text. Move it to secrets: ["${k}"] and set it with \`pulumi config set --secret ${k} <value>\`.`,
          );
        }
        if (typeof v === "string") env[k] = v;
      }
    }
    const secrets: string[] = [];
    if (Array.isArray(f.secrets)) {
      f.secrets.forEach((s, i) => {
        if (typeof s !== "string") return;
        if (!ENV_NAME.test(s)) add([...at, "secrets", i], `"${s}" must be UPPER_SNAKE_CASE: it becomes an environment name`);
        else if (secrets.includes(s)) add([...at, "secrets", i], `"${s}" is listed twice`);
        else if (s in env) add([...at, "secrets", i], `"${s}" is also a plain environment value. Keep it in one place.`);
        else secrets.push(s);
      });
    }
    const fnScaling: Record<string, unknown> = isObj(f.scaling) ? f.scaling : {};
    const dScaling: Record<string, unknown> = isObj(defaultFn.scaling) ? defaultFn.scaling : {};
    const pick = (k: string) =>
      (typeof fnScaling[k] === "number" ? fnScaling[k] : typeof dScaling[k] === "number" ? dScaling[k] : undefined) as number | undefined;
    const max = pick("max");
    const concurrency = pick("concurrency");
    functions[name] = {
      name,
      file: handler?.file ?? "",
      relFile: handler?.relFile ?? "",
      export: handler?.exportName ?? "default",
      ...(typeof f.description === "string" ? { description: f.description } : {}),
      memoryMb: num(f.memoryMb) ?? num(defaultFn.memoryMb) ?? DEFAULTS.memoryMb,
      timeoutSeconds: num(f.timeoutSeconds) ?? num(defaultFn.timeoutSeconds) ?? DEFAULTS.timeoutSeconds,
      scaling: { min: pick("min") ?? 0, ...(max !== undefined ? { max } : {}), ...(concurrency !== undefined ? { concurrency } : {}) },
      environment: sortKeys(env),
      secrets: secrets.sort(),
      routes: [],
      ...(isObj(f.canary) && typeof f.canary.weight === "number" ? { canary: { weight: f.canary.weight } } : {}),
    };
  }
  const functionNames = Object.keys(fnsIn);

  // Routes.
  const routesIn = isObj(raw.routes) ? raw.routes : {};
  const parsedKeys: ParsedRouteKey[] = [];
  const routes: Route[] = [];
  const routeAt = (key: string): PropertyKey[] => ["routes", key];
  let unresolvedFunctions = false;
  for (const [rawKey, r] of Object.entries(routesIn)) {
    const at = routeAt(rawKey);
    const parsed = parseRouteKey(rawKey);
    if ("problems" in parsed) {
      for (const p of parsed.problems) add(at, `bad route key: ${p}.`);
      continue;
    }
    parsedKeys.push({ ...parsed, key: rawKey });
    if (!isObj(r)) continue;
    let target: RouteTarget | undefined;
    const hasFn = r.function !== undefined;
    const hasUp = r.upstream !== undefined;
    if (hasFn === hasUp) {
      add(at, hasFn ? "has both function and upstream. Keep exactly one." : 'needs a target: function: "<name>" or upstream: { url }.');
    } else if (hasFn && typeof r.function === "string") {
      if (!isObj(raw.functions)) {
        // "functions: is required" is already reported.
      } else if (!fnsIn[r.function]) {
        unresolvedFunctions = true;
        add([...at, "function"], `no function named "${r.function}". ${suggest(r.function, functionNames, "function")}`);
      } else target = { kind: "function", function: r.function };
    } else if (hasUp && isObj(r.upstream)) {
      const u = r.upstream;
      if ((u.url === undefined) === (u.targets === undefined)) {
        add([...at, "upstream"], "needs exactly one of url or targets.");
      } else if (typeof u.url === "string") {
        target = { kind: "upstream", targets: [{ url: u.url, weight: 100 }] };
      } else if (Array.isArray(u.targets)) {
        const targets = u.targets.filter(isObj).map((t) => ({ url: String(t.url), weight: Number(t.weight) }));
        const sum = targets.reduce((a, t) => a + t.weight, 0);
        if (targets.every((t) => Number.isInteger(t.weight)) && sum !== 100) {
          add([...at, "upstream", "targets"], `weights add up to ${sum}; they must add up to 100.`);
        }
        target = { kind: "upstream", targets };
      }
    }
    let routeAuth = resolveAuth(r.auth, [...at, "auth"]) ?? defaultAuth;
    if (!routeAuth && r.auth === undefined && defaultsIn.auth === undefined) {
      add(
        [...at, "auth"],
        'has no auth, and defaults.auth is not set. Name a scheme, or write auth: "none" to make the route public on purpose.',
      );
    }
    routeAuth ??= { kind: "none" };
    const cache = cacheOf(r.cache);
    if (r.cache !== undefined && parsed.method !== "GET" && parsed.method !== "HEAD") {
      add([...at, "cache"], "only GET and HEAD routes can be cached. Remove cache or change the method.");
    }
    if (cache) {
      cache.varyBy.headers.forEach((h, i) => {
        if (!HEADER.test(h)) add([...at, "cache", "varyBy", "headers", i], `"${h}" is not a valid header name`);
      });
    }
    if (r.cache !== undefined && target?.kind === "upstream") {
      // Allowed: the gateway caches upstream responses too.
    }
    checkRate(r.rateLimit, [...at, "rateLimit"], add);
    const rateLimit = rateLimitOf(r.rateLimit) ?? defaultRate;
    if (!target) continue;
    routes.push({
      key: parsed.key,
      method: parsed.method,
      path: parsed.path,
      segments: parsed.segments,
      params: parsed.params,
      ...(parsed.greedy ? { greedy: parsed.greedy } : {}),
      target,
      auth: routeAuth,
      ...(rateLimit ? { rateLimit } : {}),
      ...(cache ? { cache } : {}),
      ...(typeof r.description === "string" ? { description: r.description } : {}),
    });
  }
  if (Object.keys(routesIn).length === 0 && isObj(raw.routes))
    add(["routes"], 'is empty. Add a route, e.g. "GET /health": { function: "health", auth: "none" }.');
  const conflicts = routeConflicts(parsedKeys, (k) => formatPath(routeAt(k)));
  issues.push(...conflicts);
  const conflicting = new Set(conflicts.map((c) => c.path));
  issues.push(...paramNameClashes(parsedKeys, (k) => formatPath(routeAt(k))).filter((i) => !conflicting.has(i.path)));

  // Functions no route uses are almost always a mistake; say so rather than deploy dead code
  // (unless a route names an unknown function: that typo is the likelier cause, already reported).
  const used = new Set(Object.values(routesIn).flatMap((r) => (isObj(r) && typeof r.function === "string" ? [r.function] : [])));
  if (!unresolvedFunctions && Object.keys(routesIn).length > 0) {
    for (const name of functionNames) {
      if (!used.has(name)) add(["functions", name], "no route uses this function. Add a route for it or remove it.");
    }
  }

  routes.sort((a, b) => cmp(a.path, b.path) || cmp(a.method, b.method));
  for (const r of routes) if (r.target.kind === "function") functions[r.target.function]?.routes.push(r.key);

  // CORS.
  let cors: Cors | undefined;
  if (isObj(raw.cors)) {
    const c = raw.cors;
    const origins = Array.isArray(c.allowOrigins) ? c.allowOrigins.filter((o): o is string => typeof o === "string") : [];
    origins.forEach((o, i) => {
      const problem = originProblem(o);
      if (problem) add(["cors", "allowOrigins", i], problem);
    });
    const headers = Array.isArray(c.allowHeaders)
      ? c.allowHeaders.filter((h): h is string => typeof h === "string")
      : [...DEFAULTS.corsHeaders];
    headers.forEach((h, i) => {
      if (h === "*")
        add(
          ["cors", "allowHeaders", i],
          'a wildcard header list is not portable. List the headers, e.g. ["content-type", "authorization"].',
        );
      else if (!HEADER.test(h)) add(["cors", "allowHeaders", i], `"${h}" is not a valid header name`);
    });
    const methodsUsed = [
      ...new Set(routes.flatMap((r) => (r.method === "ANY" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : [r.method]))),
    ] as Method[];
    cors = {
      allowOrigins: origins,
      allowMethods: (Array.isArray(c.allowMethods) ? (c.allowMethods as Method[]) : methodsUsed).slice().sort(),
      allowHeaders: headers.map((h) => h.toLowerCase()),
      exposeHeaders: Array.isArray(c.exposeHeaders) ? c.exposeHeaders.map((h) => String(h).toLowerCase()) : [],
      allowCredentials: c.allowCredentials === true,
      maxAgeSeconds: num(c.maxAgeSeconds) ?? DEFAULTS.corsMaxAgeSeconds,
    };
  }

  // Tags (portable: GCP label rules are the strictest of the three clouds).
  const tags: Record<string, string> = {};
  if (isObj(raw.tags)) {
    for (const [k, v] of Object.entries(raw.tags)) {
      if (!TAG_KEY.test(k))
        add(
          ["tags", k],
          "tag keys must be lowercase letters, digits, '_' and '-', starting with a letter, ≤ 63 (GCP label rules, so one model tags every cloud)",
        );
      if (typeof v === "string" && !TAG_VALUE.test(v))
        add(["tags", k], `value "${v}" must be lowercase letters, digits, '_' and '-', ≤ 63 (GCP label rules)`);
      if (["app", "stack", "function", "route"].includes(k))
        add(["tags", k], `"${k}" is set by switchyard on every resource. Use another key.`);
      if (typeof v === "string") tags[k] = v;
    }
  }

  const domain = domainOf(raw.domain, add);
  const alerts = alertsOf(raw.alerts, add);

  const logging = isObj(raw.logging) ? raw.logging : {};
  if (issues.length || typeof raw.name !== "string") return undefined;
  return {
    name: raw.name,
    ...(typeof raw.description === "string" ? { description: raw.description } : {}),
    modelFile,
    auth: sortKeys(auth),
    ...(cors ? { cors } : {}),
    logging: {
      access: typeof logging.access === "boolean" ? logging.access : DEFAULTS.logging.access,
      retentionDays: num(logging.retentionDays) ?? DEFAULTS.logging.retentionDays,
    },
    tags: sortKeys(tags),
    ...(domain ? { domain } : {}),
    ...(alerts ? { alerts } : {}),
    tracing: typeof raw.tracing === "boolean" ? raw.tracing : DEFAULTS.tracing,
    functions,
    routes,
  };
}

/** The problem with a DNS name, or undefined: lowercase, ≥ 2 labels, RFC 1123 label rules. */
export function hostnameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return `"${name}" must be lowercase. Use "${name.toLowerCase()}".`;
  if (name.endsWith(".")) return `"${name}" must not end with '.'. Use "${name.slice(0, -1)}".`;
  const labels = name.split(".");
  if (labels.length < 2) return `"${name}" needs at least two labels, e.g. "api.example.com".`;
  if (name.length > 253) return `"${name}" is longer than 253 characters.`;
  const bad = labels.find((l) => !HOST_LABEL.test(l));
  if (bad !== undefined) return `"${name}": label "${bad}" must be 1-63 lowercase letters, digits and inner '-' (no '*', '_' or spaces).`;
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return `"${name}" looks like an IP address; a domain needs a DNS name.`;
  return undefined;
}

function domainOf(d: unknown, add: (p: PropertyKey[], m: string) => void): Domain | undefined {
  if (d === null || typeof d !== "object" || Array.isArray(d)) return undefined;
  const x = d as Record<string, unknown>;
  if (typeof x.name !== "string") return undefined;
  const problem = hostnameProblem(x.name);
  if (problem) add(["domain", "name"], problem);
  const certificate = typeof x.certificate === "string" ? x.certificate : "managed";
  if (certificate !== "managed" && (certificate.trim() === "" || /\s/.test(certificate))) {
    add(["domain", "certificate"], `"${certificate}" must be "managed" or a certificate reference without spaces.`);
  }
  return { name: x.name, certificate };
}

function alertsOf(a: unknown, add: (p: PropertyKey[], m: string) => void): Alerts | undefined {
  if (a === null || typeof a !== "object" || Array.isArray(a)) return undefined;
  const x = a as Record<string, unknown>;
  const notify: AlertTarget[] = [];
  const seen = new Set<string>();
  if (Array.isArray(x.notify)) {
    x.notify.forEach((n, i) => {
      if (typeof n !== "string") return;
      if (seen.has(n)) add(["alerts", "notify", i], `"${n}" is listed twice`);
      seen.add(n);
      if (/^[a-z][a-z0-9+.-]*:/i.test(n)) {
        if (isHttpsUrl(n)) notify.push({ kind: "webhook", url: n });
        else add(["alerts", "notify", i], `"${n}" is not an https webhook URL (plain http and other schemes are not allowed).`);
      } else if (EMAIL.test(n)) notify.push({ kind: "email", address: n });
      else add(["alerts", "notify", i], `"${n}" is neither an email address nor an https webhook URL.`);
    });
  }
  return {
    errorRatePercent: num(x.errorRatePercent) ?? DEFAULTS.alerts.errorRatePercent,
    p99LatencyMs: num(x.p99LatencyMs) ?? DEFAULTS.alerts.p99LatencyMs,
    notify,
  };
}

function parseHandler(ref: string, modelDir: string, at: PropertyKey[], add: (p: PropertyKey[], m: string) => void) {
  const [file = "", exportName = "default", ...rest] = ref.split("#");
  if (rest.length || !file || exportName === "") {
    add(at, `"${ref}" must be "<file>#<export>" or "<file>", e.g. "functions/books.ts#list"`);
    return undefined;
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    add(at, `"${exportName}" is not a valid export name`);
    return undefined;
  }
  if (path.isAbsolute(file)) {
    add(at, `"${file}" must be a path relative to the model file, e.g. "functions/books.ts"`);
    return undefined;
  }
  if (!/\.(ts|mts|js|mjs)$/.test(file)) {
    add(at, `"${file}" must be a .ts, .mts, .js or .mjs file`);
    return undefined;
  }
  const abs = path.resolve(modelDir, file);
  if (!fs.existsSync(abs)) {
    add(at, `file "${file}" does not exist (looked in ${modelDir}). Create it or fix the path.`);
    return undefined;
  }
  return { file: abs, relFile: file.split(path.sep).join("/"), exportName };
}

function checkRate(r: unknown, at: PropertyKey[], add: (p: PropertyKey[], m: string) => void) {
  if (r === null || typeof r !== "object") return;
  const { ratePerSecond, burst } = r as Record<string, unknown>;
  if (typeof ratePerSecond === "number" && typeof burst === "number" && burst < ratePerSecond && ratePerSecond >= 1) {
    add(
      [...at, "burst"],
      `burst (${burst}) is below ratePerSecond (${ratePerSecond}): the gateway could never serve the steady rate. Set burst ≥ ${Math.ceil(ratePerSecond)}.`,
    );
  }
}

function checkScaling(s: unknown, at: PropertyKey[], add: (p: PropertyKey[], m: string) => void) {
  if (s === null || typeof s !== "object") return;
  const { min, max } = s as Record<string, unknown>;
  if (typeof min === "number" && typeof max === "number" && min > max) {
    add([...at, "min"], `min (${min}) is above max (${max}). Lower min or raise max.`);
  }
}

function rateLimitOf(r: unknown): RateLimit | undefined {
  if (r === null || typeof r !== "object") return undefined;
  const x = r as RateLimitInput;
  return {
    ratePerSecond: x.ratePerSecond,
    burst: x.burst,
    ...(x.quota ? { quota: { limit: x.quota.limit, period: x.quota.period } } : {}),
  };
}

function cacheOf(c: unknown): Cache | undefined {
  if (c === null || typeof c !== "object") return undefined;
  const x = c as { ttlSeconds: number; varyBy?: { query?: string[]; headers?: string[] } };
  return {
    ttlSeconds: x.ttlSeconds,
    varyBy: {
      query: [...(x.varyBy?.query ?? [])].sort(),
      headers: [...(x.varyBy?.headers ?? [])].map((h) => String(h).toLowerCase()).sort(),
    },
  };
}

function originProblem(o: string): string | undefined {
  if (o === "*" || o.includes("*")) return `"${o}": wildcard origins are not allowed. List each origin, e.g. "https://app.example.com".`;
  let u: URL;
  try {
    u = new URL(o);
  } catch {
    return `"${o}" is not an origin. Write scheme and host, e.g. "https://app.example.com".`;
  }
  if (u.origin !== o) return `"${o}" is not a bare origin (no path or trailing '/'). Use "${u.origin}".`;
  if (u.protocol === "http:" && !["localhost", "127.0.0.1"].includes(u.hostname)) {
    return `"${o}" uses plain http. Use https (http is allowed only for localhost).`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return `"${o}" must be an http(s) origin`;
  return undefined;
}

/** At one position under one prefix, parameters must share a name (REST resource trees need it). */
function paramNameClashes(routes: ParsedRouteKey[], at: (key: string) => string): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const seen = new Map<string, { name: string; key: string }>();
  for (const r of routes) {
    let prefix = "";
    for (const s of r.segments) {
      if (s.kind === "static") {
        prefix += `/${s.value}`;
        continue;
      }
      const prior = seen.get(prefix);
      if (prior && prior.name !== s.name) {
        issues.push({
          path: at(r.key),
          message: `names the parameter at "${prefix}/…" "{${s.name}}", but "${prior.key}" names it "{${prior.name}}". Use one name at one position (API Gateway and APIM require it).`,
        });
        break;
      }
      if (!prior) seen.set(prefix, { name: s.name, key: r.key });
      prefix += "/{}";
    }
  }
  return issues;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => cmp(a, b)));
}

function dedupe(issues: ModelIssue[]): ModelIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
