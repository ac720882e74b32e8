import type { PlanDocument, PlanResource } from "../plan/run";

/** Plan inputs are untyped JSON. */
// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON
export type In = Record<string, any>;

/** The value the offline plan prints for a Pulumi secret (plan/stack.ts SECRET_PLACEHOLDER). */
export const SECRET = "[secret]";
export { SECRET_CONFIG_SENTINEL } from "../plan/stack";

/** One problem an invariant found: the resource's logical name (or "plan") and what is wrong. */
export interface Finding {
  resource: string;
  message: string;
}

export function ofType(plan: PlanDocument, ...types: string[]): PlanResource[] {
  return plan.resources.filter((r) => types.includes(r.type));
}

export function inputs(r: PlanResource): In {
  return r.inputs as In;
}

export function finding(r: PlanResource | string, message: string): Finding {
  return { resource: typeof r === "string" ? r : r.name, message };
}

/** Parses a JSON string (an IAM policy, an env var holding JSON); objects pass through; undefined when not JSON. */
export function json(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

export function asArray<T>(v: T | T[] | undefined | null): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Every string in a JSON value, with its path (`inputs.environment.variables.X`). */
export function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === "string") yield [path, v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* strings(x, `${path}[${i}]`);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) yield* strings(x, `${path}.${k}`);
}

/** The parsed OpenAPI documents of GCP ApiConfigs (base64 JSON in openapiDocuments[].document.contents). */
export function openApiDocs(plan: PlanDocument): { config: PlanResource; doc: In | undefined }[] {
  const out: { config: PlanResource; doc: In | undefined }[] = [];
  for (const c of ofType(plan, "gcp:apigateway/apiConfig:ApiConfig")) {
    for (const d of asArray(inputs(c).openapiDocuments as In[])) {
      const contents = d?.document?.contents;
      const doc = typeof contents === "string" ? json(Buffer.from(contents, "base64").toString("utf8")) : undefined;
      out.push({ config: c, doc: doc && typeof doc === "object" ? (doc as In) : undefined });
    }
  }
  return out;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];

/** Each operation of a Swagger 2 document: path, method and the operation object. */
export function operations(doc: In): { path: string; method: string; op: In }[] {
  const out: { path: string; method: string; op: In }[] = [];
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, In>)) {
    for (const m of HTTP_METHODS) if (item?.[m]) out.push({ path: p, method: m, op: item[m] as In });
  }
  return out;
}

/** APIM policy XML documents in the plan (global, API and operation policies). */
export function apimPolicies(plan: PlanDocument): { r: PlanResource; xml: string }[] {
  return ofType(
    plan,
    "azure-native:apimanagement:Policy",
    "azure-native:apimanagement:ApiPolicy",
    "azure-native:apimanagement:ApiOperationPolicy",
  ).map((r) => ({ r, xml: typeof inputs(r).value === "string" ? (inputs(r).value as string) : "" }));
}

/** The elements `<tag …>…</tag>` (or self-closed) in an XML string: attributes text and inner text. */
export function xmlElements(xml: string, tag: string): { attrs: string; body: string }[] {
  const out: { attrs: string; body: string }[] = [];
  const re = new RegExp(`<${tag}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  for (const m of xml.matchAll(re)) out.push({ attrs: m[1] ?? "", body: m[2] ?? "" });
  return out;
}

/** Inner texts of `<tag>text</tag>` elements, XML entities decoded. */
export function xmlTexts(xml: string, tag: string): string[] {
  return xmlElements(xml, tag).map((e) => decodeXml(e.body.trim()));
}

export function xmlAttr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs);
  return m ? decodeXml(m[1] as string) : undefined;
}

function decodeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
