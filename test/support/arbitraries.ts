import fc from "fast-check";
import type { ApiInput } from "../../model";

/** Generators of valid models (their handlers are `functions/hello.ts#hello` beside the model file). */

const ident = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const segment = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "ANY");
const rate = fc.record({ ratePerSecond: fc.integer({ min: 1, max: 1000 }), burst: fc.integer({ min: 1000, max: 2000 }) });

export const validModel: fc.Arbitrary<ApiInput> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{1,10}[a-z0-9]$/),
    fnNames: fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }),
    paths: fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
      selector: (p) => p[0],
    }),
    methods: fc.array(method, { minLength: 6, maxLength: 6 }),
    withParam: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    // Mostly sizes every cloud accepts, sometimes the model's full range (which some clouds refuse).
    memory: fc.oneof(
      { arbitrary: fc.integer({ min: 128, max: 2048 }), weight: 4 },
      { arbitrary: fc.integer({ min: 128, max: 10240 }), weight: 1 },
    ),
    timeout: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 25 }), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 900 }), weight: 1 },
    ),
    rateLimit: fc.option(rate, { nil: undefined }),
    cors: fc.boolean(),
    tags: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((k) => !["app", "stack", "function", "route"].includes(k)),
      fc.stringMatching(/^[a-z0-9_-]{0,8}$/),
      { maxKeys: 3 },
    ),
  })
  .map((g) => {
    const functions: ApiInput["functions"] = {};
    for (const f of g.fnNames) functions[f] = { handler: "functions/hello.ts#hello", memoryMb: g.memory, timeoutSeconds: g.timeout };
    const routes: ApiInput["routes"] = {};
    g.paths.forEach((p, i) => {
      // Paths differ in their first segment, so they never conflict; a parameter goes last.
      const path = `/${p.join("/")}${g.withParam[i] ? "/{id}" : ""}`;
      routes[`${g.methods[i]} ${path}`] = { function: g.fnNames[i % g.fnNames.length] as string, auth: i % 2 ? "keys" : "none" };
    });
    // Every function must be used by some route.
    g.fnNames.forEach((f, i) => {
      if (i >= g.paths.length) routes[`GET /extra${i}`] = { function: f, auth: "none" };
    });
    return {
      name: g.name,
      auth: { keys: { type: "apiKey", consumers: ["alice", "bob"] } },
      ...(g.rateLimit ? { defaults: { rateLimit: g.rateLimit } } : {}),
      ...(g.cors ? { cors: { allowOrigins: ["https://app.example.com"] } } : {}),
      tags: g.tags,
      functions,
      routes,
    } satisfies ApiInput;
  });
