import fc from "fast-check";
import type { ApiInput } from "../../model";

/**
 * Generators of valid models (their handlers are `functions/hello.ts#hello` beside the model file).
 * Every feature of the model appears: API-key and JWT schemes (with scopes), default and per-route
 * rate limits with quotas, response caches with vary-by, single and weighted upstream routes, CORS,
 * logging, tags, function memory / timeout / scaling / environment / secrets / canary, a custom
 * domain, alerts and tracing. Some combinations are refused by a cloud's capability check (that is
 * part of what the plan property tests); secrets use `PAYMENT_KEY`, the one every dev stack sets.
 */

const ident = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const segment = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "ANY");
const quota = fc.record({ limit: fc.integer({ min: 1, max: 1_000_000 }), period: fc.constantFrom("minute", "hour", "day", "month") });
const rate = fc.record(
  { ratePerSecond: fc.integer({ min: 1, max: 1000 }), burst: fc.integer({ min: 1000, max: 2000 }), quota },
  { requiredKeys: ["ratePerSecond", "burst"] },
);
const https = fc.constantFrom("https://a.example.com", "https://b.example.org/v1", "https://legacy.example.net");
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/).filter((k) => k !== "PAYMENT_KEY");

/** What one route does besides its path and method: target, auth, limits, cache. */
const routeExtras = fc.record({
  upstream: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: https.map((url) => ({ url })), weight: 1 },
    {
      arbitrary: fc.integer({ min: 1, max: 99 }).map((w) => ({
        targets: [
          { url: "https://a.example.com", weight: w },
          { url: "https://b.example.com", weight: 100 - w },
        ],
      })),
      weight: 1,
    },
  ),
  auth: fc.constantFrom("none", "keys", "jwt"),
  scopes: fc.uniqueArray(fc.constantFrom("read", "write", "orders:write"), { maxLength: 2 }),
  rateLimit: fc.option(rate, { nil: undefined, freq: 4 }),
  cache: fc.option(
    fc.record(
      {
        ttlSeconds: fc.integer({ min: 1, max: 3600 }),
        varyBy: fc.record(
          {
            query: fc.uniqueArray(fc.constantFrom("page", "q", "sort"), { maxLength: 2 }),
            headers: fc.uniqueArray(fc.constantFrom("accept-language", "x-tenant"), { maxLength: 1 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ["ttlSeconds"] },
    ),
    { nil: undefined, freq: 3 },
  ),
});

const functionExtras = fc.record(
  {
    scaling: fc.record(
      { min: fc.integer({ min: 0, max: 3 }), max: fc.integer({ min: 3, max: 100 }), concurrency: fc.integer({ min: 1, max: 100 }) },
      { requiredKeys: [] },
    ),
    environment: fc.dictionary(envName, fc.stringMatching(/^[a-zA-Z0-9 _.-]{0,12}$/), { maxKeys: 2 }),
    secrets: fc.constant<string[]>(["PAYMENT_KEY"]),
    canary: fc.integer({ min: 1, max: 99 }).map((weight) => ({ weight })),
  },
  { requiredKeys: [] },
);

export const validModel: fc.Arbitrary<ApiInput> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{1,10}[a-z0-9]$/),
    description: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    fnNames: fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }),
    fnExtras: fc.array(fc.option(functionExtras, { nil: undefined, freq: 2 }), { minLength: 4, maxLength: 4 }),
    paths: fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
      selector: (p) => p[0],
    }),
    methods: fc.array(method, { minLength: 6, maxLength: 6 }),
    withParam: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    routeExtras: fc.array(routeExtras, { minLength: 6, maxLength: 6 }),
    // Mostly sizes every cloud accepts, sometimes the model's full range (which some clouds refuse).
    memory: fc.oneof(
      { arbitrary: fc.integer({ min: 128, max: 2048 }), weight: 4 },
      { arbitrary: fc.integer({ min: 128, max: 10240 }), weight: 1 },
    ),
    timeout: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 25 }), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 900 }), weight: 1 },
    ),
    jwt: fc.option(
      fc.record({
        issuer: fc.constantFrom("https://login.example.com/", "https://issuer.example.org"),
        audiences: fc.uniqueArray(fc.constantFrom("api://shop", "shop-api"), { minLength: 1, maxLength: 2 }),
        jwksUri: fc.option(fc.constant("https://login.example.com/.well-known/jwks.json"), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    rateLimit: fc.option(rate, { nil: undefined }),
    cors: fc.option(
      fc.record(
        {
          allowOrigins: fc.uniqueArray(fc.constantFrom("https://app.example.com", "https://admin.example.com"), {
            minLength: 1,
            maxLength: 2,
          }),
          allowMethods: fc.uniqueArray(fc.constantFrom("GET", "POST", "PUT", "DELETE"), { minLength: 1, maxLength: 3 }),
          allowHeaders: fc.uniqueArray(fc.constantFrom("content-type", "authorization", "x-api-key"), { maxLength: 3 }),
          allowCredentials: fc.boolean(),
          maxAgeSeconds: fc.integer({ min: 0, max: 86400 }),
        },
        { requiredKeys: ["allowOrigins"] },
      ),
      { nil: undefined },
    ),
    logging: fc.option(fc.record({ access: fc.boolean(), retentionDays: fc.constantFrom(1, 7, 14, 30, 90, 365) }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    tags: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((k) => !["app", "stack", "function", "route"].includes(k)),
      fc.stringMatching(/^[a-z0-9_-]{0,8}$/),
      { maxKeys: 3 },
    ),
    domain: fc.option(
      fc.record(
        { name: fc.constantFrom("api.example.com", "shop.example.org"), certificate: fc.constant("managed") },
        { requiredKeys: ["name"] },
      ),
      { nil: undefined, freq: 4 },
    ),
    alerts: fc.option(
      fc.record(
        {
          errorRatePercent: fc.integer({ min: 1, max: 100 }),
          p99LatencyMs: fc.integer({ min: 1, max: 900_000 }),
          notify: fc.uniqueArray(fc.constantFrom("ops@example.com", "https://hooks.example.com/alerts"), { minLength: 1, maxLength: 2 }),
        },
        { requiredKeys: ["notify"] },
      ),
      { nil: undefined, freq: 4 },
    ),
    tracing: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((g) => {
    const functions: ApiInput["functions"] = {};
    g.fnNames.forEach((f, i) => {
      functions[f] = { handler: "functions/hello.ts#hello", memoryMb: g.memory, timeoutSeconds: g.timeout, ...(g.fnExtras[i] ?? {}) };
    });
    const auth: NonNullable<ApiInput["auth"]> = { keys: { type: "apiKey", consumers: ["alice", "bob"] } };
    if (g.jwt) auth.users = { type: "jwt", ...g.jwt };
    const routes: ApiInput["routes"] = {};
    const used = new Set<string>();
    g.paths.forEach((p, i) => {
      const x = g.routeExtras[i] as (typeof g.routeExtras)[number];
      const m = g.methods[i] as string;
      // Paths differ in their first segment, so they never conflict; a parameter goes last.
      const path = `/${p.join("/")}${g.withParam[i] ? "/{id}" : ""}`;
      const fn = g.fnNames[i % g.fnNames.length] as string;
      const routeAuth =
        x.auth === "jwt" && g.jwt
          ? { scheme: "users", ...(x.scopes.length ? { scopes: x.scopes } : {}) }
          : x.auth === "keys"
            ? "keys"
            : "none";
      // Upstreams take the path's tail with a greedy parameter; caches need GET.
      const upstream = x.upstream && i > 0;
      const key = upstream ? `${m} /${p.join("/")}/{rest+}` : `${m} ${path}`;
      if (!upstream) used.add(fn);
      routes[key] = {
        ...(upstream ? { upstream: x.upstream } : { function: fn }),
        auth: routeAuth,
        ...(x.rateLimit ? { rateLimit: x.rateLimit } : {}),
        ...(x.cache && m === "GET" ? { cache: x.cache } : {}),
      };
    });
    // Every function must be used by some route.
    g.fnNames.forEach((f, i) => {
      if (!used.has(f)) routes[`GET /extra${i}`] = { function: f, auth: "none" };
    });
    return {
      name: g.name,
      ...(g.description !== undefined ? { description: g.description } : {}),
      auth,
      ...(g.rateLimit ? { defaults: { rateLimit: g.rateLimit } } : {}),
      ...(g.cors ? { cors: g.cors } : {}),
      ...(g.logging ? { logging: g.logging } : {}),
      tags: g.tags,
      ...(g.domain ? { domain: g.domain } : {}),
      ...(g.alerts ? { alerts: g.alerts } : {}),
      ...(g.tracing !== undefined ? { tracing: g.tracing } : {}),
      functions,
      routes,
    } satisfies ApiInput;
  });
