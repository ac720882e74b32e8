import type { CloudName } from "../providers/types";

/**
 * Deploy-time forecast (issue #9, goal 6): how many resources the plan declares per route, and
 * which of them are slow to create or replace, with typical durations from the cloud notes
 * (shared/clouds/*.md), so a user knows before `pulumi up` that it will take 40 minutes.
 */

/** Typical duration in minutes: a range, or only an upper bound when the source gives no lower one. */
export interface Minutes {
  min?: number;
  max: number;
}

export interface SlowResource {
  type: string;
  name: string;
  typicalMinutes: Minutes;
  why: string;
  source: string;
}

export interface Forecast {
  resources: number;
  /** Resources divided by the model's routes (0 when there are none). */
  resourcesPerRoute: number;
  slow: SlowResource[];
}

/** The fields of a plan resource the forecast reads. */
interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

interface Rule {
  /** True when this declared resource is slow (e.g. only on some SKUs). */
  applies(r: Declared): boolean;
  typicalMinutes: Minutes;
  why: string;
  source: string;
}

/** APIM SKUs whose service creation is slow (the classic tiers; providers/azure/sku.ts `slowCreate`). */
const CLASSIC_APIM = new Set(["Developer", "Basic", "Standard", "Premium"]);

/** Per cloud, per resource type: when it is slow, how slow, and the source. */
export const SLOW_TYPES: Record<CloudName, Record<string, Rule>> = {
  aws: {
    "aws:apigateway/stage:Stage": {
      applies: (r) => r.inputs.cacheClusterEnabled === true,
      // aws.md "REST extras" 25 gives no number ("takes minutes"); the upper bound is an assumption.
      typicalMinutes: { max: 10 },
      why: "a REST stage with a cache cluster: the cluster takes minutes to provision (and bills hourly)",
      source: "shared/clouds/aws.md, REST extras 25 ('The cache cluster takes minutes to provision'); the 10 min bound is unverified",
    },
  },
  azure: {
    "azure-native:apimanagement:ApiManagementService": {
      applies: (r) => CLASSIC_APIM.has(String((r.inputs.sku as { name?: unknown } | undefined)?.name)),
      typicalMinutes: { min: 30, max: 75 },
      why: "API Management service creation on a classic tier (Developer, Basic, Standard, Premium)",
      source:
        "shared/clouds/azure.md, APIM tier table ('30–40 min' [doc: powershell quickstart]; '45–75 min reported' [community]) and correction 1 ('30–75 min to create')",
    },
  },
  gcp: {
    "gcp:apigateway/apiConfig:ApiConfig": {
      applies: () => true,
      typicalMinutes: { max: 10 },
      why: "immutable: every change of routes, auth or backends replaces the API config, and creating one 'could take up to ten minutes'",
      source:
        "shared/clouds/gcp.md §2.1 ([S16-qs] 'a complex API config could take up to ten minutes'; 'Every spec change replaces the ApiConfig')",
    },
    "gcp:apigateway/gateway:Gateway": {
      applies: () => true,
      typicalMinutes: { max: 20 },
      why: "a new gateway 'takes several minutes' (no figure published; the provider's create timeout is 20 min)",
      source: "shared/clouds/gcp.md §7 ('a gateway takes several minutes') and §2.1 ([S2] provider timeouts 20 min)",
    },
  },
};

/** The forecast for one plan: resource count, per route, and the slow resources in plan order. */
export function forecast(cloud: CloudName, resources: readonly Declared[], routes: number): Forecast {
  const rules = SLOW_TYPES[cloud];
  const slow: SlowResource[] = [];
  for (const r of resources) {
    const rule = rules[r.type];
    if (rule?.applies(r)) {
      slow.push({ type: r.type, name: r.name, typicalMinutes: rule.typicalMinutes, why: rule.why, source: rule.source });
    }
  }
  return {
    resources: resources.length,
    resourcesPerRoute: routes > 0 ? Math.round((resources.length / routes) * 100) / 100 : 0,
    slow,
  };
}

function minutes(m: Minutes): string {
  return m.min !== undefined ? `${m.min}–${m.max} min` : `up to ${m.max} min`;
}

/** The forecast as text lines for the plan (plan/render.ts). */
export function renderForecast(f: Forecast): string {
  const out = ["Deploy-time forecast:", `  ${f.resources} resources, ${f.resourcesPerRoute} per route`];
  if (!f.slow.length) out.push("  no resource known to be slow to create or replace");
  else {
    // The same type on many routes (GCP functions) is summarised once; the longest bound is what the user waits for.
    const byType = new Map<string, SlowResource[]>();
    for (const s of f.slow) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
    for (const [type, list] of byType) {
      const first = list[0] as SlowResource;
      const names = list.length > 3 ? `${list.length} resources` : list.map((s) => s.name).join(", ");
      out.push(`  slow: ${type} (${names}): ${minutes(first.typicalMinutes)}: ${first.why}`);
      out.push(`        source: ${first.source}`);
    }
    const longest = Math.max(...f.slow.map((s) => s.typicalMinutes.max));
    out.push(`  a first \`pulumi up\` (or a change replacing these) may take up to ${longest} min`);
  }
  return `${out.join("\n")}\n`;
}
