import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { estimateAws } from "../../cost/aws";
import { estimate, parseProfile, planCost, readProfileFile } from "../../cost/index";
import { renderComparison, renderPlanCost } from "../../cost/render";
import { routeRequests } from "../../cost/traffic";
import { loadApi, ModelError } from "../../model";
import { EXAMPLE } from "../support/models";
import { config, line, oneFunction, profile } from "./support";

const example = loadApi(EXAMPLE);

// The flavour rule is tested only through the estimator: at merge the AWS provider's flavour.ts replaces ours.
describe("cost/aws.ts: the API flavour rule", () => {
  const p = profile({ requestsPerMonth: 1_000_000 });

  it("REST when a route uses API keys, a cache or a quota, with each reason in the notes", () => {
    const e = estimateAws(example, p, config());
    assert.equal(e.choices.flavour, "rest");
    const why = e.notes.find((n) => n.startsWith("REST API because"));
    for (const route of ["GET /books", "GET /books/{id}", "ANY /legacy/{path+}", "POST /orders"]) assert.ok(why?.includes(route), route);
    // the REST rate: 1 × $3.50
    assert.equal(line(e, "API Gateway REST API requests"), 3.5);
  });

  it("HTTP for a model without them; switchyard:aws.apiFlavour rest forces REST", () => {
    assert.equal(estimateAws(oneFunction(128), p, config()).choices.flavour, "http");
    assert.equal(estimateAws(oneFunction(128), p, config({ "aws.apiFlavour": "rest" })).choices.flavour, "rest");
  });

  it("forcing http on a model that needs REST is a ModelError naming each route", () => {
    assert.throws(
      () => estimateAws(example, p, config({ "aws.apiFlavour": "http" })),
      (e: unknown) =>
        e instanceof ModelError &&
        ["GET /books", "GET /books/{id}", "ANY /legacy/{path+}", "POST /orders"].every((r) => e.message.includes(r)),
    );
  });
});

describe("cost/traffic.ts", () => {
  const two = oneFunction(128, {
    routes: { "GET /hello": { function: "hello", auth: "none" }, "GET /up": { auth: "none", upstream: { url: "https://example.com" } } },
  });

  it("splits traffic evenly over routes unless the profile gives shares", () => {
    assert.deepEqual(
      [...routeRequests(two, profile({ requestsPerMonth: 1000 }))],
      [
        ["GET /hello", 500],
        ["GET /up", 500],
      ],
    );
    const p = profile({ requestsPerMonth: 1000, routeShares: { "GET /hello": 0.9 } });
    assert.deepEqual(
      [...routeRequests(two, p)].map(([k, v]) => [k, Math.round(v)]),
      [
        ["GET /hello", 900],
        ["GET /up", 100],
      ],
    );
  });

  it("rejects unknown routes and shares over 1, all at once", () => {
    const p = profile({ requestsPerMonth: 1000, routeShares: { "GET /helo": 0.5, "GET /up": 1.5 } });
    assert.throws(
      () => routeRequests(two, p),
      (e: unknown) =>
        e instanceof ModelError &&
        e.message ===
          'The traffic profile has problems (2 problems):\n  - routes["GET /helo"]: no such route in the model. Did you mean "GET /hello"?\n  - routes["GET /up"]: share 1.5 must be between 0 and 1.',
    );
  });
});

