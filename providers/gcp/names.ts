import { createHash } from "node:crypto";

/**
 * GCP physical-name limits (each cited). Names are built as `<api>-<stack>-<role>`, lowercased,
 * with anything outside `[a-z0-9-]` turned into `-`, and cut with a short hash when too long, so two
 * stacks of one API can share a project.
 */
export const LIMITS = {
  /** Function names: letter first, ≤ 63, lowercase `[a-z0-9-]` keeps the Cloud Run service name equal (https://cloud.google.com/functions/docs/deploying). */
  function: { min: 1, max: 63 },
  /** Service account IDs: 6–30 characters, RFC 1035 (serviceaccount/account.d.ts `accountId`). */
  serviceAccount: { min: 6, max: 30 },
  /** API IDs: ≤ 63, lowercase letters, digits and hyphens (https://cloud.google.com/api-gateway/docs/creating-api). */
  api: { min: 1, max: 63 },
  /** API config IDs: ≤ 63, lowercase letters, digits and dashes, no leading dash (https://cloud.google.com/api-gateway/docs/creating-api-config). */
  apiConfig: { min: 1, max: 63 },
  /** Gateway IDs: ≤ 49 characters (https://cloud.google.com/api-gateway/docs/deploying-api). */
  gateway: { min: 1, max: 49 },
  /** Bucket names: 3–63 lowercase characters, globally unique (https://cloud.google.com/storage/docs/buckets#naming). */
  bucket: { min: 3, max: 63 },
  /** API key IDs: `[a-z]([a-z0-9-]{0,61}[a-z0-9])?` (projects/apiKey.d.ts `name`). */
  apiKey: { min: 1, max: 63 },
  /** Secret IDs: ≤ 255 of `[A-Za-z0-9_-]` (secretmanager/secret.d.ts `secretId`). */
  secret: { min: 1, max: 255 },
} as const;

export function shortHash(text: string, n = 6): string {
  return createHash("sha256").update(text).digest("hex").slice(0, n);
}

/** `listBooks` → `list-books`; only `[a-z0-9-]`, no leading, trailing or doubled hyphens. */
export function slug(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * A physical name from parts, within `limit`: starts with a letter, ends with a letter or digit;
 * too long → cut and suffixed with a hash of the full name; too short → padded with a hash.
 */
export function physicalName(parts: string[], limit: { min: number; max: number }): string {
  let name = slug(parts.filter(Boolean).join("-"));
  if (!/^[a-z]/.test(name)) name = `x-${name}`;
  const full = name;
  if (name.length > limit.max) {
    name = `${name.slice(0, limit.max - 7).replace(/-+$/, "")}-${shortHash(full)}`;
  }
  while (name.length < limit.min) name = `${name}-${shortHash(full + name.length)}`.slice(0, limit.max);
  return name.replace(/-+$/, "");
}

/**
 * A GCP label value: ≤ 63 of lowercase letters, digits, `_` and `-`
 * (https://cloud.google.com/resource-manager/docs/labels-overview#requirements).
 */
export function labelValue(s: string): string {
  const v = s
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-");
  return v.length > 63 ? `${v.slice(0, 56)}-${shortHash(s)}` : v;
}
