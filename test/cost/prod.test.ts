import * as assert from "node:assert/strict";
import { estimateAws } from "../../cost/aws";
import { estimateAzure } from "../../cost/azure";
import { estimateGcp } from "../../cost/gcp";
import { parseProfile } from "../../cost/index";
import type { CloudEstimate } from "../../cost/types";
import { ModelError } from "../../model";
import { config, line, oneFunction, profile } from "./support";

const ALERTS = { alerts: { notify: ["ops@example.com", "https://hooks.example.com/x"] } };
const DOMAIN = { domain: { name: "api.example.com" } };
/** `n` functions, each behind its own public route; tracing off unless `extra` turns it on (one effect per test). */
function functions(n: number, extra: Record<string, unknown> = {}) {
  const fns: Record<string, unknown> = {};
  const routes: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    fns[`f${i}`] = { handler: "functions/hello.ts#hello" };
    routes[`GET /f${i}`] = { function: `f${i}`, auth: "none" };
  }
  return oneFunction(128, { functions: fns, routes, tracing: false, ...extra });
}
const items = (e: CloudEstimate, category: string) => e.lines.filter((l) => l.category === category).map((l) => l.item);
/** The estimate's total minus the same model's total without the production keys. */
const added = (withKeys: CloudEstimate, without: CloudEstimate) => Math.round((withKeys.totals.total - without.totals.total) * 100) / 100;