describe("cost/index.ts", () => {
  it("parseProfile fills defaults and reports every bad value at once", () => {
    const p = parseProfile({ requestsPerMonth: "10000000" });
    assert.deepEqual([p.requestsPerMonth, p.avgDurationMs, p.avgPayloadKb, p.cacheHitRate], [10_000_000, 100, 1, 0]);
    assert.throws(
      () => parseProfile({ avgDurationMs: "fast", cacheHitRate: 2 }),
      (e: unknown) =>
        e instanceof ModelError &&
        e.issues.map((i) => i.path).join(",") === "avgDurationMs,cacheHitRate,requestsPerMonth" &&
        e.message.includes('"fast" is not a valid average duration in ms'),
    );
  });

  it("estimates the three clouds and marks the cheapest", () => {
    const r = estimate(oneFunction(256, { tracing: false }), profile({ requestsPerMonth: 10_000_000, avgDurationMs: 200 }), config());
    assert.deepEqual(
      r.estimates.map((e) => e.cloud),
      ["aws", "azure", "gcp"],
    );
    const cheapest = r.estimates.reduce((a, b) => (b.totals.total < a.totals.total ? b : a));
    assert.equal(r.cheapest, cheapest.cloud);
    // AWS HTTP: gateway 10 × $1.00 = $10.00; Lambda (10M - 1M) × $0.20/M = $1.80; 10M × 0.2 s × 0.25 GB = 500,000 - 400,000 = 100,000 GB-s × $0.0000133334 = $1.33
    const aws = r.estimates[0]!;
    assert.deepEqual([aws.totals.gateway, aws.totals.compute, aws.totals.total], [10, 3.13, 13.13]);
    assert.match(renderComparison(r), new RegExp(`\\* cheapest: ${{ aws: "AWS", azure: "Azure", gcp: "GCP" }[r.cheapest]} at \\$`));
  });

  it("totals are the sum of the lines, per category", () => {
    const r = estimate(example, profile({ requestsPerMonth: 10_000_000, accessLogBytes: 300, functionLogBytes: 300 }), config());
    for (const e of r.estimates) {
      const sum = e.lines.reduce((s, l) => s + l.usd, 0);
      assert.equal(e.totals.total, Math.round(sum * 100) / 100, e.cloud);
    }
  });
});

describe("cost/index.ts planCost (the plan's cost and budget gate)", () => {
  it("is absent without a traffic profile (traffic.requestsPerMonth unset or 0)", () => {
    assert.equal(planCost(example, config(), "gcp"), undefined);
    assert.equal(planCost(example, config({ "traffic.requestsPerMonth": "0" }), "gcp"), undefined);
  });

  it("estimates the stack's cloud from traffic.* and flags an estimate above the budget", () => {
    const values = { "traffic.requestsPerMonth": "10000000", "traffic.avgDurationMs": "200", "traffic.avgPayloadKb": "1" };
    const under = planCost(oneFunction(256), config({ ...values, "budget.monthlyUsd": "100" }), "gcp");
    // GCP: API Gateway $24.00 + CPU $3.70 + memory $0.35 + requests $3.20 = $31.25 (logs, secrets $0)
    assert.equal(under?.estimate.totals.total, 31.25);
    assert.equal(under?.overBudget, false);
    const over = planCost(oneFunction(256), config({ ...values, "budget.monthlyUsd": "30" }), "gcp");
    assert.equal(over?.overBudget, true);
    assert.equal(over?.budgetMonthlyUsd, 30);
    assert.match(renderPlanCost(over!), /warning: the estimate \$31\.25 is above the budget \$30\.00 \(switchyard:budget\.monthlyUsd\)/);
    assert.doesNotMatch(renderPlanCost(under!), /warning/);
  });

  it("a bad traffic value is a ModelError naming the config key", () => {
    assert.throws(
      () => planCost(example, config({ "traffic.requestsPerMonth": "lots" }), "aws"),
      /switchyard:traffic\.requestsPerMonth: "lots" is not a valid/,
    );
  });
});

describe("cost/index.ts readProfileFile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-profile-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads route shares and a cache hit rate that drive the estimate", () => {
    const input = readProfileFile(write("p.json", '{ "routes": { "GET /books": 0.7, "GET /health": 0.1 }, "cacheHitRate": 0.8 }'));
    const e = estimateAws(example, parseProfile({ ...input, requestsPerMonth: 10_000_000 }), config());
    // invocations: GET /books 7M × (1 - 0.8) = 1.4M; GET /health 1M; the other 0.2 over 4 routes, 2 of them
    // function routes: 2 × 0.5M = 1M; total 3.4M - 1M free = 2.4M / 1M × $0.20 = $0.48
    assert.equal(line(e, "Lambda requests"), 0.48);
  });

  it("rejects unknown keys and unreadable files with the file named", () => {
    assert.throws(
      () => readProfileFile(write("u.json", '{ "rps": 5 }')),
      /--profile .*u\.json: unknown key "rps"\. Known: requestsPerMonth/,
    );
    assert.throws(() => readProfileFile(path.join(dir, "missing.json")), /--profile .*missing\.json: cannot read it as JSON/);
  });
});
