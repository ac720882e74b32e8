import type { Target } from "../types";

/** Not available until the Functions Framework adapter lands (issue #5). */
export const gcpTarget: Target = {
  cloud: "gcp",
  unavailable: "the GCP bundle is not available yet: the Functions Framework adapter is not built (issue #5)",
  entries: () => [],
  files: () => ({}),
  units: () => [],
};
