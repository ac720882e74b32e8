/**
 * The switchyard model: what a user writes in `api.ts` (the `ApiInput` types) and the normalised
 * form every provider, the bundler and the local gateway consume (`Api`).
 *
 * The model is plain JSON-compatible data and never imports Pulumi.
 */

/** HTTP methods a route key may use. `ANY` matches every method. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type Method = (typeof METHODS)[number];

/** Periods a quota can be counted over. */
export const QUOTA_PERIODS = ["minute", "hour", "day", "month"] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/**
 * A named authentication scheme. Routes refer to it by name.
 * @example { type: "apiKey", consumers: ["acme", "globex"] } // key sent in the `x-api-key` header
 * @example { type: "jwt", issuer: "https://login.example.com/", audiences: ["api://shop"] }
 */
export type AuthSchemeInput =
  | {
      type: "apiKey";
      /** One API key is issued per named consumer (lowercase letters, digits, '-'). */
      consumers: string[];
    }
  | {
      type: "jwt";
      /** The `iss` claim tokens must carry; an https URL. */
      issuer: string;
      /** Accepted `aud` values; at least one. */
      audiences: string[];
      /** JWKS endpoint. @default OpenID discovery: `<issuer>/.well-known/openid-configuration` */
      jwksUri?: string;
    };

/**
 * How a route is authenticated: a scheme name, a scheme with required JWT scopes, or `"none"`
 * (an explicit opt-out: a route with no auth anywhere is rejected).
 * @example "partners"
 * @example { scheme: "users", scopes: ["orders:write"] }
 */
export type AuthRefInput = string | { scheme: string; scopes?: string[] };

/**
 * Throttling. Applied per consumer where the route's scheme identifies one (API key, JWT subject),
 * else per client.
 * @example { ratePerSecond: 5, burst: 10, quota: { limit: 1000, period: "day" } }
 */
export interface RateLimitInput {
  /** Steady-state requests per second (> 0). */
  ratePerSecond: number;
  /** Bucket size: requests allowed at once (integer ≥ 1). */
  burst: number;
  /** Optional hard quota per period. */
  quota?: { limit: number; period: QuotaPeriod };
}

/**
 * Response caching at the gateway (GET/HEAD routes only).
 * @example { ttlSeconds: 60, varyBy: { query: ["page"] } }
 */
export interface CacheInput {
  /** Seconds a response is kept, 1..3600. */
  ttlSeconds: number;
  /** Request parts that make separate cache entries. @default {} (path parameters always vary) */
  varyBy?: { query?: string[]; headers?: string[] };
}

/** Scaling of one function. Unset fields take the cloud's default. */
export interface ScalingInput {
  /** Instances kept warm. @default 0 */
  min?: number;
  /** Upper bound on instances. */
  max?: number;
  /** Concurrent requests per instance (clouds that support it). */
  concurrency?: number;
}

/** Function settings that `defaults.function` may set for every function. */
export interface FunctionSettingsInput {
  /** Memory in MB, 128..10240. @default 256 */
  memoryMb?: number;
  /** Timeout in seconds, 1..900. @default 10 */
  timeoutSeconds?: number;
  scaling?: ScalingInput;
}

/**
 * One serverless function.
 * @example { handler: "functions/orders.ts#create", timeoutSeconds: 20, secrets: ["PAYMENT_KEY"] }
 */
export interface FunctionInput extends FunctionSettingsInput {
  /** `"<file relative to the model>#<export>"`; `#default` when omitted. */
  handler: string;
  description?: string;
  /** Plain environment values (never secrets: use `secrets`). */
  environment?: Record<string, string>;
  /** Names of Pulumi config secrets (`pulumi config set --secret NAME …`) the function receives. */
  secrets?: string[];
  /** Canary release: the share of traffic the newly deployed code version gets. */
  canary?: CanaryInput;
}

/**
 * Canary release of one function: the newly deployed code version gets `weight` percent of the
 * traffic while the previous version keeps the rest.
 * @example { weight: 10 }
 */
export interface CanaryInput {
  /** Percent of traffic for the new version, integer 1..99. */
  weight: number;
}

/**
 * A custom domain for the API.
 * @example { name: "api.example.com" } // a managed certificate
 * @example { name: "api.example.com", certificate: "arn:aws:acm:eu-west-1:123456789012:certificate/…" }
 */
export interface DomainInput {
  /** Lowercase DNS name with at least two labels. */
  name: string;
  /**
   * `"managed"`: the cloud issues and renews the certificate. Otherwise a cloud reference: an ACM
   * certificate ARN (AWS), a Key Vault secret id `https://<vault>.vault.azure.net/secrets/<name>`
   * (Azure), a certificate self-link or name (GCP). @default "managed"
   */
  certificate?: "managed" | (string & {});
}

/**
 * Alarms on the API's error rate and latency, sent to email addresses or https webhooks.
 * @example { errorRatePercent: 5, p99LatencyMs: 2000, notify: ["ops@example.com"] }
 */
export interface AlertsInput {
  /** Alert when 5xx responses exceed this share of requests, 0 < x ≤ 100. @default 5 */
  errorRatePercent?: number;
  /** Alert when the 99th percentile latency exceeds this, integer ≥ 1. @default 2000 */
  p99LatencyMs?: number;
  /** Email addresses and https webhook URLs; at least one. */
  notify: string[];
}

