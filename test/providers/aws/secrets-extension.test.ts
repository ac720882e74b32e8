import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type Api, ModelError, validate } from "../../../model";
import type { StackConfig } from "../../../providers/types";
import { MINI_FILE, validRaw } from "../../support/models";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read by path
type Json = Record<string, any>;

const config = (values: Record<string, string> = {}): StackConfig => ({
  stack: "ext",
  get: (k) => values[k],
  getObject: () => undefined,
  getSecret: () => pulumi.secret("s3cr3t"),
});

/**
 * The AWS Parameters and Secrets Lambda Extension layer on functions with secrets (mocked program,
 * preview=false): the region's newest from AWS's public parameter, or the version pinned by
 * switchyard:aws.secretsExtensionLayer.
 */
describe("providers/aws/function.ts: the Parameters and Secrets Extension layer (mocked program)", () => {
  const created: { type: string; name: string; inputs: Json }[] = [];
  const calls: { token: string; inputs: Json }[] = [];
  let lambdaFunction: typeof import("../../../providers/aws/function").lambdaFunction;
  let awsSettings: typeof import("../../../providers/aws/config").awsSettings;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-ext-"));
  fs.writeFileSync(path.join(dir, "index.mjs"), "export const handler = () => {};\n");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    const { awsMockCall, awsMockState } = await import("../../../providers/aws/mocks");
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          created.push({ type: a.type, name: a.name, inputs: a.inputs });
          const s = awsMockState(a.type, a.name, a.inputs);
          return { id: (s.id as string) ?? `${a.name}-id`, state: { ...a.inputs, ...s } };
        },
        call: (a) => {
          calls.push({ token: a.token, inputs: a.inputs });
          return awsMockCall(a.token, a.inputs);
        },
      },
      "switchyard",
      "ext",
      false,
    );
    ({ lambdaFunction } = await import("../../../providers/aws/function"));
    ({ awsSettings } = await import("../../../providers/aws/config"));
  });

  const api: Api = validate(structuredClone(validRaw()), MINI_FILE);
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const wait = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

  async function deploy(name: string, secrets: string[], values: Record<string, string> = {}): Promise<Json> {
    const parent = new pulumi.ComponentResource("switchyard:test:Parent", name, {});
    const cfg = config(values);
    const parts = lambdaFunction({
      name,
      api,
      config: cfg,
      settings: awsSettings(cfg),
      spec: { name: "fn", memoryMb: 128, timeoutSeconds: 10, scaling: { min: 0 }, environment: {}, secrets, canary: undefined },
      unit: { name: "fn", dir, hash: "h", bytes: 1 },
      retention: 14,
      parent,
    });
    await wait(parts.fn.arn);
    await settle();
    const fn = created.find((c) => c.type === "aws:lambda/function:Function" && c.name === `${name}-fn`);
    assert.ok(fn, `${name}-fn was declared`);
    return fn.inputs;
  }

  it("reads the region's newest arm64 layer from AWS's public parameter for a function with secrets", async () => {
    const before = calls.length;
    const fn = await deploy("newest", ["PAYMENT_KEY"]);
    const asked = calls.slice(before).filter((c) => c.token === "aws:ssm/getParameter:getParameter");
    assert.deepEqual(
      asked.map((c) => c.inputs.name),
      ["/aws/service/aws-parameters-and-secrets-lambda-extension/arm64/latest"],
    );
    assert.deepEqual(fn.architectures, ["arm64"]);
    assert.equal(fn.layers.length, 1);
    assert.match(fn.layers[0], /^arn:aws:lambda:[a-z0-9-]+:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/);
    assert.match(fn.environment.variables.SECRET_ARN_PAYMENT_KEY, /^arn:aws:secretsmanager:/);
  });

  it("uses the version pinned by switchyard:aws.secretsExtensionLayer, without reading the parameter", async () => {
    const pinned = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:101";
    const before = calls.length;
    const fn = await deploy("pinned", ["PAYMENT_KEY"], { "aws.secretsExtensionLayer": pinned });
    assert.deepEqual(fn.layers, [pinned]);
    assert.equal(calls.slice(before).filter((c) => c.token === "aws:ssm/getParameter:getParameter").length, 0);
  });

  it("gives a function without secrets no layer and reads nothing", async () => {
    const before = calls.length;
    const fn = await deploy("plain", []);
    assert.equal(fn.layers, undefined);
    assert.equal(calls.length, before);
  });

  it("rejects a pinned value that is not a layer version ARN, naming the key and the fix", () => {
    for (const bad of ["AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:101", "arn:aws:lambda:eu-west-1:015030872274:layer:x"]) {
      assert.throws(
        () => awsSettings(config({ "aws.secretsExtensionLayer": bad })),
        (e: unknown) =>
          e instanceof ModelError &&
          /switchyard:aws\.secretsExtensionLayer/.test(e.message) &&
          /is not a Lambda layer version ARN/.test(e.message) &&
          /Leave it empty/.test(e.message),
      );
    }
  });
});
