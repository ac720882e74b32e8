import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { BuildResult } from "../../bundle";
import type { Api, FunctionSpec } from "../../model";
import type { DeployedApi, DnsRecord, StackConfig } from "../types";
import { gcpAlerts } from "./alerts";
import type { GcpSettings } from "./config";
import { gcpDomain } from "./domain";
import { LIMITS, labelValue, physicalName, slug } from "./names";
import { openApiDocument } from "./openapi";
import { cpuFor } from "./sizing";

/**
 * APIs the stack needs (gcp.md §1.2): Cloud Run functions and what builds them
 * (https://cloud.google.com/functions/docs/create-deploy-gcloud), API Gateway's three services
 * (https://docs.cloud.google.com/api-gateway/docs/secure-traffic-gcloud), IAM for the service
 * accounts, Cloud Resource Manager for project IAM bindings.
 */
export const BASE_SERVICES = [
  "apigateway.googleapis.com",
  "artifactregistry.googleapis.com",
  "cloudbuild.googleapis.com",
  "cloudfunctions.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "iam.googleapis.com",
  "logging.googleapis.com",
  "run.googleapis.com",
  "servicecontrol.googleapis.com",
  "servicemanagement.googleapis.com",
  "storage.googleapis.com",
] as const;

/** Logical-name role of a function's resources: `fn-` keeps them apart from the API's own (`gateway`, `config`…). */
function fnRole(f: FunctionSpec): string {
  return `fn-${slug(f.name)}`;
}

/**
 * The GCP deployment of one model: API Gateway (Api, ApiConfig, Gateway) in front of one Cloud Run
 * function (gen2) per model function, every child parented here and named `${name}-<role>`.
 */
export class GcpApi extends pulumi.ComponentResource implements DeployedApi {
  readonly url: pulumi.Output<string>;
  readonly apiKeys: pulumi.Output<Record<string, string>>;
  readonly functions: pulumi.Output<Record<string, string>>;
  readonly cloud = "gcp" as const;
  /** With a domain: the A record of the load balancer in front of the gateway. */
  readonly dnsRecords?: pulumi.Output<DnsRecord[]>;
  /** The rendered OpenAPI document (plain JSON, for review; the ApiConfig carries it base64). */
  readonly openapi: pulumi.Output<string>;

  constructor(
    name: string,
    api: Api,
    settings: GcpSettings,
    config: StackConfig,
    build: BuildResult,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("switchyard:gcp:Api", name, {}, opts);
    const { project, region } = settings;
    const stack = config.stack;
    const base = [api.name, stack];
    const labels = (extra: Record<string, string> = {}) => ({
      ...api.tags,
      app: labelValue(api.name),
      stack: labelValue(stack),
      ...extra,
    });
    const fns = Object.values(api.functions);
    const consumers = Object.values(api.auth).flatMap((s) => (s.type === "apiKey" ? s.consumers : []));
    const usesKeys = api.routes.some((r) => r.auth.kind === "apiKey") && consumers.length > 0;
    const usesSecrets = fns.some((f) => f.secrets.length > 0);

    // 1. APIs first; every other resource depends on them. Left enabled on destroy: the project may
    // use them for other things (projects/service.d.ts `disableOnDestroy`).
    const serviceNames = [
      ...BASE_SERVICES,
      ...(usesKeys ? ["apikeys.googleapis.com"] : []),
      ...(usesSecrets ? ["secretmanager.googleapis.com"] : []),
      // The domain's load balancer and the alert policies (production features).
      ...(api.domain ? ["compute.googleapis.com"] : []),
      ...(api.alerts ? ["monitoring.googleapis.com"] : []),
    ].sort();
    const services = serviceNames.map(
      (service) =>
        new gcp.projects.Service(
          `${name}-service-${service.split(".")[0]}`,
          { project, service, disableOnDestroy: false },
          { parent: this },
        ),
    );
    const after = (...more: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ parent: this, dependsOn: [...services, ...more] });

