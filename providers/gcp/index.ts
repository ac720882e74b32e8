import { ModelError } from "../../model";
import type { CloudProvider } from "../types";
import { GcpApi } from "./api";
import { gcpCapabilities, gcpLimits } from "./capabilities";
import { readSettings } from "./config";
import { mockState } from "./mocks";

/** GCP: API Gateway in front of Cloud Run functions (gen2), Secret Manager, API keys (gcp.md). */
export const provider: CloudProvider = {
  cloud: "gcp",
  capabilities: (api) => gcpCapabilities(api),
  limits: (api, config) => gcpLimits(api, config),
  deploy: (name, api, config, build, opts) => {
    const { settings, issues } = readSettings(config);
    if (issues.length) throw new ModelError(issues, "The GCP stack settings are incomplete");
    return new GcpApi(name, api, settings, config, build, opts);
  },
  mockState,
};
