import * as assert from "node:assert/strict";
import { forecast, renderForecast } from "../../plan/forecast";
import { planJson } from "../support/plan";

const res = (type: string, name: string, inputs: Record<string, unknown> = {}) => ({ type, name, inputs });

describe("plan/forecast.ts (deploy-time forecast)", () => {
  it("marks an APIM service on a classic tier as 30–75 min, and not on Basic v2 or Consumption", () => {
    const apim = (sku: string) => [res("azure-native:apimanagement:ApiManagementService", `svc-${sku}`, { sku: { name: sku } })];
    const dev = forecast("azure", apim("Developer"), 4);
    assert.equal(dev.slow.length, 1);
    assert.deepEqual(dev.slow[0]?.typicalMinutes, { min: 30, max: 75 });
    assert.match(dev.slow[0]?.source ?? "", /azure\.md/);
    assert.deepEqual(forecast("azure", apim("BasicV2"), 4).slow, []);
    assert.deepEqual(forecast("azure", apim("Consumption"), 4).slow, []);
  });

  it("marks the GCP API config (replaced on every spec change) and the gateway, cites gcp.md", () => {
    const f = forecast(
      "gcp",
      [res("gcp:apigateway/api:Api", "a"), res("gcp:apigateway/apiConfig:ApiConfig", "cfg"), res("gcp:apigateway/gateway:Gateway", "gw")],
      3,
    );
    assert.deepEqual(
      f.slow.map((s) => [s.name, s.typicalMinutes.max]),
      [
        ["cfg", 10],
        ["gw", 20],
      ],
    );
    assert.ok(f.slow.every((s) => s.source.includes("gcp.md")));
    assert.match(f.slow[0]?.why ?? "", /replaces/);
  });

  it("marks an AWS REST stage only when it has a cache cluster", () => {
    assert.equal(forecast("aws", [res("aws:apigateway/stage:Stage", "s", { cacheClusterEnabled: true })], 1).slow.length, 1);
    assert.equal(forecast("aws", [res("aws:apigateway/stage:Stage", "s", {})], 1).slow.length, 0);
    // A type slow on another cloud is not slow here.
    assert.equal(forecast("aws", [res("gcp:apigateway/gateway:Gateway", "g")], 1).slow.length, 0);
  });

  it("counts resources per route (two decimals; 0 routes gives 0)", () => {
    const four = [1, 2, 3, 4].map((i) => res("t", `r${i}`));
    assert.equal(forecast("aws", four, 3).resourcesPerRoute, 1.33);
    assert.equal(forecast("aws", four, 0).resourcesPerRoute, 0);
    assert.equal(forecast("aws", four, 3).resources, 4);
  });

  it("renders the slow resources with their duration and source, or says there are none", () => {
    const text = renderForecast(
      forecast("azure", [res("azure-native:apimanagement:ApiManagementService", "svc", { sku: { name: "Premium" } })], 2),
    );
    assert.match(text, /1 resources, 0\.5 per route/);
    assert.match(text, /ApiManagementService \(svc\): 30–75 min/);
    assert.match(text, /source: shared\/clouds\/azure\.md/);
    assert.match(text, /may take up to 75 min/);
    assert.match(renderForecast(forecast("aws", [res("t", "x")], 1)), /no resource known to be slow/);
  });

  it("is in the plan document of the example on Azure (Developer tier): the APIM service is slow", async function () {
    this.timeout(120000);
    const plan = await planJson("azure-dev");
    assert.ok(plan.forecast, "plan.forecast");
    assert.equal(plan.forecast.resources, plan.resources.length);
    assert.deepEqual(
      plan.forecast.slow.map((s) => s.type),
      ["azure-native:apimanagement:ApiManagementService"],
    );
  });
});
