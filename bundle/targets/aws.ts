import * as path from "node:path";
import type { Api } from "../../model";
import type { Entry, Target } from "../types";
import { importHandler } from "./shared";

/**
 * Folder of switchyard's JWT Lambda authorizer (REST flavour; providers/aws/jwt-authorizer.ts).
 * Not a valid model function name (those are identifiers), so it never collides with one.
 */
export const JWT_AUTHORIZER_UNIT = "jwt-authorizer";

const usesJwt = (api: Api) => Object.values(api.auth).some((s) => s.type === "jwt");

/**
 * `<out>/aws/<function>/index.mjs`, exporting `handler` (Lambda handler `index.handler`), and, when
 * the model has a JWT scheme, `<out>/aws/jwt-authorizer/index.mjs` (used by the REST flavour, which
 * has no native JWT authorizer).
 */
export const awsTarget: Target = {
  cloud: "aws",
  entries: (api: Api, runtimeDir: string) => {
    const entries: Entry[] = Object.values(api.functions).map((f) => ({
      outFile: `${f.name}/index.mjs`,
      format: "esm",
      source: [
        importHandler(f, "userHandler"),
        `import { lambdaHandler } from ${JSON.stringify(`${runtimeDir}/aws-lambda`)};`,
        `export const handler = lambdaHandler(userHandler, ${JSON.stringify(f.name)});`,
      ].join("\n"),
    }));
    if (usesJwt(api)) {
      const file = path.resolve(runtimeDir, "..", "providers", "aws", "jwt-authorizer").split(path.sep).join("/");
      entries.push({
        outFile: `${JWT_AUTHORIZER_UNIT}/index.mjs`,
        format: "esm",
        source: `export { handler } from ${JSON.stringify(file)};`,
      });
    }
    return entries;
  },
  files: () => ({}),
  units: (api) => [
    ...Object.values(api.functions).map((f) => ({ name: f.name, dir: f.name })),
    ...(usesJwt(api) ? [{ name: JWT_AUTHORIZER_UNIT, dir: JWT_AUTHORIZER_UNIT }] : []),
  ],
};
