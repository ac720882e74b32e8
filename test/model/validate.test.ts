import * as assert from "node:assert/strict";
import { formatIssue, ModelError, validate } from "../../model";
import { MINI_FILE, validRaw } from "../support/models";

// biome-ignore lint/suspicious/noExplicitAny: raw model objects, edited freely before validation
type Raw = Record<string, any>;

/** Runs validate on a mutated copy of the valid model and returns the issues as "path: message". */
function issuesOf(mutate: (m: Raw) => void): string[] {
  const m = structuredClone(validRaw()) as Raw;
  mutate(m);
  try {
    validate(m, MINI_FILE);
  } catch (e) {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${e}`);
    return e.issues.map(formatIssue);
  }
  return [];
}

// Each case: a mistake, and exactly the issues it must produce (path and message).
const CASES: [string, (m: Raw) => void, string[]][] = [
  ["missing name", (m) => delete m.name, ["name: is required"]],
  [
    "name with capitals",
    (m) => (m.name = "Shop"),
    ["name: must be 3-24 characters of lowercase letters, digits and '-', starting with a letter"],
  ],
  [
    "name too long",
    (m) => (m.name = "a".repeat(25)),
    ["name: must be 3-24 characters of lowercase letters, digits and '-', starting with a letter"],
  ],
  ["name not a string", (m) => (m.name = 7), ["name: must be a string"]],
  ["unknown top-level key", (m) => (m.rout = {}), ['rout: unknown key. Did you mean "routes"?']],
  [
    "unknown key far from any",
    (m) => (m.zzzzzz = 1),
    [
      "zzzzzz: unknown key. Allowed keys: name, description, auth, defaults, cors, logging, tags, domain, alerts, tracing, functions, routes.",
    ],
  ],
  ["missing functions", (m) => delete m.functions, ["functions: is required"]],
  ["missing routes", (m) => delete m.routes, ["routes: is required"]],
  ["empty routes", (m) => (m.routes = {}), ['routes: is empty. Add a route, e.g. "GET /health": { function: "health", auth: "none" }.']],
  [
    "route to unknown function (typo)",
    (m) => (m.routes["GET /hello/{name}"].function = "helo"),
    ['routes["GET /hello/{name}"].function: no function named "helo". Did you mean "hello"?'],
  ],
  [
    "route to unknown function (far)",
    (m) => (m.routes["GET /hello/{name}"].function = "zzzzzzzz"),
    ['routes["GET /hello/{name}"].function: no function named "zzzzzzzz". Declared functions: "hello", "plain".'],
  ],
  [
    "bad method",
    (m) => (m.routes["FETCH /x"] = { function: "plain" }),
    ['routes["FETCH /x"]: bad route key: unknown method "FETCH". Use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.'],
  ],
  [
    "lowercase method",
    (m) => (m.routes["get /x"] = { function: "plain" }),
    ['routes["get /x"]: bad route key: write the method in capitals: "GET /x".'],
  ],
  [
    "no path",
    (m) => (m.routes.GET = { function: "plain" }),
    ['routes.GET: bad route key: must be "METHOD /path", e.g. "GET /books/{id}".'],
  ],
  [
    "path without slash",
    (m) => (m.routes["GET x"] = { function: "plain" }),
    ['routes["GET x"]: bad route key: must be "METHOD /path", e.g. "GET /books/{id}".'],
  ],
  [
    "trailing slash",
    (m) => (m.routes["GET /x/"] = { function: "plain" }),
    ["routes[\"GET /x/\"]: bad route key: remove the trailing '/'."],
  ],
  [
    "empty segment",
    (m) => (m.routes["GET /x//y"] = { function: "plain" }),
    ["routes[\"GET /x//y\"]: bad route key: empty path segment ('//')."],
  ],
  [
    "partial-segment param",
    (m) => (m.routes["GET /x/a{id}"] = { function: "plain" }),
    ['routes["GET /x/a{id}"]: bad route key: segment "a{id}": a parameter must be a whole segment, "{name}" or "{name+}".'],
  ],
  [
    "greedy not last",
    (m) => (m.routes["GET /x/{p+}/y"] = { function: "plain" }),
    ['routes["GET /x/{p+}/y"]: bad route key: greedy "{p+}" must be the last path segment.'],
  ],
  [
    "duplicate param",
    (m) => (m.routes["GET /x/{a}/{a}"] = { function: "plain" }),
    ['routes["GET /x/{a}/{a}"]: bad route key: path parameter "{a}" appears twice.'],
  ],
  [
    "odd characters",
    (m) => (m.routes["GET /x/a b"] = { function: "plain" }),
    ['routes["GET /x/a b"]: bad route key: must be "METHOD /path", e.g. "GET /books/{id}".'],
  ],
  [
    "conflicting routes",
    (m) => (m.routes["GET /hello/{who}"] = { function: "hello", auth: "none" }),
    [
      'routes["GET /hello/{who}"]: conflicts with "GET /hello/{name}": both match the same requests. Merge them or make the paths differ by a fixed segment.',
    ],
  ],
  [
    "param names disagree",
    (m) => (m.routes["GET /hello/{who}/friends"] = { function: "hello", auth: "none" }),
    [
      'routes["GET /hello/{who}/friends"]: names the parameter at "/hello/…" "{who}", but "GET /hello/{name}" names it "{name}". Use one name at one position (API Gateway and APIM require it).',
    ],
  ],
  [
    "both function and upstream",
    (m) => (m.routes["POST /plain"].upstream = { url: "https://a.example.com" }),
    ['routes["POST /plain"]: has both function and upstream. Keep exactly one.'],
  ],
  [
    "neither function nor upstream",
    (m) => (m.routes["GET /empty"] = { auth: "none" }),
    ['routes["GET /empty"]: needs a target: function: "<name>" or upstream: { url }.'],
  ],
  [
    "upstream over http",
    (m) => (m.routes["ANY /proxy/{path+}"].upstream.url = "http://backend.example.com"),
    ['routes["ANY /proxy/{path+}"].upstream.url: must be an absolute https:// URL (plain http is not allowed)'],
  ],
  [
    "upstream with credentials in URL",
    (m) => (m.routes["ANY /proxy/{path+}"].upstream.url = "https://u:p@backend.example.com"),
    ['routes["ANY /proxy/{path+}"].upstream.url: must be an absolute https:// URL (plain http is not allowed)'],
  ],
  [
    "weights not 100",
    (m) =>
      (m.routes["ANY /proxy/{path+}"].upstream = {
        targets: [
          { url: "https://a.example.com", weight: 50 },
          { url: "https://b.example.com", weight: 20 },
        ],
      }),
    ['routes["ANY /proxy/{path+}"].upstream.targets: weights add up to 70; they must add up to 100.'],
  ],
  [
    "single weighted target",
    (m) => (m.routes["ANY /proxy/{path+}"].upstream = { targets: [{ url: "https://a.example.com", weight: 100 }] }),
    ['routes["ANY /proxy/{path+}"].upstream.targets: needs at least 2 targets (use url for a single backend)'],
  ],
  [
    "unknown auth scheme (typo)",
    (m) => (m.routes["POST /plain"].auth = { scheme: "user" }),
    ['routes["POST /plain"].auth.scheme: no auth scheme named "user". Did you mean "users"? Use "none" for an open route.'],
  ],
  [
    "unknown default auth",
    (m) => (m.defaults.auth = "partner"),
    ['defaults.auth: no auth scheme named "partner". Did you mean "partners"? Use "none" for an open route.'],
  ],
  [
    "route without any auth",
    (m) => {
      delete m.defaults.auth;
      delete m.routes["GET /hello/{name}"].auth;
    },
    [
      'routes["GET /hello/{name}"].auth: has no auth, and defaults.auth is not set. Name a scheme, or write auth: "none" to make the route public on purpose.',
      'routes["GET /items"].auth: has no auth, and defaults.auth is not set. Name a scheme, or write auth: "none" to make the route public on purpose.',
      'routes["ANY /proxy/{path+}"].auth: has no auth, and defaults.auth is not set. Name a scheme, or write auth: "none" to make the route public on purpose.',
    ],
  ],
  [
    "scopes on an apiKey scheme",
    (m) => (m.routes["POST /plain"].auth = { scheme: "partners", scopes: ["x"] }),
    ['routes["POST /plain"].auth.scopes: scopes apply to jwt schemes only; "partners" is an apiKey scheme. Remove scopes.'],
  ],
  [
    "jwt issuer over http",
    (m) => (m.auth.users.issuer = "http://login.example.com/"),
    ["auth.users.issuer: must be an absolute https:// URL (plain http is not allowed)"],
  ],
  ["jwt without audiences", (m) => (m.auth.users.audiences = []), ["auth.users.audiences: needs at least one audience"]],
  ["jwt key typo", (m) => (m.auth.users.issuers = "x"), ['auth.users.issuers: unknown key. Did you mean "issuer"?']],
  ["unknown scheme type", (m) => (m.auth.users.type = "oauth"), ['auth.users.type: unknown scheme type "oauth". Use "apiKey" or "jwt".']],
  ["apiKey without consumers", (m) => (m.auth.partners.consumers = []), ["auth.partners.consumers: needs at least one consumer"]],
  [
    "bad consumer name",
    (m) => (m.auth.partners.consumers = ["Acme Corp"]),
    ["auth.partners.consumers[0]: \"Acme Corp\" must be lowercase letters, digits and '-', starting with a letter (≤ 40)"],
  ],
  [
    "duplicate consumer",
    (m) => (m.auth.partners.consumers = ["acme", "acme"]),
    ['auth.partners.consumers[1]: consumer "acme" is listed twice'],
  ],
  [
    "two apiKey schemes",
    (m) => (m.auth.more = { type: "apiKey", consumers: ["x"] }),
    ["auth.more: only one apiKey scheme is allowed (every cloud reads one key header). List all consumers in one scheme."],
  ],
  [
    "scheme named none",
    (m) => (m.auth.none = { type: "apiKey", consumers: ["x"] }),
    [
      'auth.none: "none" is reserved for open routes. Rename the scheme.',
      "auth.none: only one apiKey scheme is allowed (every cloud reads one key header). List all consumers in one scheme.",
    ],
  ],
  ["memory too small", (m) => (m.functions.hello.memoryMb = 64), ["functions.hello.memoryMb: must be at least 128 MB"]],
  ["memory not integer", (m) => (m.functions.hello.memoryMb = 256.5), ["functions.hello.memoryMb: must be a whole number"]],
  ["timeout too long", (m) => (m.functions.hello.timeoutSeconds = 901), ["functions.hello.timeoutSeconds: must be at most 900 seconds"]],
  ["timeout as string", (m) => (m.functions.hello.timeoutSeconds = "10"), ["functions.hello.timeoutSeconds: must be a number"]],
  [
    "scaling min above max",
    (m) => (m.functions.hello.scaling = { min: 5, max: 2 }),
    ["functions.hello.scaling.min: min (5) is above max (2). Lower min or raise max."],
  ],
  ["scaling typo", (m) => (m.functions.hello.scaling = { maxx: 2 }), ['functions.hello.scaling.maxx: unknown key. Did you mean "max"?']],
  ["function key typo", (m) => (m.functions.hello.memory = 512), ['functions.hello.memory: unknown key. Did you mean "memoryMb"?']],
  ["missing handler", (m) => delete m.functions.hello.handler, ["functions.hello.handler: is required"]],
  [
    "handler file missing",
    (m) => (m.functions.hello.handler = "functions/nope.ts#x"),
    [
      `functions.hello.handler: file "functions/nope.ts" does not exist (looked in ${require("node:path").dirname(MINI_FILE)}). Create it or fix the path.`,
    ],
  ],
  [
    "handler absolute",
    (m) => (m.functions.hello.handler = "/srv/x.ts"),
    ['functions.hello.handler: "/srv/x.ts" must be a path relative to the model file, e.g. "functions/books.ts"'],
  ],
  [
    "handler bad extension",
    (m) => (m.functions.hello.handler = "functions/hello.py"),
    ['functions.hello.handler: "functions/hello.py" must be a .ts, .mts, .js or .mjs file'],
  ],
  [
    "handler two hashes",
    (m) => (m.functions.hello.handler = "functions/hello.ts#a#b"),
    ['functions.hello.handler: "functions/hello.ts#a#b" must be "<file>#<export>" or "<file>", e.g. "functions/books.ts#list"'],
  ],
  [
    "bad function name",
    (m) => {
      m.functions["list-books"] = { handler: "functions/hello.ts" };
      m.routes["GET /books"] = { function: "list-books" };
    },
    ['functions["list-books"]: function names are identifiers: a lowercase letter, then letters and digits (≤ 40), e.g. "listBooks"'],
  ],
  [
    "bad env name",
    (m) => (m.functions.hello.environment = { "my-var": "x" }),
    ['functions.hello.environment["my-var"]: environment names are UPPER_SNAKE_CASE (A-Z, 0-9, _)'],
  ],
  [
    "secret in plain env",
    (m) => (m.functions.hello.environment = { DB_PASSWORD: "hunter2hunter2" }),
    [
      'functions.hello.environment.DB_PASSWORD: looks like a secret in plain text. Move it to secrets: ["DB_PASSWORD"] and set it with `pulumi config set --secret DB_PASSWORD <value>`.',
    ],
  ],
  [
    "bad secret name",
    (m) => (m.functions.hello.secrets = ["db-key"]),
    ['functions.hello.secrets[0]: "db-key" must be UPPER_SNAKE_CASE: it becomes an environment name'],
  ],
  [
    "unused function",
    (m) => (m.functions.extra = { handler: "functions/hello.ts" }),
    ["functions.extra: no route uses this function. Add a route for it or remove it."],
  ],
  ["rate zero", (m) => (m.defaults.rateLimit.ratePerSecond = 0), ["defaults.rateLimit.ratePerSecond: must be greater than 0"]],
  [
    "burst below rate",
    (m) => (m.routes["POST /plain"].rateLimit = { ratePerSecond: 10, burst: 5 }),
    [
      'routes["POST /plain"].rateLimit.burst: burst (5) is below ratePerSecond (10): the gateway could never serve the steady rate. Set burst ≥ 10.',
    ],
  ],
  [
    "bad quota period",
    (m) => (m.routes["POST /plain"].rateLimit = { ratePerSecond: 1, burst: 1, quota: { limit: 10, period: "week" } }),
    ['routes["POST /plain"].rateLimit.quota.period: must be one of minute, hour, day, month'],
  ],
  [
    "cache on POST",
    (m) => (m.routes["POST /plain"].cache = { ttlSeconds: 10 }),
    ['routes["POST /plain"].cache: only GET and HEAD routes can be cached. Remove cache or change the method.'],
  ],
  [
    "cache ttl too long",
    (m) => (m.routes["GET /items"].cache.ttlSeconds = 7200),
    ['routes["GET /items"].cache.ttlSeconds: must be at most 3600 seconds'],
  ],
  [
    "cache vary typo",
    (m) => (m.routes["GET /items"].cache.varyBy = { queries: ["a"] }),
    ['routes["GET /items"].cache.varyBy.queries: unknown key. Did you mean "query"?'],
  ],
  [
    "cors wildcard",
    (m) => (m.cors.allowOrigins = ["*"]),
    ['cors.allowOrigins[0]: "*": wildcard origins are not allowed. List each origin, e.g. "https://app.example.com".'],
  ],
  [
    "cors http origin",
    (m) => (m.cors.allowOrigins = ["http://shop.example.com"]),
    ['cors.allowOrigins[0]: "http://shop.example.com" uses plain http. Use https (http is allowed only for localhost).'],
  ],
  [
    "cors origin with path",
    (m) => (m.cors.allowOrigins = ["https://shop.example.com/"]),
    ['cors.allowOrigins[0]: "https://shop.example.com/" is not a bare origin (no path or trailing \'/\'). Use "https://shop.example.com".'],
  ],
  ["cors empty", (m) => (m.cors.allowOrigins = []), ["cors.allowOrigins: needs at least one origin"]],
  [
    "cors bad method",
    (m) => (m.cors.allowMethods = ["FETCH"]),
    ["cors.allowMethods[0]: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"],
  ],
  ["cors max age too long", (m) => (m.cors.maxAgeSeconds = 100000), ["cors.maxAgeSeconds: must be at most 86400 seconds"]],
  ["logging retention zero", (m) => (m.logging = { retentionDays: 0 }), ["logging.retentionDays: must be at least 1 days"]],
  [
    "tag key uppercase",
    (m) => (m.tags = { Team: "x" }),
    [
      "tags.Team: tag keys must be lowercase letters, digits, '_' and '-', starting with a letter, ≤ 63 (GCP label rules, so one model tags every cloud)",
    ],
  ],
  [
    "tag value with space",
    (m) => (m.tags = { team: "Book Shop" }),
    ["tags.team: value \"Book Shop\" must be lowercase letters, digits, '_' and '-', ≤ 63 (GCP label rules)"],
  ],
  ["reserved tag", (m) => (m.tags = { app: "x" }), ['tags.app: "app" is set by switchyard on every resource. Use another key.']],
];

describe("model/validate.ts: bad models", () => {
  it(`has at least 40 cases`, () => assert.ok(CASES.length >= 40, String(CASES.length)));
  for (const [title, mutate, expected] of CASES) {
    it(`rejects: ${title}`, () => assert.deepEqual(issuesOf(mutate), expected));
  }

  it("reports every mistake of a model at once", () => {
    const issues = issuesOf((m) => {
      m.routes["GET /hello/{name}"].function = "helo";
      m.functions.plain.memoryMb = 1;
      m.cors.allowOrigins = ["*"];
    });
    assert.deepEqual(issues, [
      "functions.plain.memoryMb: must be at least 128 MB",
      'routes["GET /hello/{name}"].function: no function named "helo". Did you mean "hello"?',
      'cors.allowOrigins[0]: "*": wildcard origins are not allowed. List each origin, e.g. "https://app.example.com".',
    ]);
  });

  it("formats the error as one paragraph listing each problem", () => {
    const m = validRaw() as Raw;
    m.name = "X";
    m.functions.hello.memoryMb = 1;
    assert.throws(
      () => validate(m, MINI_FILE),
      (e: Error) =>
        e.message ===
        [
          "The model has problems (2 problems):",
          "  - name: must be 3-24 characters of lowercase letters, digits and '-', starting with a letter",
          "  - functions.hello.memoryMb: must be at least 128 MB",
        ].join("\n"),
    );
  });

  it("rejects a model that is not an object", () => {
    assert.throws(() => validate([], MINI_FILE), /the model must be an object/);
  });
});
