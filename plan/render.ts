import YAML from "yaml";
import { renderForecast } from "./forecast";
import type { PlanDocument, PlanResource } from "./run";

/** The plan as a readable tree: capabilities, then resources under their parents with inputs. */
export function renderText(plan: PlanDocument): string {
  const out: string[] = [];
  out.push(`switchyard plan: stack ${plan.stack} (${plan.cloud}), ${plan.resources.length} resources`);
  out.push("");
  out.push("Capabilities:");
  const width = Math.max(...plan.capabilities.map((c) => c.feature.length), 0);
  for (const c of plan.capabilities) out.push(`  ${c.feature.padEnd(width)}  ${c.support.padEnd(11)} ${c.note}`);
  for (const w of plan.warnings) out.push(`  warning: ${w}`);
  out.push("");
  out.push("Resources:");
  const children = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const names = new Set(plan.resources.map((r) => r.name));
  const roots = plan.resources.filter((r) => r.parent === null || !names.has(r.parent));
  const walk = (r: PlanResource, depth: number) => {
    const pad = "  ".repeat(depth + 1);
    out.push(`${pad}+ ${r.type}  ${r.name}`);
    const body = YAML.stringify(
      { ...(Object.keys(r.inputs).length ? { inputs: r.inputs } : {}), ...(Object.keys(r.options).length ? { options: r.options } : {}) },
      { lineWidth: 0 },
    ).trimEnd();
    if (body !== "{}") for (const line of body.split("\n")) out.push(`${pad}    ${line}`);
    for (const c of children.get(r.name) ?? []) if (c !== r) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  out.push("");
  out.push("Outputs:");
  out.push(
    YAML.stringify(plan.outputs, { lineWidth: 0 })
      .trimEnd()
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
  return `${out.join("\n")}\n${plan.forecast ? `\n${renderForecast(plan.forecast)}` : ""}`;
}
