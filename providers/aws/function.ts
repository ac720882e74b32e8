import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltUnit } from "../../bundle";
import type { Api, FunctionSpec } from "../../model";
import type { StackConfig } from "../types";
import { type AwsSettings, physicalName, retentionDays, tagsFor } from "./config";

/** The public parameter holding the region's newest arm64 Parameters and Secrets Extension layer ARN. */
export const SECRETS_EXTENSION_PARAMETER = "/aws/service/aws-parameters-and-secrets-lambda-extension/arm64/latest";

/** Environment variable holding the Secrets Manager ARN of secret `name` (never its value). */
export const secretEnvName = (name: string) => `SECRET_ARN_${name}`;

export interface LambdaParts {
  fn: aws.lambda.Function;
  /** What API Gateway invokes: the `live` alias when instances are kept warm, else the function. */
  target: { name: pulumi.Output<string>; invokeArn: pulumi.Output<string>; qualifier?: pulumi.Output<string> };
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  secrets: aws.secretsmanager.Secret[];
}

export interface LambdaArgs {
  /** Component name (the api name): children are `${name}-<role>`. */
  name: string;
  api: Api;
  config: StackConfig;
  settings: AwsSettings;
  /** The model function, or a switchyard-made one (the JWT authorizer). */
  spec: Pick<FunctionSpec, "name" | "memoryMb" | "timeoutSeconds" | "scaling" | "environment" | "secrets" | "canary">;
  unit: BuiltUnit;
  /** Extra environment set by the provider (consumer map, CORS, authorizer settings). */
  extraEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Log retention in days (the model's). */
  retention: number;
  parent: pulumi.Resource;
}

/** The IAM trust policy that lets only the Lambda service assume a function's role. */
export const LAMBDA_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
});

/**
 * One Lambda function with its own role, log group and secrets:
 * - log group `/aws/lambda/<fn>` created first, with the model's retention rounded up to a value
 *   CloudWatch accepts (aws.md §3.2 "Logs"; §5 gotcha 18);
 * - a role trusted by lambda.amazonaws.com only, with an inline policy written as a literal
 *   (SECURITY.md rule 4): logs:CreateLogStream/PutLogEvents on its own log group (what
 *   AWSLambdaBasicExecutionRole grants, scoped), and secretsmanager:GetSecretValue on its own secrets;
 * - each secret in Secrets Manager (value from the Pulumi config secret); the function gets the ARN in
 *   `SECRET_ARN_<NAME>`, never the value (SECURITY.md X1), and the AWS Parameters and Secrets Lambda
 *   Extension layer, through which the adapter reads the value on its first invocation;
 * - runtime from the allow-list, arm64, `index.handler`, code = the bundle folder.
 */