    // 2. Identities: one runtime account per function, one build account, one gateway account; never
    // the Compute Engine default account.
    const account = (role: string, displayName: string) =>
      new gcp.serviceaccount.Account(
        `${name}-${role}-sa`,
        { project, accountId: physicalName([...base, role], LIMITS.serviceAccount), displayName },
        after(),
      );
    const gatewaySa = account("gateway", `${api.name} (${stack}): API Gateway identity calling the functions`);
    const buildSa = account("build", `${api.name} (${stack}): builds the functions' containers`);
    const runtimeSas = Object.fromEntries(
      fns.map((f) => [f.name, account(fnRole(f), `${api.name} (${stack}): runtime identity of function ${f.name}`)]),
    );
    const allSas: [string, gcp.serviceaccount.Account][] = [
      ["gateway", gatewaySa],
      ["build", buildSa],
      ...fns.map((f) => [fnRole(f), runtimeSas[f.name]!] as [string, gcp.serviceaccount.Account]),
    ];
    for (const [role, sa] of allSas) {
      settings.deployers.forEach((member, i) => {
        new gcp.serviceaccount.IAMMember(
          `${name}-${role}-sa-actas-${i}`,
          { serviceAccountId: sa.name, role: "roles/iam.serviceAccountUser", member },
          after(),
        );
      });
    }

    // 3. Source bucket: private, uniform access, no soft-delete copies of old zips.
    const bucket = new gcp.storage.Bucket(
      `${name}-source`,
      {
        project,
        name: physicalName(
          [...base, "src", createHash("sha256").update(`${project}/${api.name}/${stack}`).digest("hex").slice(0, 8)],
          LIMITS.bucket,
        ),
        location: region.toUpperCase(),
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        forceDestroy: true,
        softDeletePolicy: { retentionDurationSeconds: 0 },
        labels: labels(),
      },
      after(),
    );

    // The build account: logs, the gcf-artifacts image repository, and reading this bucket's sources
    // (https://cloud.google.com/functions/docs/securing/build-custom-sa).
    const buildGrants: pulumi.Resource[] = [
      ...["roles/logging.logWriter", "roles/artifactregistry.writer"].map(
        (role) =>
          new gcp.projects.IAMMember(
            `${name}-build-${role.split("/")[1]!.split(".")[0]}`,
            { project, role, member: buildSa.member },
            after(),
          ),
      ),
      new gcp.storage.BucketIAMMember(
        `${name}-build-source-reader`,
        { bucket: bucket.name, role: "roles/storage.objectViewer", member: buildSa.member },
        after(),
      ),
    ];