/** Forward a route to an existing HTTP backend: one URL, or weighted targets. */
export type UpstreamInput = { url: string } | { targets: { url: string; weight: number }[] };

/** One route, keyed by `"METHOD /path"` in `routes`. Exactly one of `function` or `upstream`. */
export interface RouteInput {
  function?: string;
  upstream?: UpstreamInput;
  auth?: AuthRefInput;
  rateLimit?: RateLimitInput;
  cache?: CacheInput;
  description?: string;
}

/** CORS, off unless declared. */
export interface CorsInput {
  /** Exact origins (`https://…`; `http://localhost:<port>` allowed). No `*`. */
  allowOrigins: string[];
  /** @default the methods the routes use */
  allowMethods?: Method[];
  /** @default ["content-type", "authorization", "x-api-key"] */
  allowHeaders?: string[];
  /** @default [] */
  exposeHeaders?: string[];
  /** @default false */
  allowCredentials?: boolean;
  /** @default 600 */
  maxAgeSeconds?: number;
}

/** The whole model, as written in `api.ts`. */
export interface ApiInput {
  /** Lowercase letters, digits and '-', 3..24 characters; used in resource names. */
  name: string;
  description?: string;
  auth?: Record<string, AuthSchemeInput>;
  defaults?: {
    auth?: AuthRefInput;
    rateLimit?: RateLimitInput;
    function?: FunctionSettingsInput;
  };
  cors?: CorsInput;
  /** @default { access: true, retentionDays: 14 } */
  logging?: { access?: boolean; retentionDays?: number };
  /** Cost-allocation tags; portable keys and values (GCP label rules: lowercase, ≤ 63). */
  tags?: Record<string, string>;
  domain?: DomainInput;
  alerts?: AlertsInput;
  /** Distributed tracing on the gateway and functions. @default true */
  tracing?: boolean;
  functions: Record<string, FunctionInput>;
  routes: Record<string, RouteInput>;
}

// ---------------------------------------------------------------------------------------------
// The normalised form.

export type AuthScheme =
  | { name: string; type: "apiKey"; header: "x-api-key"; consumers: string[] }
  | { name: string; type: "jwt"; issuer: string; audiences: string[]; jwksUri?: string };

/** The resolved auth of a route. */
export type RouteAuth = { kind: "none" } | { kind: "apiKey"; scheme: string } | { kind: "jwt"; scheme: string; scopes: string[] };

export interface RateLimit {
  ratePerSecond: number;
  burst: number;
  quota?: { limit: number; period: QuotaPeriod };
}

export interface Cache {
  ttlSeconds: number;
  varyBy: { query: string[]; headers: string[] };
}

/** One path segment of a route. */
export type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

export interface UpstreamTarget {
  url: string;
  /** Share of traffic in percent; the weights of a route sum to 100. */
  weight: number;
}

export type RouteTarget = { kind: "function"; function: string } | { kind: "upstream"; targets: UpstreamTarget[] };

export interface Route {
  /** The key as written, normalised: `"GET /books/{id}"`. */
  key: string;
  method: Method;
  /** `"/books/{id}"` */
  path: string;
  segments: Segment[];
  /** Names of `{param}` and `{greedy+}` segments, in order. */
  params: string[];
  /** Name of the final greedy segment, if any. */
  greedy?: string;
  target: RouteTarget;
  auth: RouteAuth;
  rateLimit?: RateLimit;
  cache?: Cache;
  description?: string;
}

export interface FunctionSpec {
  name: string;
  /** Absolute path of the handler file. */
  file: string;
  /** The handler file relative to the model file, with '/' separators. */
  relFile: string;
  /** Exported name; `"default"` for a default export. */
  export: string;
  description?: string;
  memoryMb: number;
  timeoutSeconds: number;
  scaling: { min: number; max?: number; concurrency?: number };
  environment: Record<string, string>;
  secrets: string[];
  /** Keys of the routes served by this function, in route order. */
  routes: string[];
  /** Canary release: percent of traffic (1..99) for the newly deployed version. */
  canary?: { weight: number };
}

export interface Domain {
  name: string;
  /** `"managed"` or the cloud certificate reference as written. */
  certificate: string;
}

export type AlertTarget = { kind: "email"; address: string } | { kind: "webhook"; url: string };

export interface Alerts {
  errorRatePercent: number;
  p99LatencyMs: number;
  /** In the order written. */
  notify: AlertTarget[];
}

export interface Cors {
  allowOrigins: string[];
  allowMethods: Method[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds: number;
}

/** The normalised model: defaults filled in, route keys parsed, every reference resolved. */
export interface Api {
  name: string;
  description?: string;
  /** Absolute path of the model file; handler files are relative to its folder. */
  modelFile: string;
  auth: Record<string, AuthScheme>;
  cors?: Cors;
  logging: { access: boolean; retentionDays: number };
  tags: Record<string, string>;
  domain?: Domain;
  alerts?: Alerts;
  /** Distributed tracing on (default true). */
  tracing: boolean;
  /** By name, in name order. */
  functions: Record<string, FunctionSpec>;
  /** Sorted by path, then method. */
  routes: Route[];
}