describe("cost: production features (issue #11) priced only when the model declares them", () => {
  const p = profile({ requestsPerMonth: 10_000_000 });

  describe("AWS", () => {
    it("no alerts, no domain: no monitoring lines and no certificate line", () => {
      const e = estimateAws(functions(1), p, config());
      assert.deepEqual(items(e, "monitoring"), []);
      assert.equal(e.totals.monitoring, 0);
      assert.ok(!e.lines.some((l) => l.item.startsWith("ACM")));
    });

    it("alarm metrics from the number of functions: 2 (5xx rate) + 1 (p99) + 2 per function, × $0.10", () => {
      const one = estimateAws(functions(1, ALERTS), p, config());
      // (2 + 1 + 2 × 1) = 5 × $0.10 = $0.50
      assert.equal(line(one, "CloudWatch alarm metrics (standard resolution)"), 0.5);
      assert.equal(one.lines.find((l) => l.item.startsWith("CloudWatch alarm"))?.quantity, 5);
      const three = estimateAws(functions(3, ALERTS), p, config());
      // (2 + 1 + 2 × 3) = 9 × $0.10 = $0.90
      assert.equal(line(three, "CloudWatch alarm metrics (standard resolution)"), 0.9);
      assert.equal(added(three, estimateAws(functions(3), p, config())), 0.9);
    });

    it("SNS deliveries: alerts a month × 2 × targets, email $2.00/100,000 and HTTPS $0.60/1M", () => {
      const zero = estimateAws(functions(1, ALERTS), p, config());
      assert.equal(line(zero, "SNS email notifications"), 0);
      assert.match(
        zero.lines.find((l) => l.item === "SNS email notifications")?.calc ?? "",
        /0 alerts × 2 × 1 target = 0 \/ 100,000 × \$2\.00/,
      );
      const busy = estimateAws(functions(1, ALERTS), profile({ requestsPerMonth: 10_000_000, alertsPerMonth: 50_000 }), config());
      // 50,000 × 2 × 1 = 100,000 emails / 100,000 × $2.00 = $2.00; 100,000 webhooks / 1M × $0.60 = $0.06
      assert.equal(line(busy, "SNS email notifications"), 2);
      assert.equal(line(busy, "SNS HTTPS notifications"), 0.06);
      assert.equal(busy.totals.monitoring, 2.56);
      const emailOnly = estimateAws(functions(1, { alerts: { notify: ["a@example.com", "b@example.com"] } }), p, config());
      assert.deepEqual(items(emailOnly, "monitoring"), ["CloudWatch alarm metrics (standard resolution)", "SNS email notifications"]);
    });

    it("tracing: X-Ray records the first request each second and 5% of the rest, beyond 100,000 free, × $5.00/1M", () => {
      const on = estimateAws(functions(1, { tracing: true }), p, config());
      // 730 h × 3600 s = 2,628,000 reservoir + 0.05 × (10,000,000 - 2,628,000 = 7,372,000) = 368,600
      // = 2,996,600 traces - 100,000 free = 2,896,600 / 1M × $5.00 = $14.483 → $14.48
      assert.equal(line(on, "X-Ray traces recorded (default sampling)"), 14.48);
      assert.equal(added(on, estimateAws(functions(1), p, config())), 14.48);
      // 100,000 requests: all inside the reservoir, and inside the free 100,000 traces.
      const small = estimateAws(functions(1, { tracing: true }), profile({ requestsPerMonth: 100_000 }), config());
      assert.equal(line(small, "X-Ray traces recorded (default sampling)"), 0);
      assert.ok(!estimateAws(functions(1), p, config()).lines.some((l) => l.item.startsWith("X-Ray")));
    });

    it("a managed-certificate domain adds the free ACM certificate line; a named certificate adds nothing", () => {
      const managed = estimateAws(functions(1, DOMAIN), p, config());
      assert.equal(line(managed, "ACM public certificate (custom domain)"), 0);
      assert.equal(added(managed, estimateAws(functions(1), p, config())), 0);
      const named = estimateAws(
        functions(1, { domain: { name: "api.example.com", certificate: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } }),
        p,
        config(),
      );
      assert.ok(!named.lines.some((l) => l.item.startsWith("ACM")));
    });

    it("Route 53 is a note, only when the stack names a hosted zone: the records go into an existing zone", () => {
      const route53 = (e: CloudEstimate) => e.notes.some((n) => n.startsWith("Route 53:"));
      assert.equal(route53(estimateAws(functions(1, DOMAIN), p, config({ "aws.hostedZoneId": "Z123456ABCDEFG" }))), true);
      assert.equal(route53(estimateAws(functions(1, DOMAIN), p, config())), false);
      assert.equal(route53(estimateAws(functions(1), p, config({ "aws.hostedZoneId": "Z123456ABCDEFG" }))), false);
    });
  });

  describe("Azure", () => {
    it("alerts: 2 log search rules × $1.50 and 1 metric alert series × $0.10, marked as estimates", () => {
      const without = estimateAzure(functions(2), p, config());
      assert.equal(without.totals.monitoring, 0);
      const e = estimateAzure(functions(2, ALERTS), p, config());
      assert.equal(line(e, "Azure Monitor log search alert rules (5-minute frequency)"), 3);
      assert.equal(line(e, "Azure Monitor metric alert time series"), 0.1);
      assert.equal(line(e, "Action group emails"), 0);
      assert.equal(line(e, "Action group webhooks"), 0);
      assert.equal(added(e, without), 3.1);
      assert.ok(e.notes.some((n) => n.startsWith("unverified: Azure Monitor alerts $1.5 per log search alert rule-month")));
    });
  });

  describe("GCP", () => {
    it("alerts: a condition per policy (2 + one per function) × $1.50, and 86,400 executions × 1 series each × $0.35/1M", () => {
      const without = estimateGcp(functions(3), p);
      const e = estimateGcp(functions(3, ALERTS), p);
      // (2 + 3) = 5 conditions × $1.50 = $7.50
      assert.equal(line(e, "Cloud Monitoring alerting conditions"), 7.5);
      // 5 × 86,400 = 432,000 series / 1M × $0.35 = $0.1512 → $0.15
      assert.equal(line(e, "Cloud Monitoring alerting time series returned"), 0.15);
      assert.equal(added(e, without), 7.65);
    });

    it("domain: one forwarding rule 730 h × $0.025, and the payload in and out × $0.008/GiB", () => {
      const without = estimateGcp(functions(1), p);
      assert.ok(!without.lines.some((l) => l.item.startsWith("Load balancer")));
      const e = estimateGcp(functions(1, DOMAIN), p);
      // 1 × 730 × $0.025 = $18.25
      assert.equal(line(e, "Load balancer forwarding rule (custom domain, 24/7)"), 18.25);
      assert.match(e.lines.find((l) => l.item.startsWith("Load balancer forwarding"))?.calc ?? "", /× \$0\.025$/);
      // 10,000,000 × 1 KB = 9.5367 GiB each way × 2 = 19.0735 GiB × $0.008 = $0.1526 → $0.15
      assert.equal(line(e, "Load balancer data processed (in + out)"), 0.15);
      assert.equal(added(e, without), 18.4);
    });
  });

  it("the profile's alertsPerMonth is a whole number ≥ 0", () => {
    assert.equal(parseProfile({ requestsPerMonth: 1 }).alertsPerMonth, 0);
    assert.equal(parseProfile({ requestsPerMonth: 1, alertsPerMonth: "12" }).alertsPerMonth, 12);
    assert.throws(
      () => parseProfile({ requestsPerMonth: 1, alertsPerMonth: -1 }),
      (e: unknown) => e instanceof ModelError && e.message.includes("-1 is not a valid alerts per month. Give a whole number."),
    );
  });
});