export function lambdaFunction(a: LambdaArgs): LambdaParts {
  const { name, api, spec, parent } = a;
  const opts = { parent };
  const stack = a.config.stack;
  const fnName = physicalName([api.name, stack, spec.name]);
  const tags = tagsFor(api, stack, { function: spec.name });
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-${spec.name}-logs`,
    { name: `/aws/lambda/${fnName}`, retentionInDays: retentionDays(a.retention), tags },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-${spec.name}-role`,
    { name: physicalName([api.name, stack, spec.name, "fn"]), assumeRolePolicy: LAMBDA_TRUST, tags },
    opts,
  );
  const secrets = spec.secrets.map((s) => {
    const secret = new aws.secretsmanager.Secret(
      `${name}-${spec.name}-secret-${s}`,
      // namePrefix: a deleted secret's name stays reserved for its recovery window (7-30 days), so a
      // re-created stack would collide with a fixed name.
      { namePrefix: `switchyard/${api.name}/${stack}/${spec.name}/${s}-`, description: `${s} for function ${spec.name}`, tags },
      opts,
    );
    const value = a.config.getSecret(s);
    if (value === undefined) throw new Error(`secret ${s} is not set (checked before deploy)`);
    new aws.secretsmanager.SecretVersion(
      `${name}-${spec.name}-secret-${s}-version`,
      { secretId: secret.id, secretString: pulumi.secret(value) },
      opts,
    );
    return secret;
  });
  const statements: pulumi.Input<Record<string, unknown>>[] = [
    {
      Sid: "OwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${logGroup.arn}:*`,
    },
  ];
  if (api.tracing) {
    // X-Ray active tracing: PutTraceSegments has no resource type, so the policy must name Resource
    // "*" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html): the
    // one wildcard resource switchyard grants, and only for what SECURITY.md AWS-17 allow-lists
    // (xray:PutTrace*). xray:PutTelemetryRecords (in AWSXRayDaemonWriteAccess) only uploads the
    // daemon's own health counters, not traces, and is outside that allow-list, so it is not granted.
    statements.push({ Sid: "XRayTracing", Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: "*" });
  }
  if (secrets.length) {
    statements.push({ Sid: "OwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets.map((s) => s.arn) });
  }
  const policy = new aws.iam.RolePolicy(
    `${name}-${spec.name}-policy`,
    { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
    opts,
  );
  const environment = pulumi.all([a.extraEnv ?? {}, ...secrets.map((s) => s.arn)]).apply(([extra, ...arns]) => ({
    ...spec.environment,
    ...Object.fromEntries(spec.secrets.map((s, i) => [secretEnvName(s), arns[i] as string])),
    ...(extra as Record<string, string>),
  }));
  // AWS Parameters and Secrets Lambda Extension, for functions with secrets (runtime/aws-lambda.ts
  // loadSecrets): the version pinned by switchyard:aws.secretsExtensionLayer, else the region's newest,
  // which AWS publishes as a public parameter
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html,
  // "Retrieving the latest Lambda extension ARN version"); arm64 as the function below. Read as
  // `insecureValue`: `value` is always marked secret (ssm/getParameter.d.ts), and a layer ARN is not.
  const layers = spec.secrets.length
    ? [a.settings.secretsExtensionLayer ?? aws.ssm.getParameterOutput({ name: SECRETS_EXTENSION_PARAMETER }, opts).insecureValue]
    : undefined;
  const fn = new aws.lambda.Function(
    `${name}-${spec.name}`,
    {
      name: fnName,
      role: role.arn,
      runtime: a.settings.runtime,
      // arm64 is 20% cheaper per GB-s than x86_64 and our bundles are pure JS (aws.md §3.2).
      architectures: ["arm64"],
      handler: "index.handler",
      code: new pulumi.asset.FileArchive(a.unit.dir),
      // Memory 128..10240 MB, timeout 1..900 s: checked in limits() (aws.md §3.2 "Limits").
      memorySize: spec.memoryMb,
      timeout: spec.timeoutSeconds,
      // Only when the model asks: reserving takes capacity from the account pool (aws.md §5 gotcha 22).
      ...(spec.scaling.max !== undefined ? { reservedConcurrentExecutions: spec.scaling.max } : {}),
      environment: { variables: environment },
      ...(layers ? { layers } : {}),
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      // X-Ray: sampled requests are traced; the trace id reaches the handler as ctx.traceId.
      ...(api.tracing ? { tracingConfig: { mode: "Active" } } : {}),
      // A numbered version for the alias that carries provisioned concurrency or the canary (aws.md §2.5).
      ...(spec.scaling.min > 0 || spec.canary ? { publish: true } : {}),
      tags,
    },
    { parent, dependsOn: [logGroup, policy] },
  );
  if (spec.scaling.min <= 0 && !spec.canary) return { fn, role, logGroup, secrets, target: { name: fn.name, invokeArn: fn.invokeArn } };
  // scaling.min: provisioned concurrency on a `live` alias of the latest published version, never
  // $LATEST (lambda/provisionedConcurrencyConfig.d.ts; aws.md §2.5). API Gateway then invokes the alias
  // and the permission names it as qualifier (aws.md §5 gotcha 8).
  const alias = new aws.lambda.Alias(
    `${name}-${spec.name}-alias`,
    {
      name: "live",
      functionName: fn.name,
      description: "switchyard: what API Gateway invokes",
      ...canaryRouting(fn.version, spec.canary?.weight, stableVersion(a.config, spec.name)),
    },
    opts,
  );
  if (spec.scaling.min <= 0)
    return { fn, role, logGroup, secrets, target: { name: fn.name, invokeArn: alias.invokeArn, qualifier: alias.name } };
  new aws.lambda.ProvisionedConcurrencyConfig(
    `${name}-${spec.name}-warm`,
    { functionName: fn.name, qualifier: alias.name, provisionedConcurrentExecutions: spec.scaling.min },
    opts,
  );
  return { fn, role, logGroup, secrets, target: { name: fn.name, invokeArn: alias.invokeArn, qualifier: alias.name } };
}

/** The stable version of a function from `switchyard:aws.stableVersions` (JSON object fn → version). */
export function stableVersion(config: StackConfig, fn: string): string | undefined {
  const v = config.getObject<Record<string, unknown>>("aws.stableVersions")?.[fn];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/**
 * The `live` alias's version and routing (aws.md §2.5 "Function canary";
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html: one additional
 * version, weight 0.0-1.0, numbered versions only). Without a canary, or on a canary's first deploy
 * (no stable version), the alias points at the new version with no routing; while the stable version
 * is also the new one (no code change), likewise.
 */
export function canaryRouting(
  newVersion: pulumi.Output<string>,
  weight: number | undefined,
  stable: string | undefined,
): { functionVersion: pulumi.Input<string>; routingConfig?: pulumi.Input<aws.types.input.lambda.AliasRoutingConfig> } {
  if (weight === undefined || stable === undefined) return { functionVersion: newVersion };
  return {
    functionVersion: stable,
    routingConfig: newVersion.apply((v) => ({ additionalVersionWeights: v === stable ? {} : { [v]: weight / 100 } })),
  };
}
