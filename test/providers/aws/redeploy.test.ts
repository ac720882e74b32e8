import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { type Api, validate } from "../../../model";
import { MINI_FILE, validRaw } from "../../support/models";

// biome-ignore lint/suspicious/noExplicitAny: raw model objects, edited freely before validation
type Raw = Record<string, any>;

function model(mutate: (m: Raw) => void = () => {}): Api {
  const m = structuredClone(validRaw()) as Raw;
  mutate(m);
  return validate(m, MINI_FILE);
}

const wait = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/**
 * The REST Deployment's `triggers` under Pulumi's mocks (preview=false, so applies run): the same
 * fake Lambda ARNs for every model, so only the model can make the hashes differ.
 */
describe("providers/aws/rest-api.ts: Deployment triggers (mocked program)", () => {
  let restApi: typeof import("../../../providers/aws/rest-api").restApi;
  let awsSettings: typeof import("../../../providers/aws/config").awsSettings;
  before(async () => {
    const { awsMockState } = await import("../../../providers/aws/mocks");
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          const s = awsMockState(a.type, a.name, a.inputs);
          return { id: (s.id as string) ?? `${a.name}-id`, state: { ...a.inputs, ...s } };
        },
        call: (a) => a.inputs,
      },
      "switchyard",
      "redeploy",
      false,
    );
    ({ restApi } = await import("../../../providers/aws/rest-api"));
    ({ awsSettings } = await import("../../../providers/aws/config"));
  });

  const fnRef = (n: string) => ({
    name: pulumi.output(`fn-${n}`),
    arn: pulumi.output(`arn:aws:lambda:eu-west-1:123456789012:function:fn-${n}`),
    invokeArn: pulumi.output(
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:fn-${n}/invocations`,
    ),
  });

  async function hashOf(name: string, api: Api): Promise<string> {
    const parent = new pulumi.ComponentResource("switchyard:test:Parent", name, {});
    const settings = awsSettings({ stack: "redeploy", get: () => undefined, getObject: () => undefined, getSecret: () => undefined });
    const r = restApi({
      name,
      api,
      stack: "redeploy",
      region: "eu-west-1",
      settings: { ...settings, apiGatewayAccount: "external" },
      functions: { hello: fnRef("hello"), plain: fnRef("plain") },
      jwtAuthorizers: { users: fnRef("jwt") },
      apiKeys: {},
      parent,
    });
    return wait(r.redeployHash);
  }

  it("changes when only one route's auth changes, and only then", async () => {
    const base = await hashOf("a", model());
    const same = await hashOf("b", model());
    const scopes = await hashOf(
      "c",
      model((m) => (m.routes["POST /plain"].auth = { scheme: "users", scopes: ["admin"] })),
    );
    const open = await hashOf(
      "d",
      model((m) => (m.routes["GET /items"].auth = "none")),
    );
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.equal(same, base, "same model, same hash (names and ids play no part)");
    assert.notEqual(scopes, base, "required scopes changed");
    assert.notEqual(open, base, "apiKey → none");
    assert.notEqual(open, scopes);
  });

  it("changes with a route's cache settings and an upstream URL", async () => {
    const base = await hashOf("e", model());
    const ttl = await hashOf(
      "f",
      model((m) => (m.routes["GET /items"].cache.ttlSeconds = 31)),
    );
    const up = await hashOf(
      "g",
      model((m) => (m.routes["ANY /proxy/{path+}"].upstream.url = "https://other.example.com")),
    );
    assert.notEqual(ttl, base);
    assert.notEqual(up, base);
  });
});
