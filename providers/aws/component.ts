import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type BuildResult, type BuiltUnit, hashDir } from "../../bundle";
import { JWT_AUTHORIZER_DIR } from "../../bundle/targets/aws";
import type { Api } from "../../model";
import { corsEnv } from "../../runtime/aws-lambda";
import type { DeployedApi, DnsRecord, StackConfig } from "../types";
import { type AlarmTarget, awsAlarms } from "./alarms";
import { awsSettings, tagsFor } from "./config";
import { awsDomain, type DomainTarget } from "./domain";
import { chooseFlavour } from "./flavour";
import { lambdaFunction } from "./function";
import { httpApi } from "./http-api";
import { type ApiKeyRef, restApi, restApiKeys } from "./rest-api";
import { type FnRef, routedFunctions } from "./shared";

/** The region resources go to (`aws:region`, as the AWS provider reads it). */
export function awsRegion(): string {
  return new pulumi.Config("aws").get("region") ?? "us-east-1";
}

/** The JWT authorizer bundle the AWS target writes beside the functions (bundle/targets/aws.ts). */
function authorizerUnit(build: BuildResult): BuiltUnit {
  const dir = path.join(build.dir, JWT_AUTHORIZER_DIR);
  return { name: JWT_AUTHORIZER_DIR, dir, ...hashDir(dir) };
}

/**
 * `switchyard:aws:Api`: the model on API Gateway (HTTP or REST flavour, see flavour.ts) and Lambda.
 * Every child is parented here and named `${name}-<role>`.
 */
export class AwsApi extends pulumi.ComponentResource implements DeployedApi {
  readonly url: pulumi.Output<string>;
  readonly apiKeys: pulumi.Output<Record<string, string>>;
  readonly functions: pulumi.Output<Record<string, string>>;
  readonly cloud = "aws" as const;
  readonly flavour: "http" | "rest";
  /** REST only: the Deployment's redeploy hash. */
  readonly redeployHash?: pulumi.Output<string>;
  /** With a domain: the DNS records to create (or created in Route 53). */
  readonly dnsRecords?: pulumi.Output<DnsRecord[]>;

  constructor(name: string, api: Api, config: StackConfig, build: BuildResult, opts?: pulumi.ComponentResourceOptions) {
    super("switchyard:aws:Api", name, {}, opts);
    const settings = awsSettings(config);
    const { flavour } = chooseFlavour(api, config);
    this.flavour = flavour;
    const stack = config.stack;
    const unit = (n: string): BuiltUnit => {
      const u = build.units.find((x) => x.name === n);
      if (!u) throw new Error(`no bundle for ${n} in ${build.dir}`);
      return u;
    };
    const apiKeys: Record<string, ApiKeyRef> = flavour === "rest" ? restApiKeys(name, api, stack, this) : {};
    // The adapter maps the REST event's API key id to the consumer name (runtime/shared.ts consumerMap).
    const consumers = pulumi
      .all(Object.entries(apiKeys).map(([c, k]) => k.key.id.apply((id) => [id, c] as const)))
      .apply((pairs) => JSON.stringify(Object.fromEntries(pairs)));
    const extraEnv: Record<string, pulumi.Input<string>> = {};
    if (Object.keys(apiKeys).length) extraEnv.SWITCHYARD_CONSUMERS = consumers;
    // The adapter answers CORS preflight that reaches a function, and adds CORS headers on REST.
    if (api.cors) extraEnv.SWITCHYARD_CORS = JSON.stringify(corsEnv(api.cors));

    const fns: Record<string, FnRef> = {};
    const arns: Record<string, pulumi.Output<string>> = {};
    const fnNames: Record<string, pulumi.Output<string>> = {};
    for (const spec of Object.values(api.functions)) {
      const { fn, target } = lambdaFunction({
        name,
        api,
        config,
        settings,
        spec,
        unit: unit(spec.name),
        extraEnv,
        retention: api.logging.retentionDays,
        parent: this,
      });
      arns[spec.name] = fn.arn;
      fnNames[spec.name] = fn.name;
      if (routedFunctions(api).includes(spec.name)) fns[spec.name] = target;
    }

    let domainTarget: DomainTarget;
    let alarmTarget: AlarmTarget;
    if (flavour === "http") {
      const http = httpApi({ name, api, stack, functions: fns, parent: this });
      this.url = http.url;
      domainTarget = { flavour, apiId: http.apiId, stageId: http.stageId };
      alarmTarget = { flavour, apiId: http.apiId };
    } else {
      const jwtAuthorizers: Record<string, FnRef> = {};
      for (const scheme of Object.values(api.auth)) {
        if (scheme.type !== "jwt") continue;
        const routes = api.routes.filter((r) => r.auth.kind === "jwt" && r.auth.scheme === scheme.name);
        if (!routes.length) continue;
        const scopes = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.auth.kind === "jwt" ? r.auth.scopes : []]));
        const { target } = lambdaFunction({
          name,
          api,
          config,
          settings,
          spec: { name: `jwt-${scheme.name}`, memoryMb: 256, timeoutSeconds: 10, scaling: { min: 0 }, environment: {}, secrets: [] },
          unit: authorizerUnit(build),
          extraEnv: {
            SWITCHYARD_JWT: JSON.stringify({
              issuer: scheme.issuer,
              audiences: scheme.audiences,
              ...(scheme.jwksUri ? { jwksUri: scheme.jwksUri } : {}),
              scopes,
            }),
          },
          retention: api.logging.retentionDays,
          parent: this,
        });
        jwtAuthorizers[scheme.name] = target;
      }
      const rest = restApi({ name, api, stack, region: awsRegion(), settings, functions: fns, jwtAuthorizers, apiKeys, parent: this });
      this.url = rest.url;
      this.redeployHash = rest.redeployHash;
      domainTarget = { flavour, restApiId: rest.restApiId, stageName: rest.stageName };
      alarmTarget = { flavour, apiName: rest.restApiName, stageName: rest.stageName };
    }
    const tags = (extra: Record<string, string> = {}) => tagsFor(api, stack, extra);
    if (api.domain) {
      const hostedZoneId = config.get("aws.hostedZoneId") || undefined;
      this.dnsRecords = awsDomain({ name, api, hostedZoneId, target: domainTarget, tags: tags(), parent: this });
    }
    if (api.alerts) awsAlarms({ name, api, stack, target: alarmTarget, functions: fnNames, tags, parent: this });
    this.functions = pulumi.all(arns);
    this.apiKeys = pulumi.secret(pulumi.all(Object.fromEntries(Object.entries(apiKeys).map(([c, k]) => [c, k.key.value]))));
    this.registerOutputs({
      url: this.url,
      apiKeys: this.apiKeys,
      functions: this.functions,
      cloud: this.cloud,
      ...(this.dnsRecords ? { dnsRecords: this.dnsRecords } : {}),
    });
  }
}
