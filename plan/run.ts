import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { hashDir } from "../bundle";
import { type PlanCost, planCost } from "../cost";
import { ModelError, userError } from "../model";
import { providers } from "../providers/index";
import { type CapabilityRow, CLOUDS, type CloudName, type CloudProvider } from "../providers/types";
import { type Forecast, forecast } from "./forecast";
import { loadStack, PROJECT, SECRET_PLACEHOLDER } from "./stack";
import { type ApiSummary, apiSummary } from "./summary";

/** One declared resource, as the plan JSON lists it (DESIGN.md §9). */
export interface PlanResource {
  type: string;
  name: string;
  /** Logical name of the parent resource; null for resources directly under the stack. */
  parent: string | null;
  inputs: Record<string, unknown>;
  /** Only the options that are set: dependsOn, deleteBeforeReplace, replaceOnChanges, ignoreChanges, customTimeouts, protect, retainOnDelete. */
  options: Record<string, unknown>;
}

export interface PlanDocument {
  stack: string;
  cloud: CloudName;
  capabilities: CapabilityRow[];
  /** Unsupported features accepted on this stack by `switchyard:allowUnsupported`. */
  warnings: string[];
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  /** The monthly cost estimate, when the stack has a traffic profile (`switchyard:traffic.*`). */
  cost?: PlanCost;
  /** The normalised model, summarised for API-level diffs (plan/summary.ts). Additive field. */
  api?: ApiSummary;
  /** Resources per route and the slow or replacing resources, with typical durations (plan/forecast.ts). Additive field. */
  forecast?: Forecast;
}

const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  resource: "5cf8f73096256a8f31e491e813e4eb8e",
  outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
};
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface Recorded {
  urn: string;
  type: string;
  name: string;
  parentUrn: string;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
}

/**
 * Runs the Pulumi program for `stack` under Pulumi's mocks, offline, and returns what it would
 * declare. One plan per process: Pulumi's runtime state is global.
 */
export async function runPlan(opts: { projectDir: string; stack: string; apiFile?: string; buildDir?: string }): Promise<PlanDocument> {
  const projectDir = path.resolve(opts.projectDir);
  const stack = loadStack(projectDir, opts.stack);
  if (opts.apiFile) stack.config[`${PROJECT}:api`] = path.relative(projectDir, path.resolve(opts.apiFile)) || opts.apiFile;
  const cloud = stack.config[`${PROJECT}:cloud`];
  if (!cloud || !(CLOUDS as readonly string[]).includes(cloud)) {
    throw userError(
      `stack "${opts.stack}": switchyard:cloud must be aws, azure or gcp (got ${cloud === undefined ? "nothing" : `"${cloud}"`}).`,
    );
  }
  const provider = await providers[cloud as CloudName]();
  const recorded: Recorded[] = [];
  const monitor = new RecordingMonitor(mocksFor(provider, stack.config), projectDir, recorded);
  settings.setMockOptions(monitor, PROJECT, opts.stack, false);
  // Unlike pulumi.runtime.setMocks, setMockOptions leaves secret support off: secret inputs would
  // then reach the monitor unwrapped and the plan could not mask them (runtime/mocks.js setMocks).
  const store = (
    require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsSecrets: boolean; supportsAliasSpecs: boolean } }
  ).getStore();
  store.supportsSecrets = true;
  // The engine takes aliases as specs (so does setMocks); without this flag the SDK expands every
  // alias into URN outputs on the client (runtime/resource.js `allAliases`), and azure-native gives
  // each resource one alias per past API version (web/webApp.js: 24): most of an Azure plan's time.
  store.supportsAliasSpecs = true;
  pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);

  // The program module: its default export is the async Pulumi program.
  const program = require(path.join(projectDir, "index.ts")) as () => Promise<Record<string, unknown>>;
  const { lastRun, runOptions } = require(path.join(projectDir, "program", "run.ts")) as typeof import("../program/run");
  runOptions.logWarnings = false;
  runOptions.buildDir = opts.buildDir;
  const { stackConfig } = require(path.join(projectDir, "program", "config.ts")) as typeof import("../program/config");
  let outputs: Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  const restoreStacks = cheapStacks();
  const restoreAliases = skipVersionAliases();
  try {
    try {
      outputs = await program();
    } catch (e) {
      if (e instanceof pulumi.RunError || e instanceof ModelError) throw userError(e.message);
      throw e;
    }
    for (const [k, v] of Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
      resolved[k] = await resolveOutput(v);
    }
    // Not in settings.d.ts, but exported by settings.js: waits until every registration has finished.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  } finally {
    restoreStacks();
    restoreAliases();
  }

  const byUrn = new Map(recorded.map((r) => [r.urn, r]));
  const resources = recorded
    .map((r) => ({
      type: r.type,
      name: r.name,
      parent: byUrn.get(r.parentUrn)?.name ?? null,
      inputs: r.inputs,
      options: Object.fromEntries(
        Object.entries(r.options).map(([k, v]) => [k, k === "dependsOn" ? (v as string[]).map((u) => byUrn.get(u)?.name ?? u).sort() : v]),
      ),
    }))
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.type, b.type));
  const cost = lastRun.api ? planCost(lastRun.api, stackConfig(), cloud as CloudName) : undefined;
  return {
    stack: opts.stack,
    cloud: cloud as CloudName,
    capabilities: lastRun.capabilities ?? [],
    warnings: lastRun.accepted ?? [],
    resources,
    outputs: sanitize(resolved, projectDir) as Record<string, unknown>,
    ...(cost ? { cost } : {}),
    ...(lastRun.api ? { api: apiSummary(lastRun.api) } : {}),
    forecast: forecast(cloud as CloudName, resources, lastRun.api?.routes.length ?? 0),
  };
}

