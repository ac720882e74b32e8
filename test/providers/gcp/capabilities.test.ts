import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { formatIssue, loadApi, ModelError, validate } from "../../../model";
import { checkCapabilities } from "../../../providers/capabilities";
import { provider } from "../../../providers/gcp";
import { gcpLimits } from "../../../providers/gcp/capabilities";
import { GATEWAY_REGIONS } from "../../../providers/gcp/config";
import type { StackConfig } from "../../../providers/types";

const ECHO = path.join(__dirname, "fixtures", "echo", "api.ts");
const ROOT = path.resolve(__dirname, "..", "..", "..");

function stackConfig(values: Record<string, unknown>): StackConfig {
  return {
    stack: "test",
    get: (k) => (typeof values[k] === "string" ? (values[k] as string) : undefined),
    getObject: <T>(k: string) => values[k] as T | undefined,
    getSecret: () => undefined,
  };
}

/** gcpLimits with `gcp:*` provider config set as the Pulumi engine would pass it. */
function limits(gcp: Record<string, string>, project: Record<string, unknown> = {}, api = loadApi(ECHO)): string[] {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(gcp).map(([k, v]) => [`gcp:${k}`, v])));
  try {
    return gcpLimits(api, stackConfig(project)).map(formatIssue);
  } finally {
    pulumi.runtime.setAllConfig({});
  }
}

describe("providers/gcp/capabilities.ts: limits", () => {
  const ok = { project: "p", region: "europe-west1" };

  it("accepts a supported region and a project", () => {
    assert.deepEqual(limits(ok), []);
  });

  it("rejects a region API Gateway does not run in, listing the supported ones", () => {
    const [issue, ...rest] = limits({ ...ok, region: "europe-north1" });
    assert.deepEqual(rest, []);
    assert.match(issue ?? "", /^gcp:region: "europe-north1" is not a region API Gateway runs in\. Use one of: /);
    for (const r of GATEWAY_REGIONS) assert.ok(issue?.includes(r), r);
  });

  it("requires gcp:project and gcp:region", () => {
    assert.deepEqual(
      limits({}).map((i) => i.split(":")[0] + ":" + i.split(":")[1]?.split(" ")[0]),
      ["gcp:project", "gcp:region"],
    );
  });

  it("checks switchyard:gcpRuntime and switchyard:gcpDeployers", () => {
    assert.deepEqual(limits(ok, { gcpRuntime: "nodejs20", gcpDeployers: ["me@example.com", "user:me@example.com"] }), [
      'switchyard:gcpRuntime: "nodejs20" is not a supported runtime. Use nodejs22 or nodejs24.',
      'switchyard:gcpDeployers[0]: "me@example.com" is not an IAM member. Write it as user:<email>, serviceAccount:<email> or group:<email>.',
    ]);
  });

  it("rejects two functions whose lowercase GCP names collide", () => {
    const api = validate(
      {
        name: "lim",
        functions: { getBook: { handler: "functions/echo.ts#echo" }, getBOok: { handler: "functions/echo.ts#echo" } },
        routes: { "GET /a": { function: "getBook", auth: "none" }, "GET /b": { function: "getBOok", auth: "none" } },
      },
      ECHO,
    );
    assert.deepEqual(limits(ok, {}, api), [
      'functions.getBook: GCP names are lowercase, so "getBook" and "getBOok" both become "get-book". Rename one of them.',
    ]);
  });

  it("rejects two JWT schemes with one issuer, and an OPTIONS route when cors is on", () => {
    const api = validate(
      {
        name: "lim",
        auth: {
          a: { type: "jwt", issuer: "https://i.example.com/", audiences: ["x"] },
          b: { type: "jwt", issuer: "https://i.example.com/", audiences: ["y"] },
        },
        cors: { allowOrigins: ["https://app.example.com"] },
        functions: { echo: { handler: "functions/echo.ts#echo" } },
        routes: { "GET /a": { function: "echo", auth: "a" }, "OPTIONS /b": { function: "echo", auth: "b" } },
      },
      ECHO,
    );
    assert.deepEqual(limits(ok, {}, api), [
      'auth.b.issuer: API Gateway needs a distinct issuer per JWT scheme, and "a" already uses https://i.example.com/. Merge the two schemes (list both audiences).',
      'routes["OPTIONS /b"]: with cors declared, OPTIONS is the public CORS preflight on GCP (the function answers it). Remove the OPTIONS route or the cors block.',
    ]);
  });
});

describe("providers/gcp: capability check and config declarations", () => {
  const example = () => loadApi(path.join(ROOT, "api.ts"));
  const check = (project: Record<string, unknown>) => {
    pulumi.runtime.setAllConfig({ "gcp:project": "p", "gcp:region": "europe-west1" });
    try {
      return checkCapabilities(provider, example(), stackConfig(project));
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  };

  it("fails the example without allowUnsupported, naming each route and the alternatives", () => {
    assert.throws(
      () => check({}),
      (e: unknown) => {
        assert.ok(e instanceof ModelError);
        const text = e.issues.map(formatIssue).join("\n");
        assert.match(
          text,
          /routes\["GET \/books"\]\.cache: response caching at the gateway \(cache\) is unsupported on gcp: .*Alternatives: cache in the function/,
        );
        assert.match(text, /routes\["GET \/search"\]\.upstream\.targets: weighted upstream targets/);
        assert.match(text, /rateLimit\.perConsumer/);
        return true;
      },
    );
  });

  it("passes once the stack accepts the gaps, reporting them as warnings", () => {
    const accepted = [
      "cache",
      "cache.varyBy",
      "function.canary",
      "rateLimit",
      "rateLimit.perConsumer",
      "rateLimit.quota",
      "route.upstream.weighted",
    ];
    const r = check({ allowUnsupported: accepted });
    assert.equal(r.accepted.length, accepted.length);
    assert.equal(r.rows.find((x) => x.feature === "cache")?.support, "unsupported");
  });

  it("Pulumi.yaml declares the GCP keys the provider reads, typed, with defaults", () => {
    const decl = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config;
    assert.deepEqual(decl.gcpRuntime, { ...decl.gcpRuntime, type: "string", default: "nodejs22" });
    assert.deepEqual(decl.gcpDeployers, { ...decl.gcpDeployers, type: "array", default: [] });
  });
});
