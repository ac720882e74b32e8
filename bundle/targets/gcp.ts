import type { Api, FunctionSpec, Segment } from "../../model";
import { slug } from "../../providers/gcp/names";
import type { GcpBundleConfig, GcpCors, GcpRoute } from "../../runtime/gcp-functions";
import type { Target } from "../types";
import { importHandler } from "./shared";

/**
 * Functions Framework version declared in each bundle's package.json. The bundle never imports the
 * framework (it exports a plain `(req, res)` function), but Google recommends declaring it as a
 * dependency; the buildpack would otherwise add it itself
 * (https://cloud.google.com/functions/docs/writing/specifying-dependencies-nodejs). 5.0.5 is the
 * version installed here (node_modules/@google-cloud/functions-framework/package.json).
 */
export const FUNCTIONS_FRAMEWORK_VERSION = "^5.0.5";

/**
 * `<out>/gcp/<function>/index.js` (CommonJS, exporting `handler(req, res)`; entry point `handler`)
 * and `package.json` at the folder root, as the Node.js buildpack expects: `main` names the entry,
 * no scripts (a `build` script would run during deploy), no lockfile, no devDependencies
 * (https://cloud.google.com/run/docs/runtimes/nodejs).
 */
export const gcpTarget: Target = {
  cloud: "gcp",
  entries: (api: Api, runtimeDir: string) =>
    Object.values(api.functions).map((f) => ({
      outFile: `${f.name}/index.js`,
      format: "cjs",
      source: [
        importHandler(f, "userHandler"),
        // The JWT caller reader only for a function with a JWT route (issue #9 goal 3, 10 KB per function).
        `import { gcpAdapter${hasJwt(api, f) ? ", jwtAuth" : ""} } from ${JSON.stringify(`${runtimeDir}/gcp-functions`)};`,
        // `exports.handler`, not `export const`: the same CommonJS export without esbuild's ESM-to-CJS
        // interop helpers (≈ 420 bytes of every bundle).
        `exports.handler = gcpAdapter(userHandler, ${JSON.stringify(bundleConfig(api, f))}${hasJwt(api, f) ? ", jwtAuth" : ""});`,
      ].join("\n"),
      // The handler's Response, Request and fetch become the lazy stand-ins (runtime/light-inject.ts):
      // no fetch implementation loaded at cold start, answers read from their source (issue #9).
      inject: [`${runtimeDir}/light-inject.ts`],
    })),
  files: (api: Api) =>
    Object.fromEntries(
      // Compact JSON: the folder counts toward issue #9's 10 KB per function.
      Object.values(api.functions).map((f) => [`${f.name}/package.json`, `${JSON.stringify(packageJson(api, f))}\n`]),
    ),
  units: (api) => Object.values(api.functions).map((f) => ({ name: f.name, dir: f.name })),
};

const hasJwt = (api: Api, f: FunctionSpec) =>
  api.routes.some((r) => r.target.kind === "function" && r.target.function === f.name && r.auth.kind === "jwt");

/** The routes and CORS settings the adapter needs, from the normalised model. */
export function bundleConfig(api: Api, f: FunctionSpec): GcpBundleConfig {
  const routes: GcpRoute[] = api.routes
    .filter((r) => r.target.kind === "function" && r.target.function === f.name)
    .map((r) => ({
      method: r.method,
      segments: r.segments.map(segmentText),
      auth: r.auth.kind,
      scopes: r.auth.kind === "jwt" ? r.auth.scopes : [],
    }));
  const c = api.cors;
  // Empty and false settings are left out: the config is embedded in the bundle (issue #9: 10 KB per function).
  const cors: GcpCors | undefined = c && {
    allowOrigins: c.allowOrigins,
    allowMethods: [...c.allowMethods],
    allowHeaders: c.allowHeaders,
    ...(c.exposeHeaders.length ? { exposeHeaders: c.exposeHeaders } : {}),
    ...(c.allowCredentials ? { allowCredentials: true } : {}),
    maxAgeSeconds: c.maxAgeSeconds,
  };
  return { functionName: f.name, routes, ...(cors ? { cors } : {}) };
}

function segmentText(s: Segment): string {
  return s.kind === "static" ? s.value : s.kind === "param" ? `{${s.name}}` : `{${s.name}+}`;
}

function packageJson(api: Api, f: FunctionSpec) {
  return {
    name: `${api.name}-${slug(f.name)}`,
    version: "1.0.0",
    private: true,
    main: "index.js",
    dependencies: { "@google-cloud/functions-framework": FUNCTIONS_FRAMEWORK_VERSION },
  };
}
