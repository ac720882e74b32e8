import type { CloudProvider } from "../types";
import { awsCapabilities } from "./capabilities";
import { AwsApi } from "./component";
import { awsLimits } from "./limits";
import { awsMockCall, awsMockState } from "./mocks";
import { awsProductionWarnings } from "./production-capabilities";

/** The AWS provider (issue #3): API Gateway (HTTP or REST flavour) + Lambda. */
export const provider: CloudProvider = {
  cloud: "aws",
  capabilities: awsCapabilities,
  limits: awsLimits,
  deploy: (name, api, config, build, opts) => new AwsApi(name, api, config, build, opts),
  mockState: awsMockState,
  mockCall: awsMockCall,
  warnings: awsProductionWarnings,
};
