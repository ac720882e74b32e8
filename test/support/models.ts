import * as path from "node:path";

/** The example API at the repo root. */
export const EXAMPLE = path.resolve(__dirname, "..", "..", "api.ts");
/** A small model under test/fixtures (its handlers are in test/fixtures/models/ok/functions). */
export const MINI = path.resolve(__dirname, "..", "fixtures", "models", "ok", "api.ts");
/** Model file that fixture-built inputs pretend to live in (handlers resolve beside it). */
export const MINI_FILE = MINI;

/** A valid raw model built around the mini fixture's handler files; tests mutate copies of it. */
export function validRaw(): Record<string, unknown> {
  return {
    name: "shop",
    auth: {
      partners: { type: "apiKey", consumers: ["acme", "globex"] },
      users: { type: "jwt", issuer: "https://login.example.com/", audiences: ["api://shop"] },
    },
    defaults: { auth: "partners", rateLimit: { ratePerSecond: 10, burst: 20 } },
    cors: { allowOrigins: ["https://shop.example.com"] },
    functions: {
      hello: { handler: "functions/hello.ts#hello" },
      plain: { handler: "functions/hello.ts" },
    },
    routes: {
      "GET /hello/{name}": { function: "hello", auth: "none" },
      "POST /plain": { function: "plain", auth: { scheme: "users", scopes: ["write"] } },
      "GET /items": { function: "plain", cache: { ttlSeconds: 30, varyBy: { query: ["page"] } } },
      "ANY /proxy/{path+}": { upstream: { url: "https://backend.example.com" } },
    },
  };
}
