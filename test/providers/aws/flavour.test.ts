import * as assert from "node:assert/strict";
import { type Api, ModelError, validate } from "../../../model";
import { awsCapabilities } from "../../../providers/aws/capabilities";
import { physicalName, retentionDays } from "../../../providers/aws/config";
import { chooseFlavour } from "../../../providers/aws/flavour";
import { awsLimits } from "../../../providers/aws/limits";
import { FEATURES, type StackConfig } from "../../../providers/types";
import { fakeStack } from "../../support/config";
import { MINI_FILE, validRaw } from "../../support/models";

// biome-ignore lint/suspicious/noExplicitAny: raw model objects, edited freely before validation
type Raw = Record<string, any>;

function model(mutate: (m: Raw) => void = () => {}): Api {
  const m = structuredClone(validRaw()) as Raw;
  mutate(m);
  return validate(m, MINI_FILE);
}

/** A model with nothing only REST has: no API keys, cache or quota. */
const plainModel = () =>
  model((m) => {
    m.defaults.auth = "users";
    delete m.routes["GET /items"].cache;
  });

const config = fakeStack;

function modelError(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ModelError, String(e));
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail("expected a ModelError");
}

describe("providers/aws/flavour.ts: chooseFlavour", () => {
  it("picks REST when a route uses API keys or caching, naming each route and feature", () => {
    const { flavour, reasons } = chooseFlavour(model(), config());
    assert.equal(flavour, "rest");
    assert.ok(reasons.some((r) => r.startsWith('routes["GET /items"].cache: response caching')));
    assert.ok(reasons.some((r) => r.startsWith('routes["GET /items"].auth: API keys (scheme "partners")')));
  });

  it("picks REST for a quota alone", () => {
    const api = model((m) => {
      m.defaults.auth = "users";
      delete m.routes["GET /items"].cache;
      m.routes["POST /plain"].rateLimit = { ratePerSecond: 1, burst: 2, quota: { limit: 10, period: "day" } };
    });
    assert.deepEqual(chooseFlavour(api, config()).flavour, "rest");
  });

  it("picks HTTP when nothing needs REST, and when forced", () => {
    assert.equal(chooseFlavour(plainModel(), config()).flavour, "http");
    assert.equal(chooseFlavour(plainModel(), config({ "aws.apiFlavour": "auto" })).flavour, "http");
    assert.equal(chooseFlavour(plainModel(), config({ "aws.apiFlavour": "rest" })).flavour, "rest");
  });

  it("forcing http on a model that needs REST is a ModelError naming every route and feature", () => {
    const issues = modelError(() => chooseFlavour(model(), config({ "aws.apiFlavour": "http" })));
    assert.deepEqual(
      issues.map((i) => i.split(":")[0]),
      ['routes["GET /items"].auth', 'routes["GET /items"].cache', 'routes["ANY /proxy/{path+}"].auth'],
    );
    assert.match(issues[1] ?? "", /response caching needs an API Gateway REST API, but switchyard:aws.apiFlavour forces "http"/);
  });

  it("rejects an unknown flavour", () => {
    assert.match(modelError(() => chooseFlavour(plainModel(), config({ "aws.apiFlavour": "grpc" })))[0] ?? "", /"grpc" is not a flavour/);
  });
});

