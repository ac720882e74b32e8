import * as path from "node:path";
import type { Api, FunctionSpec } from "../../model";
import { bundleSync } from "../cache";
import type { Entry, Target } from "../types";
import { importHandler } from "./shared";

/**
 * Folder (under `<out>/aws/`) of switchyard's JWT Lambda authorizer, used by the REST flavour, which
 * has no native JWT authorizer (providers/aws/jwt-authorizer.ts). Not a deployable unit of the model
 * (units are the model's functions); not a valid function name either, so it never collides.
 */
export const JWT_AUTHORIZER_DIR = "jwt-authorizer";

const usesJwt = (api: Api) => Object.values(api.auth).some((s) => s.type === "jwt");

/**
 * The authorizer bundle: one minified ESM file exporting `handler`, with jose bundled in. Same
 * esbuild settings as the function bundles (bundle/index.ts), so the output is deterministic.
 */
function authorizerBundle(): string {
  const entry = path.resolve(__dirname, "..", "..", "providers", "aws", "jwt-authorizer.ts");
  // Cached in the process (bundle/cache.ts): every plan of a model with JWT routes needs it.
  const code = bundleSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: "node",
    // Same as NODE_TARGET in bundle/index.ts (not imported: that module imports this one).
    target: "node22",
    format: "esm",
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    absWorkingDir: path.dirname(entry),
  });
  return new TextDecoder().decode(code);
}

/**
 * The entry: the user's handler wrapped by `lambdaAdapter`, which builds no Request/Response per
 * invocation and loads no fetch implementation on the cold path (runtime/aws-lambda.ts, issue #9,
 * bench/adapters.ts). A function gets only the features it can use (issue #9 goal 3, 10 KB per
 * function): the secrets loader (runtime/aws-lambda.ts loadSecrets) when it declares secrets (only then does it get SECRET_ARN_*
 * variables, providers/aws/function.ts), and the caller readers of its routes' auth kinds.
 */
function adapterSource(api: Api, f: FunctionSpec, runtimeDir: string): string {
  const kinds = new Set(api.routes.filter((r) => r.target.kind === "function" && r.target.function === f.name).map((r) => r.auth.kind));
  const readers = [...(kinds.has("jwt") ? ["jwtAuth"] : []), ...(kinds.has("apiKey") ? ["apiKeyAuth"] : [])];
  const secrets = f.secrets.length ? "loadSecrets" : undefined;
  const names = ["lambdaAdapter", ...(secrets ? [secrets] : []), ...readers];
  return [
    importHandler(f, "userHandler"),
    `import { ${names.join(", ")} } from ${JSON.stringify(`${runtimeDir}/aws-lambda`)};`,
    `export const handler = lambdaAdapter(${["userHandler", JSON.stringify(f.name), secrets ?? "undefined", ...readers].join(", ")});`,
  ].join("\n");
}

/**
 * `<out>/aws/<function>/index.mjs`, exporting `handler` (Lambda handler `index.handler`); and, when
 * the model has a JWT scheme, `<out>/aws/jwt-authorizer/index.mjs`.
 */
export const awsTarget: Target = {
  cloud: "aws",
  entries: (api: Api, runtimeDir: string): Entry[] =>
    Object.values(api.functions).map((f) => ({
      outFile: `${f.name}/index.mjs`,
      format: "esm",
      source: adapterSource(api, f, runtimeDir),
      // The handler's Response, Request and fetch become the lazy stand-ins (runtime/light-inject.ts).
      inject: [`${runtimeDir}/light-inject.ts`],
    })),
  files: (api): Record<string, string> => (usesJwt(api) ? { [`${JWT_AUTHORIZER_DIR}/index.mjs`]: authorizerBundle() } : {}),
  units: (api) => Object.values(api.functions).map((f) => ({ name: f.name, dir: f.name })),
};