    // 4. Functions.
    const functions: Record<string, gcp.cloudfunctionsv2.Function> = {};
    const runServices: Record<string, string> = {};
    const invokers: pulumi.Resource[] = [];
    for (const f of fns) {
      const role = fnRole(f);
      const short = slug(f.name);
      const unit = build.units.find((u) => u.name === f.name);
      if (!unit) throw new Error(`no GCP bundle for function ${f.name}`);
      const sa = runtimeSas[f.name]!;
      // The object name carries the content hash: new code → new object name → the function's
      // source changes and it is rebuilt (a same-name re-upload would not redeploy it; gcp.md §1.3).
      const source = new gcp.storage.BucketObject(
        `${name}-${role}-source`,
        { bucket: bucket.name, name: `${short}/${unit.hash}.zip`, source: new pulumi.asset.FileArchive(unit.dir) },
        after(),
      );
      const { secretEnv, readers } = this.secrets(name, f, project, sa, config, labels, after);
      const fnName = physicalName([...base, short], LIMITS.function);
      const concurrency = f.scaling.concurrency ?? 1;
      const cpu = cpuFor(f.memoryMb, concurrency);
      const fn = new gcp.cloudfunctionsv2.Function(
        `${name}-${role}`,
        {
          project,
          location: region,
          name: fnName,
          description: f.description ?? `${api.name} function ${f.name}`,
          labels: labels({ function: labelValue(f.name) }),
          buildConfig: {
            runtime: settings.runtime,
            entryPoint: "handler",
            serviceAccount: buildSa.id,
            source: { storageSource: { bucket: bucket.name, object: source.name } },
          },
          serviceConfig: {
            availableMemory: `${f.memoryMb}Mi`,
            ...(cpu ? { availableCpu: cpu } : {}),
            timeoutSeconds: f.timeoutSeconds,
            minInstanceCount: f.scaling.min,
            ...(f.scaling.max !== undefined ? { maxInstanceCount: f.scaling.max } : {}),
            maxInstanceRequestConcurrency: concurrency,
            serviceAccountEmail: sa.email,
            // API Gateway is not an "internal" ingress source, so the function must accept all
            // ingress; IAM (run.invoker for the gateway only) is the gate (gcp.md §5.21).
            ingressSettings: "ALLOW_ALL",
            allTrafficOnLatestRevision: true,
            ...(Object.keys(f.environment).length ? { environmentVariables: { ...f.environment } } : {}),
            ...(secretEnv.length ? { secretEnvironmentVariables: secretEnv } : {}),
          },
        },
        after(...buildGrants, ...readers),
      );
      functions[f.name] = fn;
      // A Cloud Run function runs as the Cloud Run service of the same name (its metrics' service_name).
      runServices[f.name] = fnName;
      // Gen2 functions are Cloud Run services: invoking needs run.invoker on the service
      // (FunctionIamMember rejects roles/run.invoker with HTTP 400; gcp.md §2.4).
      invokers.push(
        new gcp.cloudrunv2.ServiceIamMember(
          `${name}-${role}-invoker`,
          {
            project,
            location: region,
            name: fn.serviceConfig.apply((sc) => sc?.service ?? fnName),
            role: "roles/run.invoker",
            member: gatewaySa.member,
          },
          after(),
        ),
      );
    }

    // 5. API Gateway.
    const gwApi = new gcp.apigateway.Api(
      `${name}-api`,
      { project, apiId: physicalName(base, LIMITS.api), displayName: `${api.name} (${stack})`, labels: labels() },
      after(),
    );
    const urls = pulumi.all(
      Object.fromEntries(Object.entries(functions).map(([k, fn]) => [k, fn.serviceConfig.apply((sc) => sc?.uri ?? "")])),
    );
    this.openapi = urls.apply((u) => JSON.stringify(openApiDocument(api, u as Record<string, string>), null, 2));
    const configPrefix = physicalName(base, { min: 1, max: LIMITS.apiConfig.max - 13 });
    const apiConfig = new gcp.apigateway.ApiConfig(
      `${name}-config`,
      {
        project,
        api: gwApi.apiId,
        // Configs are immutable: a content-derived ID makes every change a replacement that Pulumi
        // creates before deleting the old one (no deleteBeforeReplace), while the gateway is
        // switched in place; a fixed ID would collide (409) on replacement (gcp.md §2.1).
        apiConfigId: this.openapi.apply((doc) => `${configPrefix}-${createHash("sha256").update(doc).digest("hex").slice(0, 12)}`),
        displayName: `${api.name} (${stack})`,
        openapiDocuments: [
          { document: { path: "openapi.json", contents: this.openapi.apply((doc) => Buffer.from(doc).toString("base64")) } },
        ],
        gatewayConfig: { backendConfig: { googleServiceAccount: gatewaySa.email } },
        labels: labels(),
      },
      after(...invokers),
    );
    const gateway = new gcp.apigateway.Gateway(
      `${name}-gateway`,
      {
        project,
        region,
        gatewayId: physicalName(base, LIMITS.gateway),
        apiConfig: apiConfig.id,
        displayName: `${api.name} (${stack})`,
        labels: labels(),
      },
      after(),
    );

