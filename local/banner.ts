import type { Api } from "../model";

/** The startup banner: every route with its target and auth, then the local API keys. */
export function banner(api: Api, keys: Record<string, string>, url: string, keysFromEnv: boolean): string {
  const lines: string[] = [`switchyard local gateway: ${api.name} (${api.routes.length} routes)`];
  const width = Math.max(...api.routes.map((r) => r.key.length), 0);
  for (const r of api.routes) {
    const auth =
      r.auth.kind === "none"
        ? "open"
        : r.auth.kind === "apiKey"
          ? `api key (${r.auth.scheme})`
          : `jwt (${r.auth.scheme}${r.auth.scopes.length ? `, scopes: ${r.auth.scopes.join(" ")}` : ""})`;
    const target = r.target.kind === "function" ? `→ ${r.target.function}` : `→ ${r.target.targets.map((t) => t.url).join(", ")}`;
    const extras = [
      r.rateLimit ? `rate ${r.rateLimit.ratePerSecond}/s burst ${r.rateLimit.burst}` : "",
      r.cache
        ? r.target.kind === "upstream"
          ? "cache: not applied to upstream routes locally (unsupported)"
          : `cache ${r.cache.ttlSeconds}s`
        : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${r.key.padEnd(width)}  ${target}  [${auth}]${extras ? ` ${extras}` : ""}`);
  }
  for (const f of Object.values(api.functions)) {
    if (!f.canary) continue;
    const w = f.canary.weight;
    lines.push(
      `canary ${f.name}: ${w}% to new code. One version loaded, it takes all traffic (x-switchyard-version: stable); ` +
        `when ${f.relFile} changes, the code loaded now stays stable (${100 - w}%) and the new code is the canary (${w}%)`,
    );
  }
  const names = Object.keys(keys);
  if (names.length) {
    lines.push(
      keysFromEnv ? "API keys (from SWITCHYARD_API_KEYS; send as x-api-key):" : "API keys (generated for this run; send as x-api-key):",
    );
    for (const n of names) lines.push(`  ${n}=${keys[n]}`);
  }
  const open = api.routes.find((r) => r.auth.kind === "none" && r.method !== "POST");
  if (open) lines.push(`try: curl ${url}${open.path.replace(/\{[^}]+\}/g, "x")}`);
  return lines.join("\n");
}
