import { type CapabilityTable, type CloudName, type CloudProvider, FEATURES, type Feature } from "./types";

/**
 * The provider for a cloud whose mapping is not built yet: it answers every feature "unsupported"
 * and refuses to plan, instead of pretending. Replaced by the real provider in its own folder.
 */
export function unbuiltProvider(cloud: CloudName, issue: number): CloudProvider {
  const note = `the ${cloud} provider is not built yet (issue #${issue})`;
  const table = Object.fromEntries(
    (Object.keys(FEATURES) as Feature[]).map((f) => [f, { support: "unsupported", note }]),
  ) as CapabilityTable;
  return {
    cloud,
    notBuilt: `${note}. Use a stack of another cloud, or the local gateway (npm run dev)`,
    capabilities: () => table,
    limits: () => [{ path: "switchyard:cloud", message: `${note}. Use a stack of another cloud, or the local gateway (npm run dev).` }],
    deploy: () => {
      throw new Error(`${note}; deploy must not be reached`);
    },
  };
}