describe("providers/aws/capabilities.ts", () => {
  it("answers every feature, and says which flavour and why", () => {
    const table = awsCapabilities(model(), config());
    assert.deepEqual(Object.keys(table).sort(), Object.keys(FEATURES).sort());
    assert.match(table["route.function"].note, /^REST API flavour \(routes\["GET \/items"\]/);
    assert.match(awsCapabilities(plainModel(), config())["route.function"].note, /^HTTP API flavour/);
  });

  it("JWT is native on HTTP and a switchyard Lambda authorizer (substitute) on REST", () => {
    assert.equal(awsCapabilities(plainModel(), config())["auth.jwt"].support, "native");
    assert.equal(awsCapabilities(plainModel(), config())["auth.jwt.scopes"].support, "native");
    const rest = awsCapabilities(model(), config());
    assert.equal(rest["auth.jwt"].support, "substitute");
    assert.equal(rest["auth.jwt.scopes"].support, "substitute");
    assert.equal(rest["auth.apiKey"].support, "native");
    assert.equal(rest.cache.support, "native");
  });

  it("quotas are native only for API-key routes sharing one day/month quota", () => {
    const keyed = model((m) => {
      m.defaults.rateLimit.quota = { limit: 100, period: "month" };
    });
    // The default rate limit (with its quota) also lands on the JWT route POST /plain.
    assert.equal(awsCapabilities(keyed, config())["rateLimit.quota"].support, "unsupported");
    const onlyKeyed = model((m) => {
      m.routes["GET /items"].rateLimit = { ratePerSecond: 10, burst: 20, quota: { limit: 100, period: "month" } };
      m.routes["ANY /proxy/{path+}"].rateLimit = { ratePerSecond: 10, burst: 20, quota: { limit: 100, period: "month" } };
    });
    assert.equal(awsCapabilities(onlyKeyed, config())["rateLimit.quota"].support, "native");
    const hourly = model((m) => {
      m.routes["GET /items"].rateLimit = { ratePerSecond: 10, burst: 20, quota: { limit: 100, period: "hour" } };
      m.routes["ANY /proxy/{path+}"].rateLimit = { ratePerSecond: 10, burst: 20, quota: { limit: 100, period: "hour" } };
    });
    assert.match(awsCapabilities(hourly, config())["rateLimit.quota"].note, /day, week or month/);
  });

  it("weighted upstreams are reported unsupported with alternatives", () => {
    const t = awsCapabilities(model(), config());
    assert.equal(t["route.upstream.weighted"].support, "unsupported");
    assert.ok((t["route.upstream.weighted"].alternatives ?? []).length >= 1);
  });
});

describe("providers/aws/limits.ts", () => {
  it("flags a routed function whose timeout exceeds the integration timeout (29 s REST, 30 s HTTP)", () => {
    const rest = model((m) => (m.functions.plain.timeoutSeconds = 30));
    const issues = awsLimits(rest, config());
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, "functions.plain.timeoutSeconds");
    assert.match(issues[0]?.message ?? "", /above the API Gateway REST API integration timeout of 29 s/);
    const http = model((m) => {
      m.defaults.auth = "users";
      delete m.routes["GET /items"].cache;
      m.functions.plain.timeoutSeconds = 30;
    });
    assert.deepEqual(awsLimits(http, config()), []);
    http.functions.plain = { ...(http.functions.plain as Api["functions"][string]), timeoutSeconds: 31 };
    assert.match(awsLimits(http, config())[0]?.message ?? "", /HTTP API integration timeout of 30 s/);
  });

  it("flags a function environment above Lambda's 4 KB", () => {
    const api = model((m) => (m.functions.plain.environment = { BIG: "x".repeat(4000) }));
    const issues = awsLimits(api, config());
    assert.equal(issues[0]?.path, "functions.plain.environment");
    assert.match(issues[0]?.message ?? "", /above Lambda's 4096/);
    assert.deepEqual(
      awsLimits(
        model((m) => (m.functions.plain.environment = { SMALL: "x".repeat(100) })),
        config(),
      ),
      [],
    );
  });

  it("flags memory outside Lambda's range", () => {
    const api = model();
    api.functions.hello = { ...(api.functions.hello as Api["functions"][string]), memoryMb: 64 };
    assert.match(awsLimits(api, config())[0]?.message ?? "", /64 MB is outside Lambda's 128..10240 MB/);
  });
});

describe("providers/aws/shared.ts: routeSlugs", () => {
  it("gives every route a distinct, stable short name", async () => {
    const { routeSlugs } = await import("../../../providers/aws/shared");
    const api = model((m) => {
      m.routes["GET /hello/name"] = { function: "hello", auth: "none" };
    });
    const slugs = routeSlugs(api);
    const names = api.routes.map((r) => slugs(r.key));
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names.filter((n) => n.startsWith("get-hello-name")).sort(), ["get-hello-name", "get-hello-name-2"]);
    assert.equal(slugs("GET /hello/name"), routeSlugs(api)("GET /hello/name"));
  });
});

describe("providers/aws/config.ts", () => {
  it("rounds retention up to a value CloudWatch accepts", () => {
    assert.deepEqual([1, 2, 10, 14, 15, 366, 4000].map(retentionDays), [1, 3, 14, 14, 30, 400, 3653]);
  });

  it("keeps physical names within 64 characters, deterministically", () => {
    const long = physicalName(["a".repeat(24), "stack-name", "b".repeat(40)]);
    assert.equal(long.length, 64);
    assert.equal(long, physicalName(["a".repeat(24), "stack-name", "b".repeat(40)]));
    assert.equal(physicalName(["shop", "dev", "list"]), "shop-dev-list");
  });
});

describe("Pulumi.yaml: the AWS keys the provider reads", () => {
  it("declares each switchyard:aws.* key with a type and a default", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const YAML = (await import("yaml")).default;
    const project = YAML.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "Pulumi.yaml"), "utf8"));
    const read: string[] = [];
    const cfg: StackConfig = {
      stack: "t",
      get: (k) => {
        read.push(k);
        return undefined;
      },
      getObject: () => undefined,
      getSecret: () => undefined,
    };
    const { awsSettings } = await import("../../../providers/aws/config");
    awsSettings(cfg);
    chooseFlavour(plainModel(), cfg);
    assert.deepEqual([...new Set(read)].sort(), [
      "aws.apiFlavour",
      "aws.apiGatewayAccount",
      "aws.cacheClusterSize",
      "aws.lambdaRuntime",
      "aws.restStageName",
      "aws.secretsExtensionLayer",
    ]);
    for (const k of new Set(read)) {
      assert.equal(project.config[k]?.type, "string", k);
      assert.notEqual(project.config[k]?.default, undefined, k);
    }
  });
});
