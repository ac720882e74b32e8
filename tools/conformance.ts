import { parseArgs } from "node:util";
import { type Api, loadApi, type Route, userError } from "../model";
import { main } from "./cli";

/** One check of the suite. */
export interface Check {
  name: string;
  status: "pass" | "fail" | "skip";
  detail?: string;
}

export interface ConformanceOptions {
  /** Base URL of the deployed or local API, without a trailing slash. */
  url: string;
  api: Api;
  /** API keys by consumer name (the consumer decides which schemes a key opens). */
  keys?: Record<string, string>;
  /** A JWT valid for the API's JWT routes (with the scopes they require). */
  token?: string;
  /** Largest burst / quota the suite hammers to see a 429 (default 20): keeps it safe on a real cloud. */
  maxHammer?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

const SAMPLE_PARAM = "conformance-1";
const SAMPLE_GREEDY = "a/b/c";
const OTHER_METHODS = ["DELETE", "PATCH", "PUT", "POST", "GET"];

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * The conformance suite, generated from the model: per route, the answer without credentials, with
 * a wrong key, with a valid key or token, to a wrong method, to a CORS preflight, a cache hit on a
 * repeat, and a 429 after the declared burst (only where burst or quota is small). Upstream routes
 * whose backend does not answer are skipped. Where the clouds answer differently, every cloud's
 * answer is accepted (noted on the check).
 */
export async function runConformance(o: ConformanceOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const maxHammer = o.maxHammer ?? 20;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const add = (name: string, ok: boolean, detail?: string) =>
    checks.push({ name, status: ok ? "pass" : "fail", ...(detail ? { detail } : {}) });
  const skip = (name: string, detail: string) => checks.push({ name, status: "skip", detail });

  const send = async (method: string, path: string, headers: Record<string, string> = {}): Promise<Answer | Error> => {
    const hasBody = !["GET", "HEAD", "OPTIONS"].includes(method);
    try {
      const res = await fetch(o.url + path, {
        method,
        headers: hasBody ? { "content-type": "application/json", ...headers } : headers,
        body: hasBody ? "{}" : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };
  const show = (a: Answer | Error) => (a instanceof Error ? `error: ${a.message}` : `HTTP ${a.status}`);

  for (const route of o.api.routes) {
    const method = route.method === "ANY" ? "GET" : route.method;
    const path = samplePath(route);
    const label = path === route.path && method === route.method ? route.key : `${route.key} (${method} ${path})`;
    const creds = credentialsFor(o, route);

    // 1. Without credentials.
    const bare = await send(method, path);
    if (route.auth.kind === "none") {
      if (route.target.kind === "upstream" && unreachable(bare))
        skip(`${label}: open without credentials`, `upstream not reachable (${show(bare)})`);
      else add(`${label}: open without credentials`, !(bare instanceof Error) && bare.status !== 401 && bare.status !== 403, show(bare));
    } else {
      // AWS answers a missing API key with 403, APIM and the local gateway with 401: accept both.
      const want = route.auth.kind === "jwt" ? [401] : [401, 403];
      add(`${label}: refused without credentials (${want.join("/")})`, !(bare instanceof Error) && want.includes(bare.status), show(bare));
    }

    // 2. A wrong credential.
    if (route.auth.kind === "apiKey") {
      const wrong = await send(method, path, { "x-api-key": "conformance-wrong-key" });
      add(`${label}: refused with a wrong key (401/403)`, !(wrong instanceof Error) && [401, 403].includes(wrong.status), show(wrong));
    } else if (route.auth.kind === "jwt") {
      const wrong = await send(method, path, { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." });
      add(`${label}: refused with an unsigned token (401)`, !(wrong instanceof Error) && wrong.status === 401, show(wrong));
    }

    // 3. With valid credentials.
    let reachable = true;
    if (creds === undefined) {
      skip(
        `${label}: accepted with valid credentials`,
        route.auth.kind === "jwt" ? "no --token given" : "no --key for a consumer of this scheme",
      );
      reachable = false;
    } else {
      const ok = await send(method, path, creds);
      if (route.target.kind === "upstream" && unreachable(ok)) {
        skip(`${label}: accepted with valid credentials`, `upstream not reachable (${show(ok)})`);
        reachable = false;
      } else {
        add(`${label}: accepted with valid credentials`, !(ok instanceof Error) && ok.status !== 401 && ok.status !== 403, show(ok));
      }
    }

    // 4. A method the path does not serve: 405 locally; 404 on AWS HTTP API and APIM; AWS REST 403.
    const served = new Set(o.api.routes.filter((r) => samplePath(r) === path || r.path === route.path).map((r) => r.method));
    const wrongMethod = served.has("ANY")
      ? undefined
      : OTHER_METHODS.find((m) => !served.has(m as never) && !(m === "GET" && served.has("HEAD")));
    if (wrongMethod) {
      const a = await send(wrongMethod, path, creds ?? {});
      add(
        `${label}: ${wrongMethod} not served (404/405, AWS REST 403)`,
        !(a instanceof Error) && [403, 404, 405].includes(a.status),
        show(a),
      );
    }

    // 5. CORS preflight, answered by the gateway.
    const cors = o.api.cors;
    if (cors && cors.allowOrigins.length > 0) {
      const origin = cors.allowOrigins[0] as string;
      const asked = cors.allowMethods.includes(method as never) ? method : (cors.allowMethods[0] as string);
      const pre = await send("OPTIONS", path, { origin, "access-control-request-method": asked });
      const allowOrigin = pre instanceof Error ? null : pre.headers.get("access-control-allow-origin");
      const allowMethods = pre instanceof Error ? "" : (pre.headers.get("access-control-allow-methods") ?? "");
      add(
        `${label}: CORS preflight from ${origin}`,
        !(pre instanceof Error) && pre.status < 300 && allowOrigin === origin && (allowMethods.includes(asked) || allowMethods === "*"),
        `${show(pre)} allow-origin=${allowOrigin} allow-methods=${allowMethods}`,
      );
      const evil = await send("OPTIONS", path, { origin: "https://conformance.invalid", "access-control-request-method": asked });
      const leaked = evil instanceof Error ? null : evil.headers.get("access-control-allow-origin");
      add(
        `${label}: CORS preflight from an unlisted origin gets no allow-origin`,
        !(evil instanceof Error) && leaked !== "https://conformance.invalid" && leaked !== "*",
        show(evil),
      );
    }

    // 6. Cache: the repeat is a hit where the gateway says so (x-cache, local); elsewhere the same answer.
    if (route.cache && (method === "GET" || method === "HEAD") && reachable && creds) {
      const a = await send(method, path, creds);
      const b = await send(method, path, creds);
      if (a instanceof Error || b instanceof Error) add(`${label}: cached repeat`, false, `${show(a)} / ${show(b)}`);
      else if (b.headers.has("x-cache"))
        add(`${label}: cached repeat is a hit (x-cache)`, b.headers.get("x-cache") === "hit", `x-cache=${b.headers.get("x-cache")}`);
      else add(`${label}: cached repeat gives the same answer`, a.status === b.status && a.body === b.body, `${a.status}/${b.status}`);
    }

    // 7. Rate limit / quota: hammer only where the budget is small; bounded either way.
    const rl = route.rateLimit;
    if (rl && reachable && creds) {
      const budget = Math.min(rl.burst, rl.quota?.limit ?? Number.POSITIVE_INFINITY);
      if (budget > maxHammer) skip(`${label}: 429 after the burst`, `burst/quota ${budget} is above ${maxHammer}; not hammered`);
      else {
        const bound = budget * 2 + 5;
        let got: Answer | undefined;
        let n = 0;
        for (; n < bound; n++) {
          const a = await send(method, path, creds);
          if (!(a instanceof Error) && a.status === 429) {
            got = a;
            break;
          }
        }
        // Retry-After is reported, not required: AWS API Gateway's 429 does not always carry it.
        add(
          `${label}: 429 within ${bound} requests (burst ${rl.burst}${rl.quota ? `, quota ${rl.quota.limit}/${rl.quota.period}` : ""})`,
          got !== undefined,
          got ? `429 after ${n + 1} requests, retry-after=${got.headers.get("retry-after")}` : `no 429 in ${bound} requests`,
        );
      }
    }
  }
  return checks;
}

/** A concrete path for a route: `{param}` → `conformance-1`, greedy → `a/b/c`. */
export function samplePath(route: Route): string {
  return `/${route.segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? SAMPLE_PARAM : SAMPLE_GREEDY)).join("/")}`;
}

function credentialsFor(o: ConformanceOptions, route: Route): Record<string, string> | undefined {
  if (route.auth.kind === "none") return {};
  if (route.auth.kind === "jwt") return o.token ? { authorization: `Bearer ${o.token}` } : undefined;
  const scheme = o.api.auth[route.auth.scheme];
  const keys = o.keys ?? {};
  const consumer = scheme?.type === "apiKey" ? scheme.consumers.find((c) => keys[c]) : undefined;
  const key = consumer ? keys[consumer] : Object.values(keys)[0];
  return key ? { "x-api-key": key } : undefined;
}

function unreachable(a: Answer | Error): boolean {
  return a instanceof Error || a.status === 502 || a.status === 503 || a.status === 504;
}

/** The report: one line per check, then `N passed, N failed`. */
export function report(checks: Check[]): string {
  const lines = checks.map(
    (c) => `${c.status === "pass" ? "PASS" : c.status === "fail" ? "FAIL" : "SKIP"} ${c.name}${c.detail ? ` — ${c.detail}` : ""}`,
  );
  const skipped = checks.filter((c) => c.status === "skip").length;
  if (skipped) lines.push(`${skipped} skipped`);
  lines.push(`${checks.filter((c) => c.status === "pass").length} passed, ${checks.filter((c) => c.status === "fail").length} failed`);
  return lines.join("\n");
}

if (require.main === module) {
  main(async () => {
    const usage = "npm run conformance -- --url <base> [--api <file>] [--key name=value]... [--token <jwt>]";
    let values: { url?: string; api?: string; key?: string[]; token?: string };
    try {
      ({ values } = parseArgs({
        options: {
          url: { type: "string" },
          api: { type: "string", default: "api.ts" },
          key: { type: "string", multiple: true },
          token: { type: "string" },
        },
        strict: true,
      }));
    } catch (e) {
      throw userError(`${(e as Error).message}\nusage: ${usage}`);
    }
    if (!values.url) throw userError(`--url is required.\nusage: ${usage}`);
    const keys: Record<string, string> = {};
    for (const k of values.key ?? []) {
      const eq = k.indexOf("=");
      if (eq <= 0) throw userError(`--key "${k}": write name=value (the consumer and its key).`);
      keys[k.slice(0, eq)] = k.slice(eq + 1);
    }
    const checks = await runConformance({
      url: values.url.replace(/\/$/, ""),
      api: loadApi(values.api ?? "api.ts"),
      keys,
      token: values.token,
    });
    process.stdout.write(`${report(checks)}\n`);
    if (checks.some((c) => c.status === "fail")) process.exit(1);
  });
}