/**
 * @pulumi/pulumi formats a stack trace for every promise it makes (runtime/debuggable.js, for its
 * leak report) and a full one for every resource (resource.js `Resource.callsites`, which sets
 * `Error.stackTraceLimit` to Infinity), and under ts-node each is source-mapped by
 * source-map-support's `Error.prepareStackTrace`: most of a plan's time (profiled with --cpu-prof,
 * bench/plan-scaling.ts). The offline plan uses none of it: the leak report only prints at process
 * exit, and the resource call sites only go to the engine as source positions, which a plan does not
 * record. So while it runs, errors capture no frames and are formatted without source maps,
 * resources carry no call sites (`Resource.stackTrace`), and `debuggablePromise` hands the promise
 * back as is, without the leak bookkeeping (a tenth of a fuzzed plan's time, bench/fuzz-plan.ts).
 * The plan document is byte-identical either way (test/plan/in-process.test.ts).
 * SWITCHYARD_PLAN_STACKS=1 keeps all of it, with full mapped stacks, for debugging. Returns the
 * restore step.
 */
function cheapStacks(): () => void {
  if (process.env.SWITCHYARD_PLAN_STACKS) return () => {};
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) =>
    [String(err), ...frames.slice(0, 10).map((f) => `    at ${f}`)].join("\n");
  const resource = pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] };
  const stackTrace = resource.stackTrace;
  resource.stackTrace = () => [];
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
  const debuggablePromise = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (p) => p;
  return () => {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
    resource.stackTrace = stackTrace;
    debuggable.debuggablePromise = debuggablePromise;
  };
}

/**
 * azure-native gives every resource one type alias per past API version of its type
 * (apimanagement/apiOperation.js: 25 `{ type: "azure-native:apimanagement/v…:ApiOperation" }`,
 * merged with `pulumi.mergeOptions`), and the SDK turns each one into URN outputs in the resource's
 * constructor whatever the monitor supports (resource.js `collapseAliasToUrn`): a third of the
 * memory an Azure plan allocates (sampled with the inspector's heap profiler, 100 routes). Aliases
 * only tell the engine which existing state a resource takes over; a plan records neither them nor
 * anything derived from them, so while it runs, type-only aliases of versioned provider types are
 * dropped. The plan document is byte-identical with and without (test/plan/in-process.test.ts).
 * Set SWITCHYARD_PLAN_ALIASES=1 to keep them. Returns the restore step.
 */
