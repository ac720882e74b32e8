import * as pulumi from "@pulumi/pulumi";
import type { ModelIssue } from "../../model";
import type { StackConfig } from "../types";

/**
 * Regions API Gateway gateways can be created in: the allowed values of the 2026-04 quickstart
 * (https://docs.cloud.google.com/api-gateway/docs/secure-traffic-gcloud, updated 2026-04-08) and the
 * deployment model page (https://cloud.google.com/api-gateway/docs/deployment-model).
 */
export const GATEWAY_REGIONS = [
  "asia-northeast1",
  "australia-southeast1",
  "europe-west1",
  "europe-west2",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-west2",
  "us-west3",
  "us-west4",
] as const;

/**
 * Node.js runtimes for Cloud Run functions: nodejs22 (deprecated 2027-04-30, decommissioned
 * 2027-10-31) and nodejs24 (2028-04-30 / 2028-10-31); nodejs20 was decommissioned 2026-10-30
 * (https://docs.cloud.google.com/run/docs/runtimes/function-runtimes). The bundles target node22
 * (bundle/index.ts NODE_TARGET), so nodejs22 is the default; node22 output also runs on nodejs24.
 */
export const RUNTIMES = ["nodejs22", "nodejs24"] as const;
export type GcpRuntime = (typeof RUNTIMES)[number];

/** The GCP settings of a stack. */
export interface GcpSettings {
  project: string;
  /** Region of the functions, the source bucket and the gateway. */
  region: string;
  runtime: GcpRuntime;
  /**
   * Members (`user:…`, `serviceAccount:…`, `group:…`) that run `pulumi up`: granted
   * `roles/iam.serviceAccountUser` on each service account the stack creates, which deploying a
   * function or an API config as that account requires
   * (https://cloud.google.com/api-gateway/docs/configure-dev-env).
   */
  deployers: string[];
}

const MEMBER = /^(user|serviceAccount|group|principal|principalSet):\S+$/;

/**
 * Reads `gcp:project`, `gcp:region` (provider keys) and the project keys `switchyard:gcpRuntime`
 * and `switchyard:gcpDeployers` (declared with defaults in Pulumi.yaml), reporting every problem.
 */
export function readSettings(config: StackConfig): { settings: GcpSettings; issues: ModelIssue[] } {
  const gcp = new pulumi.Config("gcp");
  const issues: ModelIssue[] = [];
  const project = gcp.get("project") ?? "";
  const region = gcp.get("region") ?? "";
  if (!project) issues.push({ path: "gcp:project", message: "is not set. Set it with `pulumi config set gcp:project <project-id>`." });
  if (!(GATEWAY_REGIONS as readonly string[]).includes(region)) {
    issues.push({
      path: "gcp:region",
      message: `${region ? `"${region}" is not a region API Gateway runs in` : "is not set"}. Use one of: ${GATEWAY_REGIONS.join(", ")} (https://docs.cloud.google.com/api-gateway/docs/secure-traffic-gcloud).`,
    });
  }
  const runtime = config.get("gcpRuntime") ?? "nodejs22";
  if (!(RUNTIMES as readonly string[]).includes(runtime)) {
    issues.push({ path: "switchyard:gcpRuntime", message: `"${runtime}" is not a supported runtime. Use ${RUNTIMES.join(" or ")}.` });
  }
  const deployers = config.getObject<string[]>("gcpDeployers") ?? [];
  deployers.forEach((m, i) => {
    if (typeof m !== "string" || !MEMBER.test(m)) {
      issues.push({
        path: `switchyard:gcpDeployers[${i}]`,
        message: `"${String(m)}" is not an IAM member. Write it as user:<email>, serviceAccount:<email> or group:<email>.`,
      });
    }
  });
  return { settings: { project, region, runtime: runtime as GcpRuntime, deployers }, issues };
}
