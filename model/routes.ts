import type { ModelIssue } from "./errors";
import { METHODS, type Method, type Segment } from "./types";

export interface ParsedRouteKey {
  key: string;
  method: Method;
  path: string;
  segments: Segment[];
  params: string[];
  greedy?: string;
}

const STATIC = /^[A-Za-z0-9._~-]+$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/**
 * Parses a route key `"METHOD /path"`: whole-segment `{param}`s and one final greedy `{name+}`.
 * Returns the parsed key, or the problems with it (each a message for the key's path).
 */
export function parseRouteKey(raw: string): ParsedRouteKey | { problems: string[] } {
  const m = /^(\S+) (\/\S*)$/.exec(raw);
  if (!m) return { problems: ['must be "METHOD /path", e.g. "GET /books/{id}"'] };
  const method = (m[1] as string).toUpperCase();
  const path = m[2] as string;
  const problems: string[] = [];
  if (!(METHODS as readonly string[]).includes(method)) {
    problems.push(`unknown method "${m[1]}". Use one of ${METHODS.join(", ")}`);
  } else if (method !== m[1]) {
    problems.push(`write the method in capitals: "${method} ${path}"`);
  }
  const segments: Segment[] = [];
  const params: string[] = [];
  let greedy: string | undefined;
  const parts = path === "/" ? [] : path.slice(1).split("/");
  parts.forEach((part, i) => {
    const p = PARAM.exec(part);
    if (p) {
      const name = p[1] as string;
      if (params.includes(name)) problems.push(`path parameter "{${name}}" appears twice`);
      params.push(name);
      if (p[2]) {
        if (i !== parts.length - 1) problems.push(`greedy "{${name}+}" must be the last path segment`);
        greedy = name;
        segments.push({ kind: "greedy", name });
      } else segments.push({ kind: "param", name });
    } else if (part === "") {
      problems.push(i === parts.length - 1 ? "remove the trailing '/'" : "empty path segment ('//')");
    } else if (part.includes("{") || part.includes("}")) {
      problems.push(`segment "${part}": a parameter must be a whole segment, "{name}" or "{name+}"`);
    } else if (part === "." || part === "..") {
      problems.push(`segment "${part}" is not allowed: clients and gateways normalise it away`);
    } else if (!STATIC.test(part)) {
      problems.push(`segment "${part}" has characters other than letters, digits and . _ ~ -`);
    } else segments.push({ kind: "static", value: part });
  });
  if (problems.length) return { problems };
  return { key: `${method} ${path}`, method: method as Method, path, segments, params, ...(greedy ? { greedy } : {}) };
}

/** The shape of a path with parameter names erased: `/books/{}`; two routes with one shape overlap. */
export function pathShape(segments: Segment[]): string {
  return `/${segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? "{}" : "{+}")).join("/")}`;
}

/** Reports duplicate and conflicting route keys. `at(key)` gives the model path of a route. */
export function routeConflicts(routes: ParsedRouteKey[], at: (key: string) => string): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const seen = new Map<string, ParsedRouteKey>();
  for (const r of routes) {
    const shape = pathShape(r.segments);
    for (const method of r.method === "ANY" ? ["ANY"] : [r.method]) {
      const id = `${method} ${shape}`;
      const prior = seen.get(id);
      if (prior) {
        issues.push({
          path: at(r.key),
          message:
            prior.key === r.key
              ? "is declared twice. Keep one."
              : `conflicts with "${prior.key}": both match the same requests. Merge them or make the paths differ by a fixed segment.`,
        });
      } else seen.set(id, r);
    }
  }
  return issues;
}
