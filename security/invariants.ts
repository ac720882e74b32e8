/**
 * Security invariants over a plan document (`npm run plan -- --json`), one per cloud per rule, as pure
 * functions. Each restates a control of /work/shared/SECURITY.md (ids X1–X10, AWS-n, AZ-n, GCP-n) as a
 * predicate over the planned resources; `check` returns the findings (empty = pass).
 */
import type { PlanDocument, PlanResource } from "../plan/run";
import type { CloudName } from "../providers/types";
import {
  apimPolicies,
  asArray,
  type Finding,
  finding,
  type In,
  inputs,
  json,
  ofType,
  openApiDocs,
  operations,
  SECRET,
  SECRET_CONFIG_SENTINEL,
  strings,
  xmlAttr,
  xmlElements,
  xmlTexts,
} from "./plan-view";
import { isReference, plainSecretSetting, secretValueKinds } from "./secrets";

export type { Finding } from "./plan-view";

/** What a check may need beyond the plan document. */
export interface AuditContext {
  /** Retention floor for logs in days (SECURITY.md X5: 365 in prod, ≥ 7 for previews). Default: by stack name. */
  retentionFloorDays?: number;
  /** The stack file's raw `secure:` values (ciphertexts): they must never appear in the plan. */
  secureValues?: string[];
  /** Reads a file of a built bundle, by project-relative path (the plan's archive paths); undefined if absent. */
  readBuildFile?: (relPath: string) => string | undefined;
}

export interface Invariant {
  /** The cross-cloud rule id of SECURITY.md §0 (X1–X10). */
  id: string;
  cloud: CloudName;
  /** The cloud-specific controls it asserts (SECURITY.md §1–3). */
  controls: string[];
  title: string;
  /** What part of the rule cannot be checked on this cloud, and why. */
  note?: string;
  check(plan: PlanDocument, ctx?: AuditContext): Finding[];
}

/** SECURITY.md X5: `cfg.logRetentionFloorDays`, 365 in prod (CloudWatch.16, CKV_AWS_338), ≥ 7 otherwise. */
export function retentionFloor(plan: PlanDocument, ctx: AuditContext = {}): number {
  return ctx.retentionFloorDays ?? (/(^|[-_.])prod(uction)?($|[-_.])/i.test(plan.stack) ? 365 : 7);
}

// ---------------------------------------------------------------------------------------------
// Shared predicates
// ---------------------------------------------------------------------------------------------

/** X1 parts that hold on every cloud: detectors over every string, masked secrets never embedded. */
function plainTextSecrets(plan: PlanDocument, ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const scan = (name: string, root: string, v: unknown) => {
    for (const [p, s] of strings(v, root)) {
      for (const kind of secretValueKinds(s)) out.push(finding(name, `${p} holds a ${kind} in plain text`));
      if (s.includes(SECRET_CONFIG_SENTINEL)) {
        out.push(finding(name, `${p} holds a secret config value unmasked (read with getSecret/requireSecret, never get)`));
      }
      if (s !== SECRET && s.includes(SECRET)) {
        out.push(finding(name, `${p} embeds a secret config value in a plain string (read with getSecret/requireSecret)`));
      }
      for (const secure of ctx.secureValues ?? []) {
        if (secure && s.includes(secure)) out.push(finding(name, `${p} contains the stack's encrypted config value`));
      }
    }
  };
  for (const r of plan.resources) scan(r.name, "inputs", r.inputs);
  scan("plan", "outputs", plan.outputs);
  // Secret material the program hands to a resource must arrive as a Pulumi secret (masked).
  for (const r of plan.resources) {
    for (const p of SECRET_INPUTS[r.type] ?? []) {
      const v = p.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as In)[k] : undefined), r.inputs);
      if (v !== undefined && v !== SECRET) out.push(finding(r, `inputs.${p} is not a Pulumi secret`));
    }
    if (
      r.type === "azure-native:apimanagement:NamedValue" &&
      inputs(r).secret === true &&
      inputs(r).value !== undefined &&
      inputs(r).value !== SECRET
    ) {
      out.push(finding(r, "inputs.value of a secret named value is not a Pulumi secret"));
    }
    if (r.type === "azure-native:resources:Deployment") {
      const props = (inputs(r).properties ?? {}) as In;
      for (const [name, decl] of Object.entries((props.template?.parameters ?? {}) as Record<string, In>)) {
        const v = props.parameters?.[name]?.value;
        if (/^secure(string|object)$/i.test(String(decl?.type)) && v !== undefined && v !== SECRET) {
          out.push(finding(r, `ARM parameter ${name} is a ${decl.type} but not a Pulumi secret`));
        }
      }
    }
  }
  for (const [k, v] of Object.entries(plan.outputs ?? {})) {
    if (SECRET_OUTPUT.test(k) && v !== SECRET && v !== null && v !== undefined)
      out.push(finding("plan", `output ${k} is not a Pulumi secret`));
  }
  return out;
}

/** Inputs that carry secret material by definition (the resource types' Args in node_modules/@pulumi/*). */
const SECRET_INPUTS: Record<string, string[]> = {
  "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
  "aws:apigateway/apiKey:ApiKey": ["value"],
  "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
  "azure-native:keyvault:Secret": ["properties.value"],
  "azure-native:apimanagement:Subscription": ["primaryKey", "secondaryKey"],
};
/** Stack outputs whose name says they hold keys or credentials. */
const SECRET_OUTPUT = /key|secret|passw|token|credential/i;

/** X1 on `name → value` settings that end up as plain function configuration. */
function settings(r: PlanResource, where: string, bag: unknown): Finding[] {
  if (bag === SECRET) return [finding(r, `${where} is a Pulumi secret stored as plain-text function configuration`)];
  if (!bag || typeof bag !== "object") return [];
  const out: Finding[] = [];
  for (const [k, v] of Object.entries(bag as Record<string, unknown>)) {
    const why = plainSecretSetting(k, v, SECRET);
    if (why) out.push(finding(r, `${where}: ${why}`));
  }
  return out;
}

/** X7: origins that are not one explicit https origin (http only for localhost). */
function badOrigins(origins: unknown[], credentials: boolean): string[] {
  const out: string[] = [];
  for (const o of origins) {
    const s = String(o).trim();
    if (s === "*" || s.includes("*"))
      out.push(credentials ? `origin "${s}" is a wildcard with credentials allowed` : `origin "${s}" is a wildcard`);
    else if (s === "null") out.push(`origin "null" is allowed`);
    else if (!/^https:\/\/[^/\s]+$/.test(s) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(s)) {
      out.push(`origin "${s}" is not an explicit https origin`);
    }
  }
  return out;
}

function modelCors(plan: PlanDocument): Finding[] {
  const cors = plan.api?.cors as { allowOrigins?: unknown[]; allowCredentials?: boolean } | null | undefined;
  if (!cors) return [];
  return badOrigins(cors.allowOrigins ?? [], !!cors.allowCredentials).map((m) => finding("api.cors", m));
}

const isHttps = (v: unknown) => typeof v === "string" && v.startsWith("https://");

