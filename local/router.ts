import type { Method, Route } from "../model";

/** Every method a route may serve; `ANY` stands for all of them. */
const ALL_METHODS: readonly string[] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

interface Node {
  statics: Map<string, Node>;
  param?: Node;
  greedy?: Map<string, Route>;
  methods: Map<string, Route>;
}

/** A route match: the route and its decoded path parameters. */
export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Path matched but the method was not: the methods the path does serve (for `Allow`). */
export interface MethodMismatch {
  allow: string[];
}

const node = (): Node => ({ statics: new Map(), methods: new Map() });

/**
 * A precompiled route matcher over the normalised model: a segment trie, where at each level a
 * static segment beats a `{param}`, which beats a greedy `{name+}` (the precedence AWS HTTP API
 * documents for "most specific match", which Azure APIM and GCP API Gateway follow for templates).
 * A greedy segment matches one or more segments and gives `"a/b/c"`. `HEAD` falls back to a `GET`
 * route; `ANY` matches every method.
 */
export class Router {
  private readonly root = node();

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      let n = this.root;
      let greedy = false;
      for (const s of r.segments) {
        if (s.kind === "static") {
          let next = n.statics.get(s.value);
          if (!next) {
            next = node();
            n.statics.set(s.value, next);
          }
          n = next;
        } else if (s.kind === "param") {
          n.param ??= node();
          n = n.param;
        } else {
          n.greedy ??= new Map();
          n.greedy.set(r.method, r);
          greedy = true;
        }
      }
      if (!greedy) n.methods.set(r.method, r);
    }
  }

  /**
   * Matches `path` (the raw path, without the query string). Returns the match, a method mismatch
   * (the path exists, the method does not), or undefined (no such path).
   */
  match(method: string, path: string): Match | MethodMismatch | undefined {
    const values: string[] = [];
    const start = path === "/" ? 2 : 1;
    const found = this.walk(this.root, path, start, method, values, undefined);
    if (found) {
      // Values were collected in path order, which is the order of the route's `params`.
      const params: Record<string, string> = {};
      for (let i = 0; i < values.length; i++) params[found.params[i] as string] = values[i] as string;
      return { route: found, params };
    }
    // Not found: walk again (off the hot path) collecting the methods the path does serve.
    const allow = new Set<string>();
    this.walk(this.root, path, start, method, [], allow);
    return allow.size ? { allow: [...allow].sort() } : undefined;
  }

  private walk(n: Node, path: string, start: number, method: string, values: string[], allow: Set<string> | undefined): Route | undefined {
    if (start > path.length) {
      if (n.methods.size === 0) return undefined;
      const r = pick(n.methods, method);
      if (!r && allow) addAllowed(allow, n.methods);
      return r;
    }
    let end = path.indexOf("/", start);
    if (end === -1) end = path.length;
    const seg = path.slice(start, end);
    if (seg === "") return undefined;
    const st = n.statics.get(seg);
    if (st) {
      const r = this.walk(st, path, end + 1, method, values, allow);
      if (r) return r;
    }
    if (n.param) {
      values.push(decode(seg));
      const r = this.walk(n.param, path, end + 1, method, values, allow);
      if (r) return r;
      values.pop();
    }
    if (n.greedy) {
      const rest = path.slice(start);
      if (rest.endsWith("/") || rest.includes("//")) return undefined;
      const r = pick(n.greedy, method);
      if (!r) {
        if (allow) addAllowed(allow, n.greedy);
        return undefined;
      }
      values.push(rest.split("/").map(decode).join("/"));
      return r;
    }
    return undefined;
  }
}

function addAllowed(allow: Set<string>, methods: Map<string, Route>): void {
  for (const m of methods.keys()) {
    if (m === "ANY") for (const a of ALL_METHODS) allow.add(a);
    else {
      allow.add(m);
      if (m === "GET") allow.add("HEAD");
    }
  }
}

function pick(methods: Map<string, Route>, method: string): Route | undefined {
  return methods.get(method) ?? (method === "HEAD" ? methods.get("GET") : undefined) ?? methods.get("ANY");
}

function decode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function isMatch(m: Match | MethodMismatch | undefined): m is Match {
  return m !== undefined && "route" in m;
}

export type { Method };