    // 6. API keys: the API's managed service must be enabled in the project, which Google does once
    // the config and gateway exist (gcp.md corrections; https://docs.cloud.google.com/api-gateway/docs/authenticate-api-keys).
    const keys: Record<string, pulumi.Output<string>> = {};
    if (usesKeys) {
      const managed = new gcp.projects.Service(
        `${name}-managed-service`,
        { project, service: gwApi.managedService, disableOnDestroy: false },
        after(gateway),
      );
      for (const consumer of [...new Set(consumers)].sort()) {
        const key = new gcp.projects.ApiKey(
          `${name}-key-${slug(consumer)}`,
          {
            project,
            name: physicalName([...base, consumer], LIMITS.apiKey),
            displayName: `${api.name} (${stack}) consumer ${consumer}`,
            restrictions: { apiTargets: [{ service: gwApi.managedService }] },
          },
          after(managed),
        );
        keys[consumer] = key.keyString;
      }
    }

    if (api.domain) {
      const domain = gcpDomain({
        name,
        domain: api.domain,
        project,
        region,
        gatewayId: gateway.gatewayId,
        prefix: physicalName(base, { min: 1, max: 50 }),
        labels: labels(),
        opts: after(gateway),
      });
      this.dnsRecords = domain.records;
    }
    if (api.alerts) {
      gcpAlerts({
        name,
        alerts: api.alerts,
        project,
        apiName: api.name,
        stack,
        gatewayId: gateway.gatewayId,
        functions: runServices,
        labels,
        opts: after(),
      });
    }

    this.url = pulumi.interpolate`https://${gateway.defaultHostname}`;
    this.apiKeys = pulumi.secret(pulumi.all(keys) as pulumi.Output<Record<string, string>>);
    this.functions = pulumi.all(Object.fromEntries(Object.entries(functions).map(([k, fn]) => [k, fn.id]))) as pulumi.Output<
      Record<string, string>
    >;
    this.registerOutputs({
      url: this.url,
      apiKeys: this.apiKeys,
      functions: this.functions,
      openapi: this.openapi,
      ...(this.dnsRecords ? { dnsRecords: this.dnsRecords } : {}),
    });
  }

  /** One Secret Manager secret + version per function secret, readable by that function's account only. */
  private secrets(
    name: string,
    f: FunctionSpec,
    project: string,
    sa: gcp.serviceaccount.Account,
    config: StackConfig,
    labels: (extra?: Record<string, string>) => Record<string, string>,
    after: (...more: pulumi.Resource[]) => pulumi.CustomResourceOptions,
  ) {
    const role = fnRole(f);
    const secretEnv: gcp.types.input.cloudfunctionsv2.FunctionServiceConfigSecretEnvironmentVariable[] = [];
    const readers: pulumi.Resource[] = [];
    for (const key of f.secrets) {
      const value = config.getSecret(key);
      if (value === undefined) throw new Error(`secret ${key} is not set (checked before deploy)`);
      const id = `${role}-${slug(key)}`;
      const secret = new gcp.secretmanager.Secret(
        `${name}-${id}-secret`,
        {
          project,
          secretId: physicalName([name, config.stack, slug(f.name), key], LIMITS.secret),
          replication: { auto: {} },
          labels: labels({ function: labelValue(f.name) }),
        },
        after(),
      );
      const version = new gcp.secretmanager.SecretVersion(`${name}-${id}-version`, { secret: secret.id, secretData: value }, after());
      readers.push(
        new gcp.secretmanager.SecretIamMember(
          `${name}-${id}-reader`,
          { project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: sa.member },
          after(),
        ),
      );
      // Pinned version, as Google recommends for environment-variable secrets
      // (https://cloud.google.com/functions/docs/configuring/secrets).
      secretEnv.push({ key, projectId: project, secret: secret.secretId, version: version.version });
    }
    return { secretEnv, readers };
  }
}
