import type { Api } from "../../model";
import type { Target } from "../types";
import { importHandler } from "./shared";

/** `<out>/aws/<function>/index.mjs`, exporting `handler` (Lambda handler `index.handler`). */
export const awsTarget: Target = {
  cloud: "aws",
  entries: (api: Api, runtimeDir: string) =>
    Object.values(api.functions).map((f) => ({
      outFile: `${f.name}/index.mjs`,
      format: "esm",
      source: [
        importHandler(f, "userHandler"),
        `import { lambdaHandler } from ${JSON.stringify(`${runtimeDir}/aws-lambda`)};`,
        `export const handler = lambdaHandler(userHandler, ${JSON.stringify(f.name)});`,
      ].join("\n"),
    })),
  files: () => ({}),
  units: (api) => Object.values(api.functions).map((f) => ({ name: f.name, dir: f.name })),
};
