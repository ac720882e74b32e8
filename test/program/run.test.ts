import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");

describe("index.ts (the Pulumi program)", () => {
  const registered: string[] = [];
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(`${args.type}::${args.name}`);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "switchyard",
      "test",
      false,
    );
  });

  async function runWith(config: Record<string, string>): Promise<unknown> {
    pulumi.runtime.setAllConfig(config);
    const program = require(path.join(ROOT, "index.ts")) as () => Promise<unknown>;
    return program();
  }

  it("a model with mistakes fails as one RunError and registers zero resources", async () => {
    registered.length = 0;
    await assert.rejects(
      runWith({ "switchyard:cloud": "aws", "switchyard:api": "test/fixtures/models/bad3/api.ts" }),
      (e: Error) => e instanceof pulumi.RunError && e.message.startsWith("The model has problems (3 problems):"),
    );
    assert.deepEqual(registered, []);
  });

  it("a missing switchyard:cloud is a RunError naming the key and the fix", async () => {
    registered.length = 0;
    await assert.rejects(
      runWith({}),
      (e: Error) =>
        e instanceof pulumi.RunError &&
        /^switchyard:cloud: is not set on stack "test"\. Set it with `pulumi config set switchyard:cloud aws`/.test(e.message),
    );
    assert.deepEqual(registered, []);
  });

  it("an unknown cloud is a RunError listing the valid ones", async () => {
    await assert.rejects(
      runWith({ "switchyard:cloud": "oracle" }),
      (e: Error) =>
        e instanceof pulumi.RunError &&
        e.message === 'switchyard:cloud: "oracle" is not a cloud switchyard deploys to. Use aws, azure or gcp.',
    );
  });

  it("a function secret missing from the stack config is a RunError with the pulumi command to set it", async () => {
    registered.length = 0;
    await assert.rejects(
      runWith({ "switchyard:cloud": "aws" }),
      (e: Error) =>
        e instanceof pulumi.RunError &&
        e.message.includes(
          'functions.createOrder.secrets[0]: secret "PAYMENT_KEY" is not set on stack "test". Run `pulumi config set --secret PAYMENT_KEY <value>`.',
        ),
    );
    assert.deepEqual(registered, []);
  });
});

describe("Pulumi.yaml", () => {
  const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

  it("is the switchyard nodejs project with its stack config in stacks/", () => {
    assert.equal(project.name, "switchyard");
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.stackConfigDir, "stacks");
  });

  it("declares, with a type, every switchyard config key the code reads", () => {
    const read = new Set<string>();
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir)) {
        const abs = path.join(dir, name);
        if (["node_modules", ".build", "test", ".git"].includes(name)) continue;
        if (fs.statSync(abs).isDirectory()) walk(abs);
        else if (name.endsWith(".ts")) {
          const src = fs.readFileSync(abs, "utf8");
          for (const m of src.matchAll(/config\.(?:get|getObject|getNumber|getBoolean|require\w*)(?:<[^>]*>)?\("([^"]+)"/g))
            read.add(m[1] as string);
        }
      }
    };
    walk(ROOT);
    assert.ok(read.has("cloud") && read.has("api") && read.has("allowUnsupported"), [...read].join(", "));
    for (const key of read) {
      assert.ok(project.config?.[key]?.type, `Pulumi.yaml config is missing "${key}" (with a type)`);
    }
  });

  it("has one stack file per cloud, each naming its cloud", () => {
    for (const cloud of ["aws", "azure", "gcp"]) {
      const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${cloud}-dev.yaml`), "utf8"));
      assert.equal(stack.config["switchyard:cloud"], cloud);
    }
  });
});
