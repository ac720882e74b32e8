import type { Target } from "../types";

/** Not available until the Azure Functions v4 adapter lands (issue #6). */
export const azureTarget: Target = {
  cloud: "azure",
  unavailable: "the Azure bundle is not available yet: the Azure Functions v4 adapter is not built (issue #6)",
  entries: () => [],
  files: () => ({}),
  units: () => [],
};
