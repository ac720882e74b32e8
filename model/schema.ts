import { z } from "zod";
import { closest, formatPath, type ModelIssue } from "./errors";
import { METHODS, QUOTA_PERIODS } from "./types";

/**
 * The structural schema of the model (types, ranges, unknown keys). Cross-references (function
 * names, auth schemes, route conflicts) are checked in validate.ts, so every problem is reported
 * in one pass.
 */

const int = (min: number, max: number, unit = "") =>
  z
    .number({ error: (i) => (i.input === undefined ? "is required" : "must be a number") })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}${unit}` })
    .max(max, { error: `must be at most ${max}${unit}` });

const text = (what = "a string") => z.string({ error: (i) => (i.input === undefined ? "is required" : `must be ${what}`) });

const stringList = (what: string) =>
  z.array(text(what), { error: (i) => (i.input === undefined ? "is required" : `must be a list of ${what}s`) });

const httpsUrl = text("an https URL").refine((v) => isHttpsUrl(v), {
  error: "must be an absolute https:// URL (plain http is not allowed)",
});

const rateLimit = z.strictObject({
  ratePerSecond: z
    .number({ error: (i) => (i.input === undefined ? "is required" : "must be a number") })
    .positive({ error: "must be greater than 0" })
    .max(100000, { error: "must be at most 100000" }),
  burst: int(1, 100000),
  quota: z
    .strictObject({
      limit: int(1, 1_000_000_000),
      period: z.enum(QUOTA_PERIODS, { error: `must be one of ${QUOTA_PERIODS.join(", ")}` }),
    })
    .optional(),
});

const authRef = z.union([text(), z.strictObject({ scheme: text("a scheme name"), scopes: stringList("scope").optional() })], {
  error: 'must be a scheme name, "none", or { scheme, scopes }',
});

const scaling = z.strictObject({
  min: int(0, 1000).optional(),
  max: int(1, 1000).optional(),
  concurrency: int(1, 1000).optional(),
});

const functionSettings = {
  memoryMb: int(128, 10240, " MB").optional(),
  timeoutSeconds: int(1, 900, " seconds").optional(),
  scaling: scaling.optional(),
};

const fn = z.strictObject({
  handler: text('a handler reference like "functions/books.ts#list"'),
  description: text().optional(),
  ...functionSettings,
  environment: z.record(z.string(), text("a string value")).optional(),
  secrets: stringList("secret name").optional(),
  canary: z.strictObject({ weight: int(1, 99, " percent") }).optional(),
});

const upstream = z.strictObject({
  url: httpsUrl.optional(),
  targets: z
    .array(z.strictObject({ url: httpsUrl, weight: int(1, 100) }), { error: "must be a list of { url, weight }" })
    .min(2, { error: "needs at least 2 targets (use url for a single backend)" })
    .optional(),
});

const cache = z.strictObject({
  ttlSeconds: int(1, 3600, " seconds"),
  varyBy: z.strictObject({ query: stringList("query parameter").optional(), headers: stringList("header").optional() }).optional(),
});

const route = z.strictObject({
  function: text("a function name").optional(),
  upstream: upstream.optional(),
  auth: authRef.optional(),
  rateLimit: rateLimit.optional(),
  cache: cache.optional(),
  description: text().optional(),
});

const authScheme = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("apiKey"), consumers: stringList("consumer name").min(1, "needs at least one consumer") }),
    z.strictObject({
      type: z.literal("jwt"),
      issuer: httpsUrl,
      audiences: stringList("audience").min(1, { error: "needs at least one audience" }),
      jwksUri: httpsUrl.optional(),
    }),
  ],
  { error: 'type must be "apiKey" or "jwt"' },
);

const method = z.enum(METHODS, { error: `must be one of ${METHODS.join(", ")}` });

export const apiSchema = z.strictObject({
  name: text().regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, {
    error: "must be 3-24 characters of lowercase letters, digits and '-', starting with a letter",
  }),
  description: text().optional(),
  auth: z.record(z.string(), authScheme).optional(),
  defaults: z
    .strictObject({ auth: authRef.optional(), rateLimit: rateLimit.optional(), function: z.strictObject(functionSettings).optional() })
    .optional(),
  cors: z
    .strictObject({
      allowOrigins: stringList("origin").min(1, { error: "needs at least one origin" }),
      allowMethods: z.array(method).optional(),
      allowHeaders: stringList("header").optional(),
      exposeHeaders: stringList("header").optional(),
      allowCredentials: z.boolean({ error: "must be true or false" }).optional(),
      maxAgeSeconds: int(0, 86400, " seconds").optional(),
    })
    .optional(),
  logging: z
    .strictObject({ access: z.boolean({ error: "must be true or false" }).optional(), retentionDays: int(1, 3653, " days").optional() })
    .optional(),
  tags: z.record(z.string(), text("a string value")).optional(),
  domain: z
    .strictObject({
      name: text("a DNS name"),
      certificate: text('"managed" or a certificate reference').optional(),
    })
    .optional(),
  alerts: z
    .strictObject({
      errorRatePercent: z
        .number({ error: (i) => (i.input === undefined ? "is required" : "must be a number") })
        .positive({ error: "must be greater than 0" })
        .max(100, { error: "must be at most 100" })
        .optional(),
      p99LatencyMs: int(1, 900_000, " ms").optional(),
      notify: stringList("email address or https URL").min(1, { error: "needs at least one email address or https webhook URL" }),
    })
    .optional(),
  tracing: z.boolean({ error: "must be true or false" }).optional(),
  functions: z.record(z.string(), fn, { error: (i) => (i.input === undefined ? "is required" : "must be an object of functions by name") }),
  routes: z.record(z.string(), route, {
    error: (i) => (i.input === undefined ? "is required" : 'must be an object of routes keyed "METHOD /path"'),
  }),
});

export type ParsedApi = z.infer<typeof apiSchema>;

export function isHttpsUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "https:" && u.hostname.length > 0 && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Turns zod's issues into model issues with user-facing paths and fixes. */
export function zodIssues(error: z.ZodError, input: unknown): ModelIssue[] {
  const out: ModelIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const allowed = allowedKeys(issue.path, valueAt(input, issue.path));
        const near = allowed ? closest(key, allowed) : undefined;
        const fix = near ? `Did you mean "${near}"?` : allowed ? `Allowed keys: ${allowed.join(", ")}.` : "Remove it.";
        out.push({ path: formatPath([...issue.path, key]), message: `unknown key. ${fix}` });
      }
      continue;
    }
    if (issue.code === "invalid_union" && "discriminator" in issue) {
      const at = valueAt(input, issue.path.slice(0, -1));
      const type = at && typeof at === "object" ? (at as Record<string, unknown>).type : undefined;
      out.push({
        path: formatPath(issue.path),
        message:
          type === undefined ? 'is required: "apiKey" or "jwt"' : `unknown scheme type ${JSON.stringify(type)}. Use "apiKey" or "jwt".`,
      });
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
      message = valueAt(input, issue.path) === undefined ? "is required" : `must be ${article(issue.expected)}`;
    }
    out.push({ path: formatPath(issue.path), message });
  }
  return out;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** The keys an object at `path` may have, for did-you-mean on unknown keys. */
function allowedKeys(path: readonly PropertyKey[], value: unknown): string[] | undefined {
  const type = value && typeof value === "object" ? (value as Record<string, unknown>).type : undefined;
  const shape = shapeAt(apiSchema, path, type);
  return shape ? Object.keys(shape) : undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: walking zod's internal definitions generically
function shapeAt(schema: any, path: readonly PropertyKey[], type: unknown): Record<string, unknown> | undefined {
  let cur = schema;
  for (const p of path) {
    cur = unwrap(cur);
    if (!cur) return undefined;
    const def = cur._zod?.def;
    if (def?.type === "object") cur = def.shape[p as string];
    else if (def?.type === "record") cur = def.valueType;
    else if (def?.type === "array") cur = def.element;
    else if (def?.type === "union") {
      cur = def.options.find((o: { _zod?: { def?: { type?: string } } }) => o._zod?.def?.type === "object");
      if (cur) cur = cur._zod.def.shape[p as string];
    } else return undefined;
  }
  cur = unwrap(cur);
  const def = cur?._zod?.def;
  if (def?.type === "object") return def.shape;
  if (def?.type === "union") {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const objects = def.options.filter((o: any) => o._zod?.def?.type === "object");
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const tagged = objects.find((o: any) => o._zod.def.shape.type?._zod?.def?.values?.includes(type));
    return (tagged ?? objects[0])?._zod.def.shape;
  }
  return undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: see shapeAt
function unwrap(s: any): any {
  let cur = s;
  while (cur?._zod?.def && ["optional", "nullable", "default", "pipe"].includes(cur._zod.def.type)) {
    cur = cur._zod.def.type === "pipe" ? cur._zod.def.in : cur._zod.def.innerType;
  }
  return cur;
}
