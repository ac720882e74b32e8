/**
 * Reviewed exceptions: known gaps between a stack's plan and an invariant, each with its reason and
 * the issue that tracks it. A waiver only covers the findings its `matches` selects; any other
 * finding still fails. test/security/invariants.test.ts fails when a waiver no longer matches a real
 * finding, so a fixed gap forces the waiver's removal.
 */
export interface Waiver {
  /** Invariant id (X1–X10) on the stack's cloud. */
  id: string;
  stack: string;
  /** Selects the waived findings by `<resource>: <message>`. */
  matches: RegExp;
  reason: string;
  link: string;
}

export const WAIVERS: readonly Waiver[] = [
  {
    id: "X10",
    stack: "gcp-dev",
    // Operations without an API key (public GET /health, the JWT route POST /orders, the public
    // CORS preflights). API-key operations are still required to carry a quota.
    matches: /^bookshop-config: (OPTIONS \S+|GET \/health|POST \/orders) has no quota$/,
    reason:
      "API Gateway quotas count requests per API key only (https://cloud.google.com/endpoints/docs/openapi/quotas-overview); " +
      "routes without an API key cannot be rate limited at the gateway. The capability table reports rateLimit as unsupported " +
      "and stacks/Pulumi.gcp-dev.yaml accepts it (switchyard:allowUnsupported). Alternatives: Cloud Armor on an external ALB, Apigee.",
    link: "issues #10",
  },
];

export function waiversFor(stack: string, id: string): Waiver[] {
  return WAIVERS.filter((w) => w.stack === stack && w.id === id);
}
