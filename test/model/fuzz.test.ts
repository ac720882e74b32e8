import * as assert from "node:assert/strict";
import fc from "fast-check";
import { type Api, type ApiInput, ModelError, validate } from "../../model";
import { validModel } from "../support/arbitraries";
import { MINI_FILE } from "../support/models";

/** Property-based tests of model validation (issue #10): never a crash, always a located error. */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Splits a formatted model path (`routes["GET /x"].auth.scopes[0]`) back into its parts. */
function parsePath(p: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null = re.exec(p);
  while (m) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(JSON.parse(m[3] as string));
    if (re.lastIndex === p.length) return parts;
    m = re.exec(p);
  }
  assert.fail(`unparseable issue path: ${p}`);
}

/** True when every part of the path but the last exists in the input (the last may be the missing key). */
function parentExists(input: unknown, parts: (string | number)[]): boolean {
  let cur = input;
  for (const part of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as object))) return false;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return true;
}

/** Validates and classifies: ok, or a ModelError whose every issue is located in the input. */
function check(input: unknown): "ok" | "rejected" {
  try {
    validate(input, MINI_FILE);
    return "ok";
  } catch (e) {
    if (!(e instanceof ModelError)) throw new Error(`not a ModelError: ${e instanceof Error ? e.stack : e}`);
    assert.ok(e.issues.length > 0, "a ModelError without issues");
    for (const issue of e.issues) {
      assert.ok(issue.message.length > 0);
      assert.doesNotMatch(issue.message, /\n\s+at /, "stack trace in a message");
      if (issue.path === "" || issue.path.startsWith("switchyard:")) continue;
      assert.ok(parentExists(input, parsePath(issue.path)), `issue path ${issue.path} is not in the input`);
    }
    return "rejected";
  }
}

/** Turns a normalised model back into model input (to check that normalising is idempotent). */
function toInput(api: Api): ApiInput {
  return {
    name: api.name,
    ...(api.description !== undefined ? { description: api.description } : {}),
    auth: Object.fromEntries(
      Object.values(api.auth).map((s) => [
        s.name,
        s.type === "apiKey"
          ? { type: "apiKey" as const, consumers: s.consumers }
          : { type: "jwt" as const, issuer: s.issuer, audiences: s.audiences, ...(s.jwksUri ? { jwksUri: s.jwksUri } : {}) },
      ]),
    ),
    ...(api.cors ? { cors: api.cors } : {}),
    logging: api.logging,
    tags: api.tags,
    ...(api.domain ? { domain: api.domain } : {}),
    ...(api.alerts
      ? {
          alerts: {
            errorRatePercent: api.alerts.errorRatePercent,
            p99LatencyMs: api.alerts.p99LatencyMs,
            notify: api.alerts.notify.map((n) => (n.kind === "email" ? n.address : n.url)),
          },
        }
      : {}),
    tracing: api.tracing,
    functions: Object.fromEntries(
      Object.values(api.functions).map((f) => [
        f.name,
        {
          handler: `${f.relFile}#${f.export}`,
          memoryMb: f.memoryMb,
          timeoutSeconds: f.timeoutSeconds,
          scaling: f.scaling,
          environment: f.environment,
          secrets: f.secrets,
          ...(f.canary ? { canary: f.canary } : {}),
        },
      ]),
    ),
    routes: Object.fromEntries(
      api.routes.map((r) => [
        r.key,
        {
          ...(r.target.kind === "function"
            ? { function: r.target.function }
            : {
                upstream:
                  r.target.targets.length === 1 ? { url: (r.target.targets[0] as { url: string }).url } : { targets: r.target.targets },
              }),
          auth:
            r.auth.kind === "none" ? "none" : r.auth.kind === "apiKey" ? r.auth.scheme : { scheme: r.auth.scheme, scopes: r.auth.scopes },
          ...(r.rateLimit ? { rateLimit: r.rateLimit } : {}),
          ...(r.cache ? { cache: r.cache } : {}),
        },
      ]),
    ),
  };
}

// ---- mistakes ------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: a mutation reaches into any part of a raw, unvalidated model
type Mutation = (m: Record<string, any>, junk: unknown, text: string) => void;
// biome-ignore lint/suspicious/noExplicitAny: a raw, unvalidated model
const firstRoute = (m: Record<string, any>) => Object.keys(m.routes)[0] as string;
// biome-ignore lint/suspicious/noExplicitAny: a raw, unvalidated model
const firstFn = (m: Record<string, any>) => Object.keys(m.functions)[0] as string;

