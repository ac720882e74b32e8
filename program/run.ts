import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { build } from "../bundle";
import { type Api, loadApi, ModelError, type ModelIssue } from "../model";
import { checkCapabilities } from "../providers/capabilities";
import { providers } from "../providers/index";
import { type CapabilityRow, CLOUDS, type CloudName, type DnsRecord, type StackConfig } from "../providers/types";
import { stackConfig } from "./config";

export interface ProgramOutputs {
  url: pulumi.Output<string>;
  apiKeys: pulumi.Output<Record<string, string>>;
  functions: pulumi.Output<Record<string, string>>;
  cloud: CloudName;
  /** Only with a custom domain: the DNS records to create (DeployedApi.dnsRecords). */
  dnsRecords?: pulumi.Output<DnsRecord[]>;
}

/** What the last run decided before declaring resources (read by the offline plan). */
export const lastRun: { capabilities?: CapabilityRow[]; accepted?: string[]; api?: Api } = {};

/**
 * Knobs for the offline plan: it lists accepted gaps in its document, so it turns the engine
 * warnings off; tests that plan many models build them outside the project's `.build/`.
 */
export const runOptions: { logWarnings: boolean; buildDir?: string } = { logWarnings: true };

/**
 * The Pulumi program: reads `switchyard:cloud`, loads and validates the model, checks it against
 * the chosen provider's capabilities and limits, bundles the functions, then declares resources.
 * Every user error is raised before the first resource exists.
 */
export async function run(projectDir: string): Promise<ProgramOutputs> {
  const config = stackConfig();
  const cloud = readCloud(config);
  const apiFile = config.get("api") ?? "api.ts";
  const api = loadApi(apiFile, projectDir);
  checkSecrets(api, config);
  const provider = await providers[cloud]();
  const check = checkCapabilities(provider, api, config);
  lastRun.capabilities = check.rows;
  // Provider notes that are not capability gaps (e.g. a canary's first deploy) join the warnings.
  lastRun.accepted = [...check.accepted, ...(provider.warnings?.(api, config) ?? [])];
  lastRun.api = api;
  if (runOptions.logWarnings) for (const w of check.accepted) pulumi.log.warn(w);
  const bundle = await build(api, cloud, runOptions.buildDir ?? path.join(projectDir, ".build"));
  const deployed = provider.deploy(api.name, api, config, bundle);
  return {
    url: deployed.url,
    apiKeys: pulumi.secret(deployed.apiKeys),
    functions: deployed.functions,
    cloud,
    ...(deployed.dnsRecords ? { dnsRecords: deployed.dnsRecords } : {}),
  };
}

function readCloud(config: StackConfig): CloudName {
  const cloud = config.get("cloud");
  if (cloud === undefined) {
    throw new ModelError(
      [
        {
          path: "switchyard:cloud",
          message: `is not set on stack "${config.stack}". Set it with \`pulumi config set switchyard:cloud aws\` (aws | azure | gcp).`,
        },
      ],
      "",
    );
  }
  if (!(CLOUDS as readonly string[]).includes(cloud)) {
    throw new ModelError(
      [{ path: "switchyard:cloud", message: `"${cloud}" is not a cloud switchyard deploys to. Use aws, azure or gcp.` }],
      "",
    );
  }
  return cloud as CloudName;
}

/** Every function secret must be set as a Pulumi config secret on the stack. */
function checkSecrets(api: Api, config: StackConfig) {
  const issues: ModelIssue[] = [];
  for (const f of Object.values(api.functions)) {
    f.secrets.forEach((s, i) => {
      if (config.getSecret(s) === undefined) {
        issues.push({
          path: `functions.${f.name}.secrets[${i}]`,
          message: `secret "${s}" is not set on stack "${config.stack}". Run \`pulumi config set --secret ${s} <value>\`.`,
        });
      }
    });
  }
  if (issues.length) throw new ModelError(issues, "Stack config is incomplete");
}
