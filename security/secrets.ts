/**
 * Detectors for secret-looking values (SECURITY.md X1 (b) and (c)). Pure string predicates, shared by
 * the invariants and their tests.
 */

/** Value detectors: a match anywhere in any string of the plan is a finding. */
export const VALUE_DETECTORS: { name: string; re: RegExp }[] = [
  // AWS access key ids: AKIA (long-term) / ASIA (temporary) + 16 upper-case alphanumerics.
  { name: "AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "PEM private key", re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  // Azure storage / Service Bus connection strings carry the key itself.
  { name: "Azure account key", re: /\b(?:AccountKey|SharedAccessKey)=[^;\s]{8,}/i },
  // A SAS token's signature (also inside a URL query string).
  { name: "SAS signature", re: /(?:^|[?&;])sig=[A-Za-z0-9%+/=]{16,}/ },
  // A compact JWS: base64url header starting with {"…, payload, signature.
  { name: "JWT", re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: "URL with credentials", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i },
];

/** Env / setting names that hold secrets (SECURITY.md X1 (c)). */
export const SECRET_KEY = /secret|passw|token|api_?key|private_?key|connection_?string|account_?key/i;

/**
 * Values under a secret-looking name that are references to a secret store, not the secret itself
 * (SECURITY.md X1 "Allowed values are references").
 */
export function isReference(value: string): boolean {
  return (
    /^arn:aws:(secretsmanager|ssm):/.test(value) ||
    /^@Microsoft\.KeyVault\(/.test(value) ||
    /^\{\{[A-Za-z0-9._-]+\}\}$/.test(value) ||
    /^projects\/[^/]+\/secrets\/[^/]+(\/versions\/[^/]+)?$/.test(value)
  );
}

/**
 * An Application Insights connection string: its instrumentation key "isn't a security token or
 * security key, and isn't considered a secret"
 * (https://learn.microsoft.com/azure/azure-monitor/app/sdk-connection-string). Only the documented
 * non-secret settings are accepted, so a string that also carries a key still fails.
 */
export function isAppInsightsConnectionString(value: string): boolean {
  const parts = value.split(";").filter(Boolean);
  return (
    parts.some((p) => p.startsWith("InstrumentationKey=")) &&
    parts.every((p) =>
      /^(InstrumentationKey|IngestionEndpoint|LiveEndpoint|ProfilerEndpoint|SnapshotEndpoint|EndpointSuffix|ApplicationId|Authorization)=/.test(
        p,
      ),
    )
  );
}

/** Names of the value detectors that match `value`. */
export function secretValueKinds(value: string): string[] {
  return VALUE_DETECTORS.filter((d) => d.re.test(value)).map((d) => d.name);
}

/**
 * Why a `name = value` setting (an env var, an app setting) holds a plain-text secret, or undefined.
 * `placeholder` is the plan's mask for Pulumi secrets: a masked value in function configuration means
 * a secret reached it as plain text (X1 (a)).
 */
export function plainSecretSetting(name: string, value: unknown, placeholder: string): string | undefined {
  if (value === placeholder) return `"${name}" is a Pulumi secret stored as plain-text function configuration`;
  if (typeof value !== "string") return undefined;
  const kinds = secretValueKinds(value);
  if (kinds.length) return `"${name}" holds a ${kinds.join(", ")} in plain text`;
  if (SECRET_KEY.test(name) && value.length >= 8 && !isReference(value) && !isAppInsightsConnectionString(value)) {
    return `"${name}" looks like a secret and has a literal value; use a secret-store reference`;
  }
  return undefined;
}
