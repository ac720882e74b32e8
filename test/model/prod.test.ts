import * as assert from "node:assert/strict";
import { formatIssue, ModelError, validate } from "../../model";
import { usedFeatures } from "../../providers/capabilities";
import { MINI_FILE, validRaw } from "../support/models";

// biome-ignore lint/suspicious/noExplicitAny: raw model objects, edited freely before validation
type Raw = Record<string, any>;

function run(mutate: (m: Raw) => void) {
  const m = structuredClone(validRaw()) as Raw;
  mutate(m);
  return validate(m, MINI_FILE);
}

function issuesOf(mutate: (m: Raw) => void): string[] {
  try {
    run(mutate);
  } catch (e) {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${e}`);
    return e.issues.map(formatIssue);
  }
  return [];
}

describe("model: production keys (domain, alerts, tracing, canary)", () => {
  it("normalises defaults: managed certificate, 5 % / 2000 ms, tracing on, notify split into emails and webhooks", () => {
    const api = run((m) => {
      m.domain = { name: "api.shop.example.com" };
      m.alerts = { notify: ["ops@example.com", "https://hooks.example.com/x"] };
      m.functions.hello.canary = { weight: 10 };
    });
    assert.deepEqual(api.domain, { name: "api.shop.example.com", certificate: "managed" });
    assert.deepEqual(api.alerts, {
      errorRatePercent: 5,
      p99LatencyMs: 2000,
      notify: [
        { kind: "email", address: "ops@example.com" },
        { kind: "webhook", url: "https://hooks.example.com/x" },
      ],
    });
    assert.equal(api.tracing, true);
    assert.deepEqual(api.functions.hello?.canary, { weight: 10 });
    assert.equal(api.functions.plain?.canary, undefined);
  });

  it("keeps explicit values", () => {
    const api = run((m) => {
      m.domain = { name: "api.example.com", certificate: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" };
      m.alerts = { errorRatePercent: 0.5, p99LatencyMs: 750, notify: ["a@b.io"] };
      m.tracing = false;
    });
    assert.equal(api.domain?.certificate, "arn:aws:acm:eu-west-1:123456789012:certificate/abc");
    assert.equal(api.alerts?.errorRatePercent, 0.5);
    assert.equal(api.alerts?.p99LatencyMs, 750);
    assert.equal(api.tracing, false);
  });

  it("without the keys: no domain, no alerts, tracing on", () => {
    const api = run(() => {});
    assert.equal(api.domain, undefined);
    assert.equal(api.alerts, undefined);
    assert.equal(api.tracing, true);
  });

  const CASES: [string, (m: Raw) => void, string[]][] = [
    [
      "domain with capitals",
      (m) => (m.domain = { name: "API.example.com" }),
      ['domain.name: "API.example.com" must be lowercase. Use "api.example.com".'],
    ],
    [
      "single-label domain",
      (m) => (m.domain = { name: "localhost" }),
      ['domain.name: "localhost" needs at least two labels, e.g. "api.example.com".'],
    ],
    [
      "wildcard domain",
      (m) => (m.domain = { name: "*.example.com" }),
      ["domain.name: \"*.example.com\": label \"*\" must be 1-63 lowercase letters, digits and inner '-' (no '*', '_' or spaces)."],
    ],
    [
      "trailing dot",
      (m) => (m.domain = { name: "api.example.com." }),
      ['domain.name: "api.example.com." must not end with \'.\'. Use "api.example.com".'],
    ],
    [
      "IP address",
      (m) => (m.domain = { name: "10.0.0.1" }),
      ['domain.name: "10.0.0.1" looks like an IP address; a domain needs a DNS name.'],
    ],
    ["domain without name", (m) => (m.domain = {}), ["domain.name: is required"]],
    [
      "domain unknown key",
      (m) => (m.domain = { name: "a.example.com", cert: "managed" }),
      ["domain.cert: unknown key. Allowed keys: name, certificate."],
    ],
    [
      "certificate with spaces",
      (m) => (m.domain = { name: "a.example.com", certificate: "my cert" }),
      ['domain.certificate: "my cert" must be "managed" or a certificate reference without spaces.'],
    ],
    ["error rate 0", (m) => (m.alerts = { errorRatePercent: 0, notify: ["a@b.io"] }), ["alerts.errorRatePercent: must be greater than 0"]],
    [
      "error rate above 100",
      (m) => (m.alerts = { errorRatePercent: 101, notify: ["a@b.io"] }),
      ["alerts.errorRatePercent: must be at most 100"],
    ],
    ["latency not whole", (m) => (m.alerts = { p99LatencyMs: 1.5, notify: ["a@b.io"] }), ["alerts.p99LatencyMs: must be a whole number"]],
    ["latency 0", (m) => (m.alerts = { p99LatencyMs: 0, notify: ["a@b.io"] }), ["alerts.p99LatencyMs: must be at least 1 ms"]],
    ["notify missing", (m) => (m.alerts = {}), ["alerts.notify: is required"]],
    ["notify empty", (m) => (m.alerts = { notify: [] }), ["alerts.notify: needs at least one email address or https webhook URL"]],
    [
      "http webhook",
      (m) => (m.alerts = { notify: ["http://hooks.example.com/x"] }),
      ['alerts.notify[0]: "http://hooks.example.com/x" is not an https webhook URL (plain http and other schemes are not allowed).'],
    ],
    [
      "not an email",
      (m) => (m.alerts = { notify: ["ops at example"] }),
      ['alerts.notify[0]: "ops at example" is neither an email address nor an https webhook URL.'],
    ],
    ["duplicate notify", (m) => (m.alerts = { notify: ["a@b.io", "a@b.io"] }), ['alerts.notify[1]: "a@b.io" is listed twice']],
    ["tracing not boolean", (m) => (m.tracing = "yes"), ["tracing: must be true or false"]],
    ["canary weight 0", (m) => (m.functions.hello.canary = { weight: 0 }), ["functions.hello.canary.weight: must be at least 1 percent"]],
    [
      "canary weight 100",
      (m) => (m.functions.hello.canary = { weight: 100 }),
      ["functions.hello.canary.weight: must be at most 99 percent"],
    ],
    [
      "canary weight fraction",
      (m) => (m.functions.hello.canary = { weight: 2.5 }),
      ["functions.hello.canary.weight: must be a whole number"],
    ],
    [
      "canary in defaults",
      (m) => (m.defaults.function = { canary: { weight: 5 } }),
      ["defaults.function.canary: unknown key. Allowed keys: memoryMb, timeoutSeconds, scaling."],
    ],
  ];
  for (const [title, mutate, expected] of CASES) {
    it(`rejects: ${title}`, () => assert.deepEqual(issuesOf(mutate), expected));
  }

  it("usedFeatures lists the new features at their model paths", () => {
    const api = run((m) => {
      m.domain = { name: "api.example.com" };
      m.alerts = { notify: ["a@b.io"] };
      m.functions.hello.canary = { weight: 10 };
    });
    const used = usedFeatures(api);
    assert.deepEqual(used.get("domain"), ["domain"]);
    assert.deepEqual(used.get("alerts"), ["alerts"]);
    assert.deepEqual(used.get("tracing"), ["tracing"]);
    assert.deepEqual(used.get("function.canary"), ["functions.hello.canary"]);
    const off = usedFeatures(run((m) => (m.tracing = false)));
    assert.equal(off.has("tracing"), false);
    assert.equal(off.has("domain"), false);
  });
});
