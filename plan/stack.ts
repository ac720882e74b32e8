import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { ModelError, type ModelIssue, userError } from "../model";

export const PROJECT = "switchyard";

/** What the plan prints for any Pulumi secret. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * The value the offline plan gives a `secure:` config key (it never decrypts them): distinct from
 * the printed mask, so a secret read as plain config (and so left unmasked) shows up in the plan
 * as this text, where the security audit finds it.
 */
export const SECRET_CONFIG_SENTINEL = "switchyard-offline-secret-value";

export interface LoadedStack {
  name: string;
  /** Fully-qualified keys (`switchyard:cloud`, `aws:region`) → string values, as the engine passes them. */
  config: Record<string, string>;
  secretKeys: string[];
}

interface ConfigDecl {
  type?: "string" | "integer" | "boolean" | "array";
  default?: unknown;
}

/** Names of the stacks in `<projectDir>/stacks/`. */
export function listStacks(projectDir: string): string[] {
  const dir = path.join(projectDir, stackConfigDir(projectDir));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

/** Parsed YAML by file content: a process plans many times (tests, fuzzing) from the same few files. */
const parsed = new Map<string, unknown>();

function readYaml(file: string): unknown {
  try {
    const text = fs.readFileSync(file, "utf8");
    if (!parsed.has(text)) {
      if (parsed.size >= 64) parsed.clear();
      parsed.set(text, YAML.parse(text));
    }
    // A copy, so no caller can change what the next read returns.
    return structuredClone(parsed.get(text));
  } catch (e) {
    throw userError(`${path.basename(file)} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
}

function project(projectDir: string): { stackConfigDir?: string; config?: Record<string, ConfigDecl> } {
  return (readYaml(path.join(projectDir, "Pulumi.yaml")) ?? {}) as { stackConfigDir?: string; config?: Record<string, ConfigDecl> };
}

function stackConfigDir(projectDir: string): string {
  return project(projectDir).stackConfigDir ?? ".";
}

/**
 * Reads `stacks/Pulumi.<stack>.yaml` with the project's declared defaults and types applied the way
 * the Pulumi CLI applies them. Secure values become a masked secret placeholder.
 */
export function loadStack(projectDir: string, stack: string): LoadedStack {
  const proj = project(projectDir);
  const file = path.join(projectDir, proj.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) {
    const known = listStacks(projectDir);
    throw userError(
      `stack "${stack}" not found: there is no ${path.relative(projectDir, file)}. Stacks: ${known.join(", ") || "none"}. Pick one with --stack <name>.`,
    );
  }
  const doc = (readYaml(file) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${PROJECT}:${rawKey}`;
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      config[key] = `${SECRET_CONFIG_SENTINEL}:${key}`;
      secretKeys.push(key);
    } else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const issues: ModelIssue[] = [];
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(proj.config ?? {})) {
    const key = `${PROJECT}:${name}`;
    if (config[key] === undefined) {
      if (decl.default !== undefined) {
        config[key] = typeof decl.default === "string" ? decl.default : JSON.stringify(decl.default);
      } else missing.push(name);
      continue;
    }
    if (secretKeys.includes(key)) continue;
    const v = config[key] as string;
    const ok =
      decl.type === "integer"
        ? /^-?\d+$/.test(v)
        : decl.type === "boolean"
          ? v === "true" || v === "false"
          : decl.type === "array"
            ? Array.isArray(safeJson(v))
            : true;
    if (!ok) {
      issues.push({ path: key, message: `Stack '${stack}' with configuration key '${name}' must be of type '${decl.type}'.` });
    }
  }
  if (missing.length) {
    issues.push({
      path: "",
      message: `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(" and ")}. Set ${missing.length > 1 ? "them" : "it"} in ${path.relative(projectDir, file)}, e.g. \`${PROJECT}:${missing[0]}: ...\`.`,
    });
  }
  if (issues.length) throw new ModelError(issues, `Stack "${stack}" config is invalid`);
  return { name: stack, config, secretKeys };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}