const MISTAKES: [string, Mutation][] = [
  ["unknown top-level key", (m, _j, t) => (m[`x${t}`] = 1)],
  ["unknown route key", (m, _j, t) => (m.routes[firstRoute(m)][`x${t}`] = true)],
  ["unknown function key", (m, _j, t) => (m.functions[firstFn(m)][`x${t}`] = true)],
  ["bad route key", (m, _j, t) => (m.routes[`${t} ${t}`] = { function: firstFn(m), auth: "none" })],
  ["route key without slash", (m, _j, t) => (m.routes[`GET ${t.replace(/\//g, "")}x`] = { function: firstFn(m), auth: "none" })],
  [
    "conflicting routes",
    (m) => {
      m.routes["GET /dupx/{a}"] = { function: firstFn(m), auth: "none" };
      m.routes["GET /dupx/{b}"] = { function: firstFn(m), auth: "none" };
    },
  ],
  ["dot segment", (m) => (m.routes["GET /a/../b"] = { function: firstFn(m), auth: "none" })],
  ["missing function", (m, _j, t) => (m.routes[firstRoute(m)].function = `nope${t}`)],
  ["route without target", (m) => delete m.routes[firstRoute(m)].function],
  ["out-of-range memory", (m, j) => (m.functions[firstFn(m)].memoryMb = typeof j === "number" && (j < 128 || j > 10240) ? j : 99999)],
  ["out-of-range timeout", (m) => (m.functions[firstFn(m)].timeoutSeconds = -1)],
  ["wrong type for name", (m, j) => (m.name = typeof j === "string" ? 42 : j)],
  ["wrong type for routes", (m, j) => (m.routes = Array.isArray(j) ? j : [j])],
  ["wrong type for a route", (m, j) => (m.routes[firstRoute(m)] = typeof j === "object" && j !== null && !Array.isArray(j) ? 7 : j)],
  ["bad upstream URL", (m, _j, t) => (m.routes[firstRoute(m)] = { upstream: { url: `ftp://${t}` }, auth: "none" })],
  ["http upstream", (m) => (m.routes[firstRoute(m)] = { upstream: { url: "http://example.com" }, auth: "none" })],
  ["unicode name", (m, _j, t) => (m.name = `${t}é☃`)],
  ["huge name", (m) => (m.name = "a".repeat(100_000))],
  [
    "huge route table of conflicts",
    (m) => {
      for (let i = 0; i < 300; i++) m.routes[`GET /dup/{p${i}}`] = { function: firstFn(m), auth: "none" };
    },
  ],
  ["unknown auth scheme", (m, _j, t) => (m.routes[firstRoute(m)].auth = `scheme${t}`)],
  ["wildcard CORS", (m) => (m.cors = { allowOrigins: ["*"] })],
  ["bad tag", (m, _j, t) => (m.tags = { [`UPPER${t}`]: "x" })],
  ["null model parts", (m) => (m.functions[firstFn(m)] = null)],
];

describe("model validation under fuzzing (fast-check)", () => {
  it(`arbitrary JSON values are rejected with located ModelErrors, never a crash (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        assert.equal(check(v), "rejected");
      }),
      { numRuns: RUNS },
    );
  });

  it(`arbitrary objects with model-like keys are rejected cleanly (${RUNS} runs)`, () => {
    const loose = fc.record(
      {
        name: fc.anything(),
        auth: fc.anything(),
        defaults: fc.anything(),
        cors: fc.anything(),
        logging: fc.anything(),
        tags: fc.anything(),
        functions: fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
        routes: fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(loose, (v) => {
        check(v);
      }),
      { numRuns: RUNS },
    );
  });

  it(`generated valid models validate, and normalising is idempotent (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(validModel, (m) => {
        const api = validate(m, MINI_FILE);
        assert.deepEqual(validate(toInput(api), MINI_FILE), api);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a valid model with a random mistake is always rejected with located issues (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        validModel,
        fc.constantFrom(...MISTAKES),
        fc.jsonValue(),
        fc.string({ unit: "grapheme", maxLength: 12 }),
        (m, [, mutate], junk, text) => {
          // biome-ignore lint/suspicious/noExplicitAny: the mutations write anywhere in the raw model
          const copy = structuredClone(m) as Record<string, any>;
          mutate(copy, junk, text);
          assert.equal(check(copy), "rejected");
        },
      ),
      { numRuns: RUNS },
    );
  });
});
