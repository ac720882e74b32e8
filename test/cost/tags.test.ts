import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanResource } from "../../plan/run";
import { planJson } from "../support/plan";

const ROOT = path.resolve(__dirname, "..", "..");

const declarations = new Map<string, Map<string, string>>();

/** The SDK declaration file of a resource type: the `.d.ts` beside the `.js` whose `__pulumiType` is it. */
function declarationOf(type: string): string {
  const [pkg, modPath] = type.split(":") as [string, string];
  const dir = path.join(ROOT, "node_modules", "@pulumi", pkg, modPath.split("/")[0] as string);
  let index = declarations.get(dir);
  if (!index) {
    index = new Map();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".js"))) {
      const m = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(path.join(dir, f), "utf8"));
      if (m) index.set(m[1] as string, path.join(dir, f.replace(/\.js$/, ".d.ts")));
    }
    declarations.set(dir, index);
  }
  const file = index.get(type);
  assert.ok(file, `no SDK declaration for ${type} in ${dir}`);
  return file;
}

/**
 * Whether a resource type takes cost-allocation tags/labels (a key/value map), read from the provider
 * SDK's own `<Resource>Args` declaration in node_modules. Returns the property name, or undefined.
 * (APIM's `tags` on named values are a list of filter words, not resource tags: a list does not count.)
 */
function tagProperty(type: string): "tags" | "labels" | "userLabels" | undefined {
  const [pkg, , resource] = type.split(":") as [string, string, string];
  if (pkg === "switchyard" || pkg === "pulumi") return undefined;
  const src = fs.readFileSync(declarationOf(type), "utf8");
  const args = new RegExp(`export interface ${resource}Args \\{([\\s\\S]*?)\\n\\}`).exec(src)?.[1] ?? "";
  // On GCP, cost allocation uses labels; a GCP `tags` input is Resource Manager tags (IAM conditions).
  // A notification channel's `labels` are its settings (email_address, url); its labels are `userLabels`.
  if (pkg === "gcp" && /^\s+userLabels\?: pulumi\.Input<\{/m.test(args)) return "userLabels";
  if (pkg === "gcp") return /^\s+labels\?: pulumi\.Input<\{/m.test(args) ? "labels" : undefined;
  return /^\s+tags\?: pulumi\.Input<\{/m.test(args) ? "tags" : undefined;
}

describe("cost-allocation tags (issue #8): every taggable resource in every cloud's plan", () => {
  for (const stack of ["aws-dev", "azure-dev", "gcp-dev"]) {
    it(`${stack}: every resource whose SDK args take tags/labels carries app, stack and the model's tags`, async () => {
      const plan = await planJson(stack);
      const untagged: string[] = [];
      let taggable = 0;
      for (const r of plan.resources as PlanResource[]) {
        const prop = tagProperty(r.type);
        if (!prop) continue;
        taggable++;
        const tags = r.inputs[prop] as Record<string, string> | undefined;
        if (tags?.app !== "bookshop" || tags?.stack !== stack || tags?.team !== "books")
          untagged.push(`${r.type} ${r.name}: ${JSON.stringify(tags)}`);
      }
      assert.ok(taggable >= 5, `only ${taggable} taggable resources found: the SDK lookup is broken`);
      assert.deepEqual(untagged, []);
    });
  }

  it("reads tag support from the SDKs correctly (a resource without tags, ones with tags and labels)", () => {
    assert.equal(tagProperty("aws:lambda/function:Function"), "tags");
    assert.equal(tagProperty("aws:lambda/permission:Permission"), undefined);
    assert.equal(tagProperty("gcp:cloudfunctionsv2/function:Function"), "labels");
    assert.equal(tagProperty("azure-native:web:WebApp"), "tags");
    assert.equal(tagProperty("azure-native:apimanagement:NamedValue"), undefined);
    assert.equal(tagProperty("gcp:projects/iAMMember:IAMMember"), undefined);
    assert.equal(tagProperty("gcp:secretmanager/secret:Secret"), "labels");
    assert.equal(tagProperty("gcp:monitoring/notificationChannel:NotificationChannel"), "userLabels");
  });
});
