import type * as pulumi from "@pulumi/pulumi";
import type { BuildResult } from "../bundle";
import type { Api, ModelIssue } from "../model";

export type CloudName = "aws" | "azure" | "gcp";
export const CLOUDS: readonly CloudName[] = ["aws", "azure", "gcp"];

/**
 * Every model feature a cloud must answer for. Adding one here makes every provider's capability
 * function fail to compile until it says how it supports it.
 */
export const FEATURES = {
  "route.function": "routes served by a function",
  "route.params": "path parameters {param}",
  "route.greedy": "greedy path {name+}",
  "route.any": "ANY method routes",
  "route.upstream": "upstream (HTTP proxy) routes",
  "route.upstream.weighted": "weighted upstream targets",
  "auth.none": "public routes (auth: none)",
  "auth.apiKey": "API keys per named consumer",
  "auth.jwt": "JWT validation (issuer, audience, JWKS)",
  "auth.jwt.scopes": "required JWT scopes per route",
  rateLimit: "rate limit (ratePerSecond, burst)",
  "rateLimit.perConsumer": "rate limit per consumer",
  "rateLimit.quota": "quota per period",
  cors: "CORS answered by the gateway",
  cache: "response caching at the gateway",
  "cache.varyBy": "cache keys from query parameters and headers",
  "logging.access": "gateway access logs",
  "logging.retention": "log retention in days",
  "function.memory": "function memory",
  "function.timeout": "function timeout",
  "function.scaling.min": "instances kept warm (scaling.min)",
  "function.scaling.max": "maximum instances (scaling.max)",
  "function.concurrency": "requests per instance (scaling.concurrency)",
  "function.environment": "plain environment values",
  "function.secrets": "secrets from the cloud's secret store",
  tags: "cost-allocation tags / labels",
  domain: "custom domain with a TLS certificate",
  alerts: "alarms on error rate and latency, sent to email / webhooks",
  tracing: "distributed tracing of gateway and functions",
  "function.canary": "canary release: a share of traffic to the new function version",
} as const;
export type Feature = keyof typeof FEATURES;

export type Support = "native" | "substitute" | "unsupported";

/** How a cloud supports one feature, for this model and stack. */
export interface CapabilityAnswer {
  support: Support;
  /** How it is mapped (native), what stands in for it (substitute), or why not (unsupported). */
  note: string;
  /** For unsupported: what the user can do instead. */
  alternatives?: string[];
}

/** Every feature answered: a provider that forgets one does not compile. */
export type CapabilityTable = Record<Feature, CapabilityAnswer>;

/** One row of the plan's `capabilities` list. */
export interface CapabilityRow {
  feature: Feature;
  support: Support;
  note: string;
}

/** Stack config as the program reads it (project keys without the `switchyard:` prefix). */
export interface StackConfig {
  /** Read a project key; undefined when unset. */
  get(key: string): string | undefined;
  /** Read a project key that holds JSON (arrays, objects, numbers). */
  getObject<T>(key: string): T | undefined;
  /** Read a secret project key as a secret Output; undefined when unset. */
  getSecret(key: string): pulumi.Output<string> | undefined;
  /** The stack name. */
  stack: string;
}

/** What every provider component exposes (DESIGN.md §4). */
export interface DeployedApi {
  url: pulumi.Output<string>;
  /** Consumer name → key; a secret. */
  apiKeys: pulumi.Output<Record<string, string>>;
  /** Function name → cloud identifier (ARN, resource id, name). */
  functions: pulumi.Output<Record<string, string>>;
  cloud: CloudName;
  /** With a custom domain: the DNS records the user must create (or that the stack created). */
  dnsRecords?: pulumi.Output<DnsRecord[]>;
}

/** A DNS record a custom domain needs. */
export interface DnsRecord {
  /** Fully qualified name, e.g. `api.example.com` or `_x1.api.example.com`. */
  name: string;
  type: "CNAME" | "A" | "TXT" | "ALIAS";
  value: string;
  /** What it is for, e.g. "certificate validation" or "routes the domain to the gateway". */
  purpose: string;
  /** True when this stack creates it (e.g. in a Route 53 hosted zone). */
  managed: boolean;
}

/** A cloud provider: its capability answers, its limits, and the component that deploys a model. */
export interface CloudProvider {
  readonly cloud: CloudName;
  /** Set when the cloud's mapping is not built yet: the reason, reported instead of any plan. */
  readonly notBuilt?: string;
  /** Answers every feature for this model on this stack. Pure: no resources. */
  capabilities(api: Api, config: StackConfig): CapabilityTable;
  /**
   * Cloud-specific limits the model breaks (e.g. a timeout above the gateway's), each with its path
   * and fix. Pure: no resources. Checked before anything is declared.
   */
  limits(api: Api, config: StackConfig): ModelIssue[];
  /**
   * Declares the resources (one `switchyard:<cloud>:Api` component named `name`). Only called with a
   * model that passed the checks above; `build` is this cloud's fresh bundle (`.build/<cloud>/`).
   */
  deploy(name: string, api: Api, config: StackConfig, build: BuildResult, opts?: pulumi.ComponentResourceOptions): DeployedApi;
  /** Plausible output state for a resource under the offline plan's mocks (ARNs, URLs, ids). */
  mockState?(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown>;
  /**
   * Notes for the plan's warnings that are not capability gaps (e.g. a canary without a stable
   * version to split against). Pure: no resources.
   */
  warnings?(api: Api, config: StackConfig): string[];
  /** Results for provider function calls (invokes) under the offline plan's mocks. */
  mockCall?(token: string, inputs: Record<string, unknown>): Record<string, unknown>;
}
