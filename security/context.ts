import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { AuditContext } from "./invariants";

/**
 * The audit context of a stack in a project directory: the stack file's raw `secure:` values (they
 * must never appear in a plan) and a reader for built bundle files (plan archive paths are
 * project-relative).
 */
export function auditContext(projectDir: string, stack: string): AuditContext {
  const secureValues: string[] = [];
  const project = (YAML.parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) ?? {}) as { stackConfigDir?: string };
  const file = path.join(projectDir, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) {
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const v of Object.values(doc.config ?? {})) {
      if (v && typeof v === "object" && typeof (v as { secure?: unknown }).secure === "string")
        secureValues.push((v as { secure: string }).secure);
    }
  }
  return {
    secureValues,
    readBuildFile: (rel) => {
      const abs = path.resolve(projectDir, rel);
      if (!abs.startsWith(path.resolve(projectDir) + path.sep) || !fs.existsSync(abs)) return undefined;
      return fs.readFileSync(abs, "utf8");
    },
  };
}
