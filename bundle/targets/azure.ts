import type { Api, FunctionSpec, Method, Route } from "../../model";
import { ROUTE_PREFIX } from "../../runtime/azure-functions";
import type { Target } from "../types";
import { importHandler } from "./shared";

/** What `ANY` stands for: the methods a model route may name. */
export const ANY_METHODS: Exclude<Method, "ANY">[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/**
 * A model path as an Azure Functions route template (ASP.NET Core syntax, without the leading `/`
 * and the `api` route prefix): `{id}` stays, a greedy `{path+}` becomes the catch-all `{*path}`
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#customize-the-http-endpoint).
 */
export function functionsRoute(route: Pick<Route, "segments">): string {
  return route.segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? `{${s.name}}` : `{*${s.name}}`)).join("/");
}

/** One `app.http` registration: a function serves each distinct path of its routes once. */
export interface Registration {
  /** Functions host function name: the model name, then `<name>-2`, `<name>-3` for further paths. */
  name: string;
  route: string;
  methods: Exclude<Method, "ANY">[];
}

export function registrations(api: Api, f: FunctionSpec): Registration[] {
  const byRoute = new Map<string, Set<Exclude<Method, "ANY">>>();
  for (const key of f.routes) {
    const r = api.routes.find((x) => x.key === key);
    if (!r) continue;
    const route = functionsRoute(r);
    const set = byRoute.get(route) ?? new Set();
    for (const m of r.method === "ANY" ? ANY_METHODS : [r.method as Exclude<Method, "ANY">]) set.add(m);
    byRoute.set(route, set);
  }
  return [...byRoute].map(([route, methods], i) => ({
    name: i === 0 ? f.name : `${f.name}-${i + 1}`,
    route,
    methods: ANY_METHODS.filter((m) => methods.has(m)),
  }));
}

/**
 * The `@azure/functions` file bundled into the app: the package's own minified build
 * (`dist/azure-functions.min.js`, the same version and sources as its `main`,
 * `dist/azure-functions.js`). The package is one pre-built webpack file that esbuild cannot
 * tree-shake, and esbuild's minifier leaves it larger: 71.7 KB against 79.3 KB with its
 * dependencies (issue #9 goal 3; `bench/bundles.ts` reports the app's size).
 */
export const AZURE_FUNCTIONS_LIB = require.resolve("@azure/functions/dist/azure-functions.min.js");

/**
 * `<out>/azure/<app>/`: `index.js` (CommonJS) registers every function with `app.http(...)` from
 * `@azure/functions` v4, `authLevel: "function"` on each (the v4 default is anonymous, which would let
 * callers bypass APIM: azure.md correction 5), and exports each wrapped handler by function name.
 *
 * `@azure/functions` is bundled into `index.js` (with its `cookie` dependency), so the package needs
 * no `node_modules` and no remote build: azure.md §2.1 only requires the library at run time, not
 * how it arrives. `@azure/functions-core` stays external: the Node.js worker provides it inside the
 * host, and outside it the library switches to test mode (app.http then only warns).
 */
export const azureTarget: Target = {
  cloud: "azure",
  entries: (api: Api, runtimeDir: string) => {
    const fns = Object.values(api.functions);
    const lines = [
      `import { app } from ${JSON.stringify(AZURE_FUNCTIONS_LIB)};`,
      `import { azureHandler } from ${JSON.stringify(`${runtimeDir}/azure-functions`)};`,
    ];
    fns.forEach((f, i) => {
      lines.push(importHandler(f, `user${i}`));
      lines.push(`export const ${f.name} = azureHandler(user${i}, ${JSON.stringify(f.name)});`);
      for (const reg of registrations(api, f)) {
        const options = `{ route: ${JSON.stringify(reg.route)}, methods: ${JSON.stringify(reg.methods)}, authLevel: "function", handler: ${f.name} }`;
        lines.push(`app.http(${JSON.stringify(reg.name)}, ${options});`);
      }
    });
    return [
      {
        outFile: `${api.name}/index.js`,
        format: "cjs",
        source: lines.join("\n"),
        external: ["@azure/functions-core"],
        // The handlers' Response, Request and fetch become the lazy stand-ins (runtime/light-inject.ts),
        // so the adapter reads an answer from its source (issue #9 goal 1: 0.19x a Hono-style conversion
        // per invocation, 0.84x without). esbuild injects into every module of the bundle, @azure/functions
        // too: its `new Request(...)` still gets a real Request (RequestShim returns one), and its
        // HttpResponse over a LightResponse converts to the host's RPC form exactly as over a real
        // Response (test/runtime/azure-functions.test.ts compares the two).
        inject: [`${runtimeDir}/light-inject.ts`],
      },
    ];
  },
  files: (api: Api) => {
    const longest = Math.max(...Object.values(api.functions).map((f) => f.timeoutSeconds), 1);
    const host = {
      version: "2.0",
      // App-wide on Flex: the longest model timeout (functions-host-json#functiontimeout).
      functionTimeout: hms(longest),
      extensions: { http: { routePrefix: ROUTE_PREFIX } },
      logging: { applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: "Request" } } },
    };
    const pkg = { name: api.name, version: "1.0.0", private: true, main: "index.js" };
    return {
      [`${api.name}/host.json`]: `${JSON.stringify(host, null, 2)}\n`,
      [`${api.name}/package.json`]: `${JSON.stringify(pkg, null, 2)}\n`,
    };
  },
  units: (api) => [{ name: api.name, dir: api.name }],
};

function hms(seconds: number): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(seconds / 3600))}:${p(Math.floor((seconds % 3600) / 60))}:${p(seconds % 60)}`;
}