function jwtSchemes(plan: PlanDocument): [string, { issuer?: string; audiences?: string[] }][] {
  return Object.entries((plan.api?.auth ?? {}) as Record<string, In>).filter(([, s]) => s?.type === "jwt") as [
    string,
    { issuer?: string; audiences?: string[] },
  ][];
}

function jwtConfigProblems(where: string, issuer: unknown, audiences: unknown): string[] {
  const out: string[] = [];
  if (!isHttps(issuer)) out.push(`${where}: issuer ${JSON.stringify(issuer ?? null)} is not pinned to an https issuer`);
  const auds = asArray(audiences as string | string[]).filter((a) => typeof a === "string" && a.trim() !== "");
  if (!auds.length) out.push(`${where}: no audience is pinned`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------

const AWS = {
  fn: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  url: "aws:lambda/functionUrl:FunctionUrl",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  restStage: "aws:apigateway/stage:Stage",
  httpStage: "aws:apigatewayv2/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  restIntegration: "aws:apigateway/integration:Integration",
  httpIntegration: "aws:apigatewayv2/integration:Integration",
  restAuthorizer: "aws:apigateway/authorizer:Authorizer",
  httpAuthorizer: "aws:apigatewayv2/authorizer:Authorizer",
  httpApi: "aws:apigatewayv2/api:Api",
  restApi: "aws:apigateway/restApi:RestApi",
  restDomain: "aws:apigateway/domainName:DomainName",
  httpDomain: "aws:apigatewayv2/domainName:DomainName",
};

/** The ids of the API Gateway APIs in the plan (REST `restApi`, HTTP `apiId` inputs). */
function awsApiIds(plan: PlanDocument): Set<string> {
  const ids = new Set<string>();
  for (const r of plan.resources) {
    if (r.type.startsWith("aws:apigateway/") && typeof inputs(r).restApi === "string") ids.add(inputs(r).restApi);
    if (r.type.startsWith("aws:apigatewayv2/") && typeof inputs(r).apiId === "string") ids.add(inputs(r).apiId);
  }
  return ids;
}

/** Actions that only work on Resource "*" (SECURITY.md AWS-17 allow-list). */
const STAR_RESOURCE_OK = [/^xray:PutTrace/, /^ec2:[A-Za-z]*NetworkInterface/];
/** AWS-17: managed policies that are never attached. */
const PRIVILEGED_MANAGED = /\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const TRUSTED_SERVICES = new Set(["lambda.amazonaws.com", "apigateway.amazonaws.com"]);

function iamStatementProblems(doc: unknown, where: string): string[] {
  if (!doc || typeof doc !== "object") return [`${where}: not a JSON policy document`];
  const out: string[] = [];
  for (const [i, st] of asArray((doc as In).Statement as In[]).entries()) {
    if (st?.Effect !== "Allow") continue;
    const at = `${where} statement ${st.Sid ?? i}`;
    if (st.NotAction !== undefined) out.push(`${at}: uses NotAction`);
    if (st.NotResource !== undefined) out.push(`${at}: uses NotResource`);
    const actions = asArray(st.Action as string | string[]);
    for (const a of actions) {
      if (a === "*") out.push(`${at}: Action "*"`);
      else if (/^[a-z0-9-]+:\*$/i.test(a)) out.push(`${at}: Action "${a}" grants a whole service`);
    }
    const resources = asArray(st.Resource as string | string[]);
    if (resources.includes("*")) {
      const restrictable = actions.filter((a) => !STAR_RESOURCE_OK.some((re) => re.test(a)));
      if (restrictable.length) out.push(`${at}: Resource "*" for ${restrictable.join(", ")}`);
    }
  }
  return out;
}

const aws: Invariant[] = [
  {
    id: "X6",
    cloud: "aws",
    controls: ["AWS-11", "AWS-12"],
    title: "functions reachable only through the gateway: no Lambda function URL, invoke permissions only for this API",
    check(plan) {
      const out: Finding[] = [];
      for (const u of ofType(plan, AWS.url)) out.push(finding(u, "a Lambda function URL is a second, ungated entry point"));
      const apis = awsApiIds(plan);
      for (const p of ofType(plan, AWS.permission)) {
        const i = inputs(p);
        if (i.principal !== "apigateway.amazonaws.com")
          out.push(finding(p, `principal ${JSON.stringify(i.principal)} is not apigateway.amazonaws.com`));
        if (i.action !== "lambda:InvokeFunction") out.push(finding(p, `action ${JSON.stringify(i.action)} is not lambda:InvokeFunction`));
        if (i.functionUrlAuthType !== undefined) out.push(finding(p, "grants a function URL"));
        const m = typeof i.sourceArn === "string" ? /^arn:aws:execute-api:[a-z0-9-]+:\d{12}:([A-Za-z0-9]+)\/.+$/.exec(i.sourceArn) : null;
        if (!m) out.push(finding(p, `sourceArn ${JSON.stringify(i.sourceArn ?? null)} is not scoped to an API's execution ARN`));
        else if (!apis.has(m[1] as string)) out.push(finding(p, `sourceArn names API ${m[1]}, which is not an API of this stack`));
      }
      return out;
    },
  },
  {
    id: "X3/X4",
    cloud: "aws",
    controls: ["AWS-6", "AWS Config apigatewayv2-integration-private-https-enabled"],
    title: "HTTPS only and TLS ≥ 1.2: https upstream integrations, TLS 1.2+ security policies",
    note: "the execute-api endpoint's TLS policy is not configurable without a custom domain; custom domains are checked when present",
    check(plan) {
      const out: Finding[] = [];
      for (const r of ofType(plan, AWS.restIntegration)) {
        const i = inputs(r);
        if ((i.type === "HTTP" || i.type === "HTTP_PROXY") && !isHttps(i.uri))
          out.push(finding(r, `upstream ${JSON.stringify(i.uri)} is not https`));
      }
      for (const r of ofType(plan, AWS.httpIntegration)) {
        const i = inputs(r);
        if (i.connectionType === "VPC_LINK") {
          if (!i.tlsConfig) out.push(finding(r, "VPC link integration without tlsConfig"));
        } else if ((i.integrationType === "HTTP_PROXY" || i.integrationType === "HTTP") && !isHttps(i.integrationUri)) {
          out.push(finding(r, `upstream ${JSON.stringify(i.integrationUri)} is not https`));
        }
      }
      const TLS = /^(TLS_1_2|SecurityPolicy_TLS12_.*_EDGE|SecurityPolicy_TLS13_.*)$/;
      for (const r of ofType(plan, AWS.httpDomain)) {
        const p = inputs(r).domainNameConfiguration?.securityPolicy;
        if (!TLS.test(String(p))) out.push(finding(r, `security policy ${JSON.stringify(p ?? null)} allows TLS < 1.2`));
      }
      for (const r of ofType(plan, AWS.restDomain)) {
        const p = inputs(r).securityPolicy;
        if (!TLS.test(String(p))) out.push(finding(r, `security policy ${JSON.stringify(p ?? null)} allows TLS < 1.2`));
      }
      for (const r of ofType(plan, AWS.restApi)) {
        const p = inputs(r).securityPolicy;
        if (p !== undefined && !TLS.test(String(p))) out.push(finding(r, `security policy ${JSON.stringify(p)} allows TLS < 1.2`));
      }
      return out;
    },
  },
  {
    id: "X2",
    cloud: "aws",
    controls: ["AWS-17"],
    title: "least privilege: no wildcard actions or resources, no admin policies, trusted principals only, one role per function",
    check(plan) {
      const out: Finding[] = [];
      for (const r of ofType(plan, AWS.rolePolicy, AWS.policy)) {
        for (const m of iamStatementProblems(json(inputs(r).policy), "policy")) out.push(finding(r, m));
      }
      for (const r of ofType(plan, AWS.role)) {
        const i = inputs(r);
        for (const [n, p] of asArray(i.inlinePolicies as In[]).entries()) {
          for (const m of iamStatementProblems(json(p?.policy), `inline policy ${p?.name ?? n}`)) out.push(finding(r, m));
        }
        for (const arn of asArray(i.managedPolicyArns as string[])) {
          if (PRIVILEGED_MANAGED.test(arn)) out.push(finding(r, `attaches ${arn}`));
        }
        const trust = json(i.assumeRolePolicy) as In | undefined;
        if (!trust) out.push(finding(r, "assumeRolePolicy is not a JSON policy document"));
        for (const st of asArray(trust?.Statement as In[])) {
          if (st?.Effect !== "Allow") continue;
          const principal = st.Principal;
          if (principal === "*" || (principal && typeof principal === "object" && "AWS" in principal)) {
            out.push(finding(r, `trusts ${JSON.stringify(principal)}`));
            continue;
          }
          for (const s of asArray((principal as In | undefined)?.Service as string[])) {
            if (!TRUSTED_SERVICES.has(s)) out.push(finding(r, `trusts service ${s}`));
          }
          if (!principal) out.push(finding(r, "a trust statement has no Principal"));
        }
      }
      for (const r of ofType(plan, AWS.attachment)) {
        if (PRIVILEGED_MANAGED.test(String(inputs(r).policyArn))) out.push(finding(r, `attaches ${inputs(r).policyArn}`));
      }
      const byRole = new Map<string, string[]>();
      for (const f of ofType(plan, AWS.fn)) {
        const role = String(inputs(f).role);
        byRole.set(role, [...(byRole.get(role) ?? []), f.name]);
      }
      for (const [role, fns] of byRole)
        if (fns.length > 1) out.push(finding(fns[0] as string, `role ${role} is shared by ${fns.join(", ")}`));
      return out;
    },
  },
  {
    id: "X1",
    cloud: "aws",
    controls: ["AWS-15", "CKV_AWS_45"],
    title: "secrets only as Pulumi secrets: none in plain text in the plan or in Lambda environments",
    check(plan, ctx = {}) {
      const out = plainTextSecrets(plan, ctx);
      for (const f of ofType(plan, AWS.fn)) {
        const env = inputs(f).environment;
        out.push(...settings(f, "environment", env === SECRET ? SECRET : env?.variables));
      }
      return out;
    },
  },
  {
    id: "X5",
    cloud: "aws",
    controls: ["AWS-3", "AWS-4", "AWS-16"],
    title: "access logs on, without credentials or payloads, in log groups with retention",
    check(plan, ctx = {}) {
      const out: Finding[] = [];
      const floor = retentionFloor(plan, ctx);
      const groups = new Map(ofType(plan, AWS.logGroup).map((g) => [String(inputs(g).name), g]));
      const stages = ofType(plan, AWS.restStage, AWS.httpStage);
      if (!stages.length) out.push(finding("plan", "no API Gateway stage, so no access log"));
      for (const s of stages) {
        const a = inputs(s).accessLogSettings as In | undefined;
        if (!a?.destinationArn || !a?.format) {
          out.push(finding(s, "access logging is off (accessLogSettings.destinationArn and format)"));
          continue;
        }
        const name = /:log-group:([^:]+)(:\*)?$/.exec(String(a.destinationArn))?.[1];
        if (!name || !groups.has(name)) out.push(finding(s, `access log destination ${a.destinationArn} is not a log group of this stack`));
        // The caller's subject (REST authorizer principalId, HTTP JWT claims.sub) is the "who" of an
        // access log and not a secret, and $context.authorizer.error is the authorizer's error
        // message; any other authorizer claim or context, or the Authorization header, must not be
        // logged (SECURITY.md AWS-3).
        const format = String(a.format).replace(/\$context\.authorizer\.(principalId|claims\.sub|error)\b/g, "");
        if (/\$context\.authorizer\./.test(format)) out.push(finding(s, "access log format records authorizer claims"));
        if (/authorization/i.test(format.replace(/\$context\.authorizer\b/g, ""))) {
          out.push(finding(s, "access log format records the Authorization header"));
        }
      }
      for (const ms of ofType(plan, AWS.methodSettings)) {
        const st = (inputs(ms).settings ?? {}) as In;
        if (st.dataTraceEnabled === true) out.push(finding(ms, "dataTraceEnabled logs full request and response payloads"));
        if (inputs(ms).methodPath === "*/*" && (!["ERROR", "INFO"].includes(st.loggingLevel) || st.metricsEnabled !== true)) {
          out.push(finding(ms, "REST execution logging (loggingLevel ERROR|INFO, metricsEnabled) is off"));
        }
      }
      for (const [name, g] of groups) {
        const days = inputs(g).retentionInDays;
        if (!(typeof days === "number" && days > 0)) out.push(finding(g, `log group ${name} never expires (no retentionInDays)`));
        else if (days < floor) out.push(finding(g, `log group ${name} keeps ${days} days, below the ${floor}-day floor`));
      }
      for (const f of ofType(plan, AWS.fn)) {
        const name = (inputs(f).loggingConfig as In | undefined)?.logGroup ?? `/aws/lambda/${inputs(f).name}`;
        if (!groups.has(String(name))) out.push(finding(f, `function logs go to ${name}, which this stack does not manage (no retention)`));
      }
      return out;
    },
  },
  {
    id: "X9",
    cloud: "aws",
    controls: ["AWS-2"],
    title: "JWT authorizers pin issuer and audience",
    check(plan) {
      const out: Finding[] = [];
      for (const a of ofType(plan, AWS.httpAuthorizer)) {
        const i = inputs(a);
        if (i.authorizerType !== "JWT") continue;
        for (const m of jwtConfigProblems("jwtConfiguration", i.jwtConfiguration?.issuer, i.jwtConfiguration?.audiences))
          out.push(finding(a, m));
      }
      // REST has no JWT authorizer: switchyard's substitute is a Lambda REQUEST authorizer whose
      // issuer and audiences are its SWITCHYARD_JWT environment (providers/aws/jwt-authorizer.ts).
      const fns = new Map(ofType(plan, AWS.fn).map((f) => [String(inputs(f).name), f]));
      const restJwt = new Map<string, PlanResource>();
      for (const a of ofType(plan, AWS.restAuthorizer)) {
        const fnName = /:function:([^/:]+)(?::[^/]+)?\/invocations$/.exec(String(inputs(a).authorizerUri))?.[1];
        const fn = fnName ? fns.get(fnName) : undefined;
        const cfg = fn ? (json(inputs(fn).environment?.variables?.SWITCHYARD_JWT) as In | undefined) : undefined;
        if (!cfg) {
          out.push(finding(a, `authorizer function ${fnName ?? "?"} has no JWT configuration in this plan`));
          continue;
        }
        restJwt.set(String(inputs(a).name), a);
        for (const m of jwtConfigProblems(`function ${fnName} SWITCHYARD_JWT`, cfg.issuer, cfg.audiences)) out.push(finding(a, m));
      }
      const httpJwt = new Set(
        ofType(plan, AWS.httpAuthorizer)
          .filter((a) => inputs(a).authorizerType === "JWT")
          .map((a) => String(inputs(a).name)),
      );
      for (const [scheme] of jwtSchemes(plan)) {
        if (!restJwt.has(scheme) && !httpJwt.has(scheme)) out.push(finding("api.auth", `JWT scheme "${scheme}" has no JWT authorizer`));
      }
      return out;
    },
  },
  {
    id: "X7",
    cloud: "aws",
    controls: ["CKV2_AWS_75", "OWASP API8"],
    title: "CORS: explicit https origins only, never * (with or without credentials)",
    check(plan) {
      const out = modelCors(plan);
      for (const r of ofType(plan, AWS.httpApi)) {
        const c = inputs(r).corsConfiguration as In | undefined;
        if (c) for (const m of badOrigins(asArray(c.allowOrigins), !!c.allowCredentials)) out.push(finding(r, m));
      }
      for (const r of ofType(plan, AWS.url)) {
        const c = inputs(r).cors as In | undefined;
        if (c) for (const m of badOrigins(asArray(c.allowOrigins), !!c.allowCredentials)) out.push(finding(r, m));
      }
      // REST CORS is static header mappings ('value' in single quotes) on responses.
      for (const r of plan.resources) {
        if (!r.type.startsWith("aws:apigateway/")) continue;
        const params = (inputs(r).responseParameters ?? {}) as Record<string, unknown>;
        const get = (h: string) => Object.entries(params).find(([k]) => k.toLowerCase().endsWith(`.${h}`))?.[1] as string | undefined;
        const origin = get("access-control-allow-origin");
        if (typeof origin !== "string") continue;
        const creds = String(get("access-control-allow-credentials") ?? "").replace(/'/g, "") === "true";
        for (const m of badOrigins([origin.replace(/^'|'$/g, "")], creds)) out.push(finding(r, m));
      }
      for (const f of ofType(plan, AWS.fn)) {
        const c = json(inputs(f).environment?.variables?.SWITCHYARD_CORS) as In | undefined;
        if (c) for (const m of badOrigins(asArray(c.allowOrigins), !!c.allowCredentials)) out.push(finding(f, `SWITCHYARD_CORS: ${m}`));
      }
      return out;
    },
  },
  {
    id: "X10",
    cloud: "aws",
    controls: ["AWS-5", "OWASP API4"],
    title: "rate limit at the gateway: stage-wide throttling rate and burst",
    check(plan) {
      const out: Finding[] = [];
      const positive = (x: unknown) => typeof x === "number" && x > 0;
      for (const s of ofType(plan, AWS.httpStage)) {
        const d = inputs(s).defaultRouteSettings as In | undefined;
        if (!positive(d?.throttlingRateLimit) || !positive(d?.throttlingBurstLimit)) {
          out.push(finding(s, "defaultRouteSettings has no throttling rate and burst"));
        }
      }
      const settingsAll = ofType(plan, AWS.methodSettings).filter((m) => inputs(m).methodPath === "*/*");
      for (const s of ofType(plan, AWS.restStage)) {
        const ms = settingsAll.find((m) => inputs(m).stageName === inputs(s).stageName && inputs(m).restApi === inputs(s).restApi);
        const st = (ms ? inputs(ms).settings : undefined) as In | undefined;
        if (!positive(st?.throttlingRateLimit) || !positive(st?.throttlingBurstLimit)) {
          out.push(finding(s, 'no "*/*" method settings with a throttling rate and burst'));
        }
      }
      return out;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Azure
// ---------------------------------------------------------------------------------------------

const AZ = {
  webApp: "azure-native:web:WebApp",
  appSettings: "azure-native:web:WebAppApplicationSettings",
  storage: "azure-native:storage:StorageAccount",
  blob: "azure-native:storage:Blob",
  api: "azure-native:apimanagement:Api",
  apim: "azure-native:apimanagement:ApiManagementService",
  backend: "azure-native:apimanagement:Backend",
  namedValue: "azure-native:apimanagement:NamedValue",
  logger: "azure-native:apimanagement:Logger",
  diagnostics: ["azure-native:apimanagement:Diagnostic", "azure-native:apimanagement:ApiDiagnostic"],
  operation: "azure-native:apimanagement:ApiOperation",
  operationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
  insights: "azure-native:applicationinsights:Component",
  workspace: "azure-native:operationalinsights:Workspace",
  roleAssignment: "azure-native:authorization:RoleAssignment",
};

/**
 * Built-in Azure role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
 * Forbidden: the privileged administrator roles (SECURITY.md AZ-23).
 */
const AZ_FORBIDDEN_ROLES: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};
/** Data-plane roles a function app or APIM needs, each on one resource (ids as in providers/azure/function-app.ts). */
const AZ_KNOWN_ROLES: Record<string, string> = {
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
  "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
  "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
};

/** The `app.http(name, { … authLevel … })` registrations of a built Azure Functions bundle. */
export function azureRegistrations(source: string): { name: string; authLevel: string | undefined }[] {
  const out: { name: string; authLevel: string | undefined }[] = [];
  for (const m of source.matchAll(/\.http\(\s*(["'])([^"']+)\1\s*,\s*\{/g)) {
    const options = objectLiteral(source, (m.index as number) + m[0].length - 1);
    out.push({ name: m[2] as string, authLevel: /(?:^|[,{\s])authLevel\s*:\s*["'](\w+)["']/.exec(options)?.[1] });
  }
  return out;
}

/** The text of the object literal that opens at `start` (a `{`), skipping braces inside strings. */
function objectLiteral(source: string, start: number): string {
  let depth = 0;
  let quote = "";
  for (let i = start; i < source.length; i++) {
    const c = source[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return source.slice(start, i + 1);
  }
  return source.slice(start);
}

/** The APIM policy XML that applies to an operation: its own policy, the API's and the global one. */
function policyFor(plan: PlanDocument, operationId: unknown): string {
  return apimPolicies(plan)
    .filter(({ r }) => r.type !== AZ.operationPolicy || inputs(r).operationId === operationId)
    .map(({ xml }) => xml)
    .join("\n");
}

const azure: Invariant[] = [
  {
    id: "X6",
    cloud: "azure",
    controls: ["AZ-4"],
    title: "functions reachable only through the gateway: every function requires the host key, which only APIM holds",
    check(plan, ctx = {}) {
      const out: Finding[] = [];
      const secretNamed = new Set(
        ofType(plan, AZ.namedValue)
          .filter((n) => inputs(n).secret === true)
          .map((n) => `{{${inputs(n).displayName ?? inputs(n).namedValueId}}}`),
      );
      const apps = ofType(plan, AZ.webApp).filter((w) => String(inputs(w).kind ?? "").includes("functionapp"));
      const hosts = apps.map((w) => `https://${inputs(w).name}.azurewebsites.net`);
      const miAuth = apimPolicies(plan).some(({ xml }) => /<authentication-managed-identity\b/.test(xml));
      for (const b of ofType(plan, AZ.backend)) {
        const i = inputs(b);
        const toApp =
          hosts.some((h) => String(i.url ?? "").startsWith(h)) ||
          apps.some((w) => String(i.resourceId ?? "").endsWith(`/Microsoft.Web/sites/${inputs(w).name}`));
        if (!toApp) continue;
        const keys = asArray(i.credentials?.header?.["x-functions-key"] as string[]);
        const ok =
          keys.length > 0
            ? keys.every((k) => secretNamed.has(k))
            : !!i.credentials?.authorization || asArray(i.credentials?.certificateIds).length > 0 || miAuth;
        if (!ok)
          out.push(
            finding(b, "calls the function app without a credential (x-functions-key from a secret named value, or managed identity)"),
          );
      }
      // authLevel lives in code: check the registrations in the bundle the plan deploys.
      const archives = ofType(plan, AZ.blob)
        .map((b) => inputs(b).source?.archive)
        .filter((a): a is string => typeof a === "string");
      if (apps.length && !archives.length) out.push(finding("plan", "no function app package in the plan to check authLevel on"));
      for (const dir of archives) {
        const source = ctx.readBuildFile?.(`${dir}/index.js`);
        if (source === undefined) {
          out.push(finding(dir, "cannot read the built bundle to check each function's authLevel"));
          continue;
        }
        const regs = azureRegistrations(source);
        if (!regs.length) out.push(finding(dir, "the bundle registers no HTTP function"));
        for (const r of regs) {
          if (r.authLevel !== "function" && r.authLevel !== "admin") {
            out.push(finding(dir, `function ${r.name} is registered with authLevel ${r.authLevel ?? "absent (anonymous)"}`));
          }
        }
        for (const fn of Object.keys(plan.api?.functions ?? {})) {
          if (!regs.some((r) => r.name === fn || r.name.startsWith(`${fn}-`)))
            out.push(finding(dir, `function ${fn} has no registration in the bundle`));
        }
      }
      return out;
    },
  },
  {
    id: "X3/X4",
    cloud: "azure",
    controls: ["AZ-2", "AZ-3", "AZ-6", "AZ-10", "AZ-11", "AZ-17"],
    title: "HTTPS only and TLS ≥ 1.2: APIM https-only APIs and backends, function app httpsOnly, storage TLS 1.2",
    check(plan) {
      const out: Finding[] = [];
      for (const r of ofType(plan, AZ.storage)) {
        const i = inputs(r);
        if (!["TLS1_2", "TLS1_3"].includes(i.minimumTlsVersion))
          out.push(finding(r, `minimumTlsVersion ${JSON.stringify(i.minimumTlsVersion ?? null)} (must be TLS1_2+, explicit)`));
        if (i.enableHttpsTrafficOnly === false || i.supportsHttpsTrafficOnly === false) out.push(finding(r, "accepts plain HTTP"));
      }
      for (const r of ofType(plan, AZ.webApp)) {
        const i = inputs(r);
        if (i.httpsOnly !== true) out.push(finding(r, "httpsOnly is not true"));
        const sc = i.siteConfig as In | undefined;
        if (sc?.minTlsVersion !== undefined && !["1.2", "1.3"].includes(sc.minTlsVersion))
          out.push(finding(r, `minTlsVersion ${sc.minTlsVersion}`));
        if (sc?.scmMinTlsVersion !== undefined && !["1.2", "1.3"].includes(sc.scmMinTlsVersion))
          out.push(finding(r, `scmMinTlsVersion ${sc.scmMinTlsVersion}`));
      }
      for (const r of ofType(plan, AZ.api)) {
        const p = asArray(inputs(r).protocols as string[]);
        if (!p.length || p.some((x) => x !== "https")) out.push(finding(r, `protocols ${JSON.stringify(p)} (must be ["https"])`));
        if (inputs(r).serviceUrl !== undefined && !isHttps(inputs(r).serviceUrl))
          out.push(finding(r, `serviceUrl ${inputs(r).serviceUrl} is not https`));
      }
      for (const r of ofType(plan, AZ.backend)) {
        const i = inputs(r);
        if (i.type === "Pool") continue;
        if (!isHttps(i.url)) out.push(finding(r, `backend url ${JSON.stringify(i.url ?? null)} is not https`));
        if (i.tls?.validateCertificateChain === false || i.tls?.validateCertificateName === false)
          out.push(finding(r, "does not validate the backend certificate"));
      }
      for (const { r, xml } of apimPolicies(plan)) {
        for (const e of xmlElements(xml, "set-backend-service")) {
          const url = xmlAttr(e.attrs, "base-url");
          if (url !== undefined && !url.startsWith("https://")) out.push(finding(r, `set-backend-service base-url ${url} is not https`));
        }
      }
      for (const r of ofType(plan, AZ.apim)) {
        for (const [k, v] of Object.entries((inputs(r).customProperties ?? {}) as Record<string, unknown>)) {
          if (/Protocols\.(Tls10|Tls11|Ssl30)$|Ciphers\.TripleDes168$/.test(k) && String(v).toLowerCase() === "true")
            out.push(finding(r, `${k} is enabled`));
        }
      }
      return out;
    },
  },
  {
    id: "X2",
    cloud: "azure",
    controls: ["AZ-23"],
    title: "least privilege: only known data-plane roles, each on one resource, no Owner/Contributor",
    check(plan) {
      const out: Finding[] = [];
      for (const r of ofType(plan, AZ.roleAssignment)) {
        const i = inputs(r);
        const id = String(i.roleDefinitionId ?? "")
          .split("/")
          .pop()
          ?.toLowerCase() as string;
        if (AZ_FORBIDDEN_ROLES[id]) out.push(finding(r, `assigns ${AZ_FORBIDDEN_ROLES[id]}`));
        else if (!AZ_KNOWN_ROLES[id]) out.push(finding(r, `assigns role ${id}, which is not on the reviewed list`));
        if (!/\/providers\/[^/]+\/[^/]+\/[^/]+/.test(String(i.scope ?? "")))
          out.push(finding(r, `scope ${JSON.stringify(i.scope ?? null)} is not a single resource`));
        if (i.principalType !== "ServicePrincipal")
          out.push(finding(r, `principalType ${JSON.stringify(i.principalType ?? null)} (must be ServicePrincipal)`));
      }
      return out;
    },
  },
  {
    id: "X1",
    cloud: "azure",
    controls: ["AZ-5", "AZ-15", "Azure Policy f1cc7827"],
    title: "secrets only as Pulumi secrets: none in plain text in the plan, app settings or APIM",
    check(plan, ctx = {}) {
      const out = plainTextSecrets(plan, ctx);
      for (const r of ofType(plan, AZ.appSettings)) out.push(...settings(r, "properties", inputs(r).properties));
      for (const r of ofType(plan, AZ.webApp)) {
        const list = asArray(inputs(r).siteConfig?.appSettings as In[]);
        out.push(...settings(r, "siteConfig.appSettings", Object.fromEntries(list.map((s) => [s?.name, s?.value]))));
        for (const s of list)
          if (s?.name === "AzureWebJobsStorage") out.push(finding(r, "AzureWebJobsStorage connection string instead of an identity"));
      }
      for (const r of ofType(plan, AZ.appSettings)) {
        if (typeof inputs(r).properties?.AzureWebJobsStorage === "string")
          out.push(finding(r, "AzureWebJobsStorage connection string instead of an identity"));
      }
      for (const r of ofType(plan, AZ.namedValue)) {
        const i = inputs(r);
        const secretish = /secret|passw|token|key|connection/i.test(String(i.displayName ?? "")) || i.value === SECRET;
        if (secretish && i.secret !== true && !i.keyVault) out.push(finding(r, "a secret named value is not marked secret"));
      }
      for (const r of [...ofType(plan, AZ.backend), ...ofType(plan, AZ.logger)]) {
        for (const [p, v] of strings(inputs(r).credentials, "credentials")) {
          if (!isReference(v) && !/identityClientId$/.test(p)) out.push(finding(r, `${p} is a literal credential, not a {{named value}}`));
        }
      }
      return out;
    },
  },
  {
    id: "X5",
    cloud: "azure",
    controls: ["AZ-9", "AZ-22"],
    title: "gateway logs to Application Insights without bodies or credentials, in a workspace with retention",
    check(plan, ctx = {}) {
      const out: Finding[] = [];
      const floor = retentionFloor(plan, ctx);
      const loggers = ofType(plan, AZ.logger).filter((l) => inputs(l).loggerType === "applicationInsights");
      if (!loggers.length) out.push(finding("plan", "no Application Insights logger on API Management"));
      const ids = loggers.map((l) => `/loggers/${inputs(l).loggerId}`);
      const diags = ofType(plan, ...AZ.diagnostics).filter((d) => ids.some((id) => String(inputs(d).loggerId ?? "").endsWith(id)));
      if (!diags.length) out.push(finding("plan", "no API Management diagnostic sends requests to the logger"));
      for (const d of diags) {
        const i = inputs(d);
        for (const side of ["frontend", "backend"]) {
          for (const dir of ["request", "response"]) {
            const bytes = i[side]?.[dir]?.body?.bytes;
            if (bytes !== undefined && bytes !== 0) out.push(finding(d, `${side}.${dir} logs ${bytes} body bytes`));
          }
        }
        const masked = asArray(i.frontend?.request?.dataMasking?.headers as In[]).some((h) => /^authorization$/i.test(String(h?.value)));
        const logged = asArray(i.frontend?.request?.headers as string[]).some((h) => /^authorization$/i.test(h));
        if (logged && !masked) out.push(finding(d, "logs the Authorization header unmasked"));
        if (!masked) out.push(finding(d, "frontend.request.dataMasking does not mask Authorization"));
        // A subscription key sent as a query parameter is part of the logged URL unless masked.
        for (const api of ofType(plan, AZ.api)) {
          const names = (inputs(api).subscriptionKeyParameterNames ?? {}) as In;
          // APIM's defaults when unset: header Ocp-Apim-Subscription-Key, query subscription-key
          // (https://learn.microsoft.com/azure/api-management/api-management-subscriptions).
          const header = String(names.header ?? "Ocp-Apim-Subscription-Key");
          const query = String(names.query ?? "subscription-key");
          for (const side of ["frontend", "backend"]) {
            const dm = (i[side]?.request?.dataMasking ?? {}) as In;
            if (!asArray(dm.queryParams as In[]).some((q) => String(q?.value).toLowerCase() === query.toLowerCase())) {
              out.push(finding(d, `${side}.request.dataMasking does not mask the API key query parameter "${query}"`));
            }
            const sent = side === "frontend" || asArray(i[side]?.request?.headers as string[]).length > 0;
            if (sent && !asArray(dm.headers as In[]).some((h) => String(h?.value).toLowerCase() === header.toLowerCase())) {
              out.push(finding(d, `${side}.request.dataMasking does not mask the API key header "${header}"`));
            }
          }
        }
      }
      for (const c of ofType(plan, AZ.insights)) {
        if (!inputs(c).workspaceResourceId) out.push(finding(c, "Application Insights is not workspace-based (no retention control)"));
        if (inputs(c).disableLocalAuth !== true)
          out.push(finding(c, "accepts telemetry with the instrumentation key alone (disableLocalAuth)"));
      }
      const workspaces = ofType(plan, AZ.workspace);
      if (loggers.length && !workspaces.length) out.push(finding("plan", "no Log Analytics workspace holds the logs"));
      for (const w of workspaces) {
        // Absent retention = 30 days (SECURITY.md AZ-22).
        const days = (inputs(w).retentionInDays as number | undefined) ?? 30;
        if (days < floor) out.push(finding(w, `keeps ${days} days, below the ${floor}-day floor`));
      }
      return out;
    },
  },
  {
    id: "X9",
    cloud: "azure",
    controls: ["OWASP API2", "APIM validate-jwt"],
    title: "JWT routes validate-jwt with pinned issuers and audiences",
    check(plan) {
      const out: Finding[] = [];
      for (const { r, xml } of apimPolicies(plan)) {
        for (const e of xmlElements(xml, "validate-jwt")) {
          if (!xmlTexts(e.body, "audience").some(Boolean)) out.push(finding(r, "validate-jwt pins no <audiences><audience>"));
          if (!xmlTexts(e.body, "issuer").some((s) => s.startsWith("https://")))
            out.push(finding(r, "validate-jwt pins no https <issuers><issuer>"));
        }
      }
      const jwtRoutes = (plan.api?.routes ?? []).filter((rt) => (rt.auth as In | undefined)?.kind === "jwt");
      const ops = ofType(plan, AZ.operation);
      for (const rt of jwtRoutes) {
        const [method, path] = rt.key.split(" ");
        const mine = ops.filter((o) => {
          const [m, p] = String(inputs(o).displayName).split(" ");
          return p === path && (method === "ANY" || m === method);
        });
        if (!mine.length) out.push(finding("api.routes", `JWT route ${rt.key} has no API Management operation`));
        for (const o of mine) {
          if (!/<validate-jwt\b/.test(policyFor(plan, inputs(o).operationId)))
            out.push(finding(o, `JWT route ${rt.key} is not behind validate-jwt`));
        }
      }
      return out;
    },
  },
  {
    id: "X7",
    cloud: "azure",
    controls: ["AZ-14", "Azure Policy 0820b7b9"],
    title: "CORS: explicit https origins only, never * (with or without credentials)",
    check(plan) {
      const out = modelCors(plan);
      for (const { r, xml } of apimPolicies(plan)) {
        for (const e of xmlElements(xml, "cors")) {
          const creds = xmlAttr(e.attrs, "allow-credentials") === "true";
          for (const m of badOrigins(xmlTexts(e.body, "origin"), creds)) out.push(finding(r, m));
        }
      }
      for (const r of ofType(plan, AZ.webApp)) {
        const c = inputs(r).siteConfig?.cors as In | undefined;
        if (c) for (const m of badOrigins(asArray(c.allowedOrigins), !!c.supportCredentials)) out.push(finding(r, m));
      }
      return out;
    },
  },
  {
    id: "X10",
    cloud: "azure",
    controls: ["OWASP API4"],
    title: "rate limit at the gateway: every operation under rate-limit, rate-limit-by-key or a quota",
    check(plan) {
      const out: Finding[] = [];
      const limited = (xml: string) =>
        ["rate-limit", "rate-limit-by-key", "quota", "quota-by-key"].some((t) =>
          xmlElements(xml, t).some((e) => Number(xmlAttr(e.attrs, "calls")) > 0 || Number(xmlAttr(e.attrs, "bandwidth")) > 0),
        );
      const ops = ofType(plan, AZ.operation);
      if (!ops.length && ofType(plan, AZ.api).length) out.push(finding("plan", "no operations to check"));
      for (const o of ops)
        if (!limited(policyFor(plan, inputs(o).operationId))) out.push(finding(o, `${inputs(o).displayName} has no rate limit`));
      return out;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// GCP
// ---------------------------------------------------------------------------------------------

const GCP = {
  fn: "gcp:cloudfunctionsv2/function:Function",
  runService: "gcp:cloudrunv2/service:Service",
  config: "gcp:apigateway/apiConfig:ApiConfig",
  projectIam: ["gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding", "gcp:projects/iAMPolicy:IAMPolicy"],
  saKey: "gcp:serviceaccount/key:Key",
  service: "gcp:projects/service:Service",
  bucketConfig: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
};
const PUBLIC_MEMBER = /\ballUsers\b|\ballAuthenticatedUsers\b/;
const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/;

function members(i: In): string[] {
  return [...asArray(i.member as string), ...asArray(i.members as string[])].map(String);
}

/** Project-level bindings (member/members + role, or the bindings of a policyData document). */
function projectBindings(r: PlanResource): { role: string; members: string[] }[] {
  const i = inputs(r);
  if (i.policyData !== undefined) {
    return asArray((json(i.policyData) as In | undefined)?.bindings as In[]).map((b) => ({
      role: String(b.role),
      members: asArray(b.members).map(String),
    }));
  }
  return [{ role: String(i.role), members: members(i) }];
}

function gatewaySas(plan: PlanDocument): string[] {
  return ofType(plan, GCP.config)
    .map((c) => inputs(c).gatewayConfig?.backendConfig?.googleServiceAccount)
    .filter((s): s is string => typeof s === "string" && s !== "");
}

const gcp: Invariant[] = [
  {
    id: "X6",
    cloud: "gcp",
    controls: ["GCP-1", "GCP-2", "GCP-3"],
    title: "functions reachable only through the gateway: no allUsers/allAuthenticatedUsers, invoker only for the gateway SA",
    check(plan) {
      const out: Finding[] = [];
      for (const r of plan.resources) {
        for (const [p, s] of strings(r.inputs, "inputs"))
          if (PUBLIC_MEMBER.test(s)) out.push(finding(r, `${p} grants to ${s.match(PUBLIC_MEMBER)?.[0]}`));
      }
      const configs = ofType(plan, GCP.config);
      const sas = gatewaySas(plan);
      for (const c of configs) {
        const sa = inputs(c).gatewayConfig?.backendConfig?.googleServiceAccount;
        if (!sa) out.push(finding(c, "no gateway service account: backend ID tokens would be signed by the Compute default SA"));
        else if (DEFAULT_SA.test(sa)) out.push(finding(c, `the gateway runs as the default service account ${sa}`));
      }
      for (const r of plan.resources) {
        if (!/iam/i.test(r.type)) continue;
        for (const b of /projects\//.test(r.type) ? projectBindings(r) : [{ role: String(inputs(r).role), members: members(inputs(r)) }]) {
          if (b.role !== "roles/run.invoker" && b.role !== "roles/cloudfunctions.invoker") continue;
          for (const m of b.members) {
            if (!sas.some((sa) => m === `serviceAccount:${sa}`))
              out.push(finding(r, `${b.role} granted to ${m}, not the gateway's service account`));
          }
        }
      }
      for (const r of ofType(plan, ...GCP.projectIam)) {
        for (const b of projectBindings(r)) {
          if (b.role === "roles/run.invoker" || b.role === "roles/cloudfunctions.invoker") {
            out.push(finding(r, `${b.role} on the whole project (every service), not on one function's service`));
          }
        }
      }
      for (const s of ofType(plan, GCP.runService))
        if (inputs(s).invokerIamDisabled === true) out.push(finding(s, "invokerIamDisabled makes the service public"));
      for (const { config, doc } of openApiDocs(plan)) {
        if (!doc) {
          out.push(finding(config, "OpenAPI document is not readable JSON"));
          continue;
        }
        for (const { path, method, op } of operations(doc)) {
          const b = op["x-google-backend"] as In | undefined;
          if (b?.disable_auth === true && /\.run\.app|cloudfunctions\.net/.test(String(b.address))) {
            out.push(finding(config, `${method.toUpperCase()} ${path}: calls a function without the gateway's ID token (disable_auth)`));
          }
        }
      }
      return out;
    },
  },
  {
    id: "X3/X4",
    cloud: "gcp",
    controls: ["GCP-7"],
    title: "HTTPS only: the gateway serves https only and calls https backends",
    note: "TLS version: N/A (SECURITY.md X3): Google's front end terminates TLS for *.gateway.dev and run.app, and API Gateway has no configurable TLS policy",
    check(plan) {
      const out: Finding[] = [];
      const docs = openApiDocs(plan);
      if (ofType(plan, GCP.config).length && !docs.length) out.push(finding("plan", "no OpenAPI document to check"));
      for (const { config, doc } of docs) {
        if (!doc) {
          out.push(finding(config, "OpenAPI document is not readable JSON"));
          continue;
        }
        const schemes = asArray(doc.schemes as string[]);
        if (!schemes.length || schemes.some((s) => s !== "https"))
          out.push(finding(config, `schemes ${JSON.stringify(schemes)} (must be ["https"])`));
        for (const { path, method, op } of operations(doc)) {
          const address = (op["x-google-backend"] as In | undefined)?.address ?? (doc["x-google-backend"] as In | undefined)?.address;
          if (address !== undefined && !isHttps(address))
            out.push(finding(config, `${method.toUpperCase()} ${path}: backend ${address} is not https`));
        }
      }
      return out;
    },
  },
  {
    id: "X2",
    cloud: "gcp",
    controls: ["GCP-8", "GCP-9", "GCP-10", "GCP-11"],
    title: "least privilege: dedicated service accounts, no basic or admin roles, no project-wide impersonation, no SA keys",
    check(plan) {
      const out: Finding[] = [];
      for (const r of ofType(plan, ...GCP.projectIam)) {
        for (const b of projectBindings(r)) {
          if (["roles/owner", "roles/editor", "roles/viewer"].includes(b.role))
            out.push(finding(r, `grants the basic role ${b.role} on the project`));
          else if (/admin$/i.test(b.role)) out.push(finding(r, `grants the admin role ${b.role} on the project`));
          if (["roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"].includes(b.role)) {
            out.push(finding(r, `grants ${b.role} project-wide (impersonation of every service account)`));
          }
          for (const m of b.members)
            if (/^serviceAccount:/.test(m) && DEFAULT_SA.test(m)) out.push(finding(r, `grants to the default service account ${m}`));
        }
      }
      for (const f of ofType(plan, GCP.fn)) {
        const sa = inputs(f).serviceConfig?.serviceAccountEmail;
        if (!sa) out.push(finding(f, "runs as the default compute service account (no serviceConfig.serviceAccountEmail)"));
        else if (DEFAULT_SA.test(sa)) out.push(finding(f, `runs as the default service account ${sa}`));
        if (!inputs(f).buildConfig?.serviceAccount)
          out.push(finding(f, "builds as the default service account (no buildConfig.serviceAccount)"));
      }
      for (const s of ofType(plan, GCP.runService)) {
        const sa = inputs(s).template?.serviceAccount;
        if (!sa || DEFAULT_SA.test(sa)) out.push(finding(s, "runs as the default service account"));
      }
      for (const k of ofType(plan, GCP.saKey)) out.push(finding(k, "a user-managed service account key"));
      return out;
    },
  },
  {
    id: "X1",
    cloud: "gcp",
    controls: ["GCP-15"],
    title: "secrets only as Pulumi secrets and Secret Manager references: none in plain text in the plan or env",
    check(plan, ctx = {}) {
      const out = plainTextSecrets(plan, ctx);
      for (const f of ofType(plan, GCP.fn)) {
        const i = inputs(f);
        if (i.serviceConfig === SECRET) out.push(finding(f, "serviceConfig is a Pulumi secret stored as plain function configuration"));
        out.push(...settings(f, "serviceConfig.environmentVariables", i.serviceConfig?.environmentVariables));
        out.push(...settings(f, "buildConfig.environmentVariables", i.buildConfig?.environmentVariables));
        for (const s of asArray(i.serviceConfig?.secretEnvironmentVariables as In[])) {
          if (!/^\d+$/.test(String(s?.version))) out.push(finding(f, `secret ${s?.key} is not pinned to a version (${s?.version})`));
        }
      }
      for (const s of ofType(plan, GCP.runService)) {
        for (const c of asArray(inputs(s).template?.containers as In[])) {
          out.push(
            ...settings(s, "template.containers[].envs", Object.fromEntries(asArray(c?.envs as In[]).map((e) => [e?.name, e?.value]))),
          );
        }
      }
      return out;
    },
  },
  {
    id: "X5",
    cloud: "gcp",
    controls: ["GCP-16", "CIS GCP 2.x"],
    title: "request logs on with retention (substitute: API Gateway's platform logging into Cloud Logging)",
    note: "API Gateway always writes request logs to Cloud Logging (not configurable); retention is the project's _Default bucket (30 days) unless a ProjectBucketConfig sets it",
    check(plan, ctx = {}) {
      const out: Finding[] = [];
      const floor = retentionFloor(plan, ctx);
      if (!ofType(plan, GCP.service).some((s) => inputs(s).service === "logging.googleapis.com")) {
        out.push(finding("plan", "the Cloud Logging API (logging.googleapis.com) is not enabled by the stack"));
      }
      for (const feature of ["logging.access", "logging.retention"]) {
        const row = plan.capabilities.find((c) => c.feature === feature);
        if (!row || !["native", "substitute"].includes(row.support))
          out.push(finding("capabilities", `${feature} is ${row?.support ?? "missing"}`));
      }
      const buckets = ofType(plan, GCP.bucketConfig);
      // The _Default bucket keeps logs 30 days (https://cloud.google.com/logging/docs/routing/overview#buckets).
      const days = buckets.length ? Math.min(...buckets.map((b) => Number(inputs(b).retentionDays ?? 30))) : 30;
      if (days < floor) out.push(finding(buckets[0] ?? "plan", `logs are kept ${days} days, below the ${floor}-day floor`));
      return out;
    },
  },
  {
    id: "X9",
    cloud: "gcp",
    controls: ["GCP-5"],
    title: "JWT security definitions pin issuer, JWKS and audiences",
    check(plan) {
      const out: Finding[] = [];
      for (const { config, doc } of openApiDocs(plan)) {
        if (!doc) {
          out.push(finding(config, "OpenAPI document is not readable JSON"));
          continue;
        }
        const defs = (doc.securityDefinitions ?? {}) as Record<string, In>;
        for (const [name, d] of Object.entries(defs)) {
          if (d.type === "apiKey") continue;
          const auds = String(d["x-google-audiences"] ?? "")
            .split(",")
            .map((a) => a.trim())
            .filter(Boolean);
          for (const m of jwtConfigProblems(`securityDefinitions.${name}`, d["x-google-issuer"], auds)) out.push(finding(config, m));
          if (!isHttps(d["x-google-jwks_uri"])) out.push(finding(config, `securityDefinitions.${name}: no https x-google-jwks_uri`));
        }
        for (const [scheme] of jwtSchemes(plan)) {
          if (!defs[scheme]) out.push(finding(config, `JWT scheme "${scheme}" has no security definition`));
        }
      }
      return out;
    },
  },
  {
    id: "X7",
    cloud: "gcp",
    controls: ["OWASP API8"],
    title: "CORS: explicit https origins only, never * (model CORS the function adapter applies)",
    note: "API Gateway has no CORS: preflights go to the function, whose adapter applies the model's CORS; the model's origins are checked",
    check(plan) {
      return modelCors(plan);
    },
  },
  {
    id: "X10",
    cloud: "gcp",
    controls: ["OWASP API4", "x-google-management quota"],
    title: "rate limit at the gateway: every operation has a quota",
    note: "API Gateway quotas count API keys only: operations without an API key cannot be limited at the gateway",
    check(plan) {
      const out: Finding[] = [];
      for (const { config, doc } of openApiDocs(plan)) {
        if (!doc) {
          out.push(finding(config, "OpenAPI document is not readable JSON"));
          continue;
        }
        const limits = asArray((doc["x-google-management"] as In | undefined)?.quota?.limits as In[]);
        const limited = new Set(
          limits.filter((l) => Object.values((l.values ?? {}) as Record<string, number>).some((v) => v > 0)).map((l) => l.metric),
        );
        for (const { path, method, op } of operations(doc)) {
          const metrics = Object.keys(((op["x-google-quota"] as In | undefined)?.metricCosts ?? {}) as Record<string, number>);
          if (!metrics.some((m) => limited.has(m))) out.push(finding(config, `${method.toUpperCase()} ${path} has no quota`));
        }
      }
      return out;
    },
  },
];

/** Every invariant, per cloud, in SECURITY.md order. */
export const INVARIANTS: readonly Invariant[] = [...aws, ...azure, ...gcp];

export function invariantsFor(cloud: CloudName): Invariant[] {
  return INVARIANTS.filter((i) => i.cloud === cloud);
}

/** `X6/AWS-11,AWS-12`-style label used in test names and the audit output. */
export function label(inv: Invariant): string {
  return `${inv.id}/${inv.controls.join(",")}`;
}
