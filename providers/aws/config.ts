import { createHash } from "node:crypto";
import { type Api, ModelError } from "../../model";
import type { StackConfig } from "../types";

/**
 * Lambda runtimes switchyard deploys to (an allow-list, SECURITY.md AWS-13). Our bundles target
 * node22 (bundle/index.ts NODE_TARGET), so `nodejs22.x` is the default; `nodejs24.x` also runs them
 * (async handlers only, which is what the adapter exports). Identifiers: `aws.lambda.Runtime`
 * (node_modules/@pulumi/aws/types/enums/lambda/index.d.ts); support dates:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (aws.md §3.1).
 */
export const RUNTIMES = ["nodejs22.x", "nodejs24.x"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/**
 * REST API cache cluster sizes in GB (node_modules/@pulumi/aws/apigateway/stage.d.ts,
 * `cacheClusterSize`).
 */
export const CACHE_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;

/** The AWS settings of a stack (`switchyard:aws.*`, declared with defaults in Pulumi.yaml). */
export interface AwsSettings {
  runtime: Runtime;
  /** REST stage name (REST rejects `$default`: aws.md §5 gotcha 5). */
  restStageName: string;
  cacheClusterSize: string;
  /**
   * "manage": this stack declares the account-level API Gateway CloudWatch role (`apigateway.Account`)
   * with retainOnDelete, so destroying the stack does not reset it for other APIs (aws.md §5 gotcha 17).
   * "external": the account already has one (set up by a bootstrap stack); nothing is declared.
   */
  apiGatewayAccount: "manage" | "external";
  /**
   * The AWS Parameters and Secrets Lambda Extension layer version ARN for functions with secrets
   * (`switchyard:aws.secretsExtensionLayer`): unset, the region's newest one, read at deploy from
   * AWS's public parameter (providers/aws/function.ts); set, that version, pinned (no change in a
   * preview when AWS publishes a new one, and regions without the public parameter).
   */
  secretsExtensionLayer?: string;
}

/** A Lambda layer version ARN (https://docs.aws.amazon.com/lambda/latest/api/API_LayerVersionsListItem.html). */
const LAYER_VERSION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$/;

export function awsSettings(config: StackConfig): AwsSettings {
  const issues: { path: string; message: string }[] = [];
  const pick = <T extends string>(key: string, allowed: readonly T[], def: T): T => {
    const v = config.get(key);
    if (v === undefined || v === "") return def;
    if (!(allowed as readonly string[]).includes(v)) {
      issues.push({ path: `switchyard:${key}`, message: `"${v}" is not allowed. Use one of: ${allowed.join(", ")}.` });
      return def;
    }
    return v as T;
  };
  const runtime = pick("aws.lambdaRuntime", RUNTIMES, "nodejs22.x");
  const cacheClusterSize = pick("aws.cacheClusterSize", CACHE_SIZES, "0.5");
  const apiGatewayAccount = pick("aws.apiGatewayAccount", ["manage", "external"] as const, "manage");
  const restStageName = config.get("aws.restStageName") || "api";
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(restStageName)) {
    issues.push({
      path: "switchyard:aws.restStageName",
      message: `"${restStageName}" is not a REST stage name. Use [A-Za-z0-9_-], up to 128 characters.`,
    });
  }
  const secretsExtensionLayer = config.get("aws.secretsExtensionLayer") || undefined;
  if (secretsExtensionLayer !== undefined && !LAYER_VERSION_ARN.test(secretsExtensionLayer)) {
    issues.push({
      path: "switchyard:aws.secretsExtensionLayer",
      message: `"${secretsExtensionLayer}" is not a Lambda layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>). Leave it empty to use the region's newest AWS Parameters and Secrets Lambda Extension.`,
    });
  }
  if (issues.length) throw new ModelError(issues, "AWS stack config is invalid");
  return { runtime, restStageName, cacheClusterSize, apiGatewayAccount, ...(secretsExtensionLayer ? { secretsExtensionLayer } : {}) };
}

/** Allowed CloudWatch Logs retention values in days (node_modules/@pulumi/aws/cloudwatch/logGroup.d.ts). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The model's retention rounded up to the nearest value CloudWatch accepts (never "0 = forever"). */
export function retentionDays(days: number): number {
  return RETENTION_DAYS.find((d) => d >= days) ?? 3653;
}

/**
 * A physical name of at most `max` characters: `parts` joined by '-', shortened with a hash suffix
 * when too long (Lambda function and IAM role names ≤ 64: aws.md §5 gotcha 21).
 */
export function physicalName(parts: string[], max = 64): string {
  const full = parts.join("-");
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, max - 9)}-${hash}`;
}

/** Cost-allocation tags every taggable resource gets: app, stack, the model's tags, and extras. */
export function tagsFor(api: Api, stack: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...api.tags, app: api.name, stack, ...extra };
}