function skipVersionAliases(): () => void {
  if (process.env.SWITCHYARD_PLAN_ALIASES) return () => {};
  const sdk = pulumi as unknown as { mergeOptions: typeof pulumi.mergeOptions };
  const merge = sdk.mergeOptions;
  const versioned = /^[a-z0-9-]+:[A-Za-z0-9]+\/v\d{8}[a-z]*:[A-Za-z0-9]+$/;
  const isVersionAlias = (a: unknown) =>
    typeof a === "object" && a !== null && Object.keys(a).length === 1 && versioned.test(String((a as { type?: unknown }).type));
  sdk.mergeOptions = ((a: pulumi.ResourceOptions | undefined, b: pulumi.ResourceOptions | undefined) => {
    const aliases = b?.aliases;
    if (Array.isArray(aliases) && aliases.length && aliases.every(isVersionAlias)) {
      const { aliases: _dropped, ...rest } = b as pulumi.ResourceOptions;
      return merge(a, rest);
    }
    return merge(a, b);
  }) as typeof pulumi.mergeOptions;
  return () => {
    sdk.mergeOptions = merge;
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function resolveOutput(v: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(v)) return v;
  const secret = await pulumi.isSecret(v);
  const value = await new Promise((resolve) => (v as pulumi.Output<unknown>).apply(resolve));
  return secret ? SECRET_PLACEHOLDER : value;
}

function mocksFor(provider: CloudProvider, config: Record<string, string>): pulumi.runtime.Mocks {
  return {
    newResource: (args) => {
      const extra = provider.mockState?.(args.type, args.name, args.inputs) ?? genericState(args.type, args.name, config);
      return { id: (extra.id as string | undefined) ?? `${args.name}-id`, state: { ...args.inputs, ...extra } };
    },
    call: (args) => provider.mockCall?.(args.token, args.inputs) ?? {},
  };
}

function genericState(type: string, name: string, config: Record<string, string>): Record<string, unknown> {
  if (type.startsWith("aws:")) {
    const service = type.split(":")[1]?.split("/")[0] ?? "service";
    return { arn: `arn:aws:${service}:${config["aws:region"] ?? "us-east-1"}:123456789012:${name}` };
  }
  return {};
}

/** Records each registration's parent, explicit dependencies and options, then lets the mocks run. */
class RecordingMonitor extends MockMonitor {
  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly projectDir: string,
    private readonly recorded: Recorded[],
  ) {
    super(mocks);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the monitor's request and callback are untyped protobuf objects
  override async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    const propertyDeps = new Set<string>();
    // biome-ignore lint/suspicious/noExplicitAny: protobuf map
    req.getPropertydependenciesMap().forEach((deps: any) => {
      for (const u of deps.getUrnsList()) propertyDeps.add(u);
    });
    const explicit = (req.getDependenciesList() as string[]).filter((u) => !propertyDeps.has(u));
    const options: Record<string, unknown> = {};
    if (explicit.length) options.dependsOn = explicit;
    if (req.getDeletebeforereplace()) options.deleteBeforeReplace = true;
    if (req.getReplaceonchangesList().length) options.replaceOnChanges = [...req.getReplaceonchangesList()].sort();
    if (req.getIgnorechangesList().length) options.ignoreChanges = [...req.getIgnorechangesList()].sort();
    const t = req.getCustomtimeouts();
    if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
      options.customTimeouts = Object.fromEntries(
        [
          ["create", t.getCreate()],
          ["update", t.getUpdate()],
          ["delete", t.getDelete()],
        ].filter(([, v]) => v),
      );
    }
    if (req.getProtect()) options.protect = true;
    if (req.getRetainondelete()) options.retainOnDelete = true;
    const raw = req.getObject()?.toJavaScript() ?? {};
    const entry: Recorded = {
      urn: "",
      type: req.getType(),
      name: req.getName(),
      parentUrn: req.getParent(),
      inputs: sanitize(raw, this.projectDir) as Record<string, unknown>,
      options,
    };
    return super.registerResource(req, (err, resp) => {
      if (!err && resp) {
        entry.urn = resp.getUrn();
        this.recorded.push(entry);
      }
      callback(err, resp);
    });
  }
}

/**
 * Makes a serialized property value printable and deterministic: secrets masked, assets and
 * archives as project-relative paths with a content hash, resource references by URN name,
 * absolute project paths made relative, object keys sorted.
 */
export function sanitize(v: unknown, projectDir: string): unknown {
  if (v === UNKNOWN) return "[unknown]";
  if (typeof v === "string") return v.split(projectDir + path.sep).join("");
  if (Array.isArray(v)) return v.map((x) => sanitize(x, projectDir));
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const sig = o[SIG.key];
  if (sig === SIG.secret) return SECRET_PLACEHOLDER;
  if (sig === SIG.outputValue) {
    if (o.secret) return SECRET_PLACEHOLDER;
    return "value" in o ? sanitize(o.value, projectDir) : "[unknown]";
  }
  if (sig === SIG.resource)
    return {
      resource: String(o.urn ?? "")
        .split("::")
        .pop(),
    };
  if (sig === SIG.asset || sig === SIG.archive) {
    const kind = sig === SIG.asset ? "asset" : "archive";
    if (typeof o.path === "string") {
      const abs = path.resolve(projectDir, o.path);
      const rel = path.relative(projectDir, abs).split(path.sep).join("/");
      const sha256 = !fs.existsSync(abs)
        ? undefined
        : fs.statSync(abs).isDirectory()
          ? hashDir(abs).hash
          : createHash("sha256").update(fs.readFileSync(abs)).digest("hex");
      return { [kind]: rel, ...(sha256 ? { sha256 } : {}) };
    }
    if (typeof o.text === "string") return { [kind]: "text", text: o.text };
    if (o.assets && typeof o.assets === "object") {
      return { [kind]: "assets", assets: sanitize(o.assets, projectDir) };
    }
    return { [kind]: typeof o.uri === "string" ? o.uri : "?" };
  }
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sanitize(o[k], projectDir)]),
  );
}
