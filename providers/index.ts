import type { CloudName, CloudProvider } from "./types";

/** Lazy loaders: a stack only ever loads its own cloud's SDK. */
export const providers: Record<CloudName, () => Promise<CloudProvider>> = {
  aws: async () => (await import("./aws")).provider,
  azure: async () => (await import("./azure")).provider,
  gcp: async () => (await import("./gcp")).provider,
};

export * from "./types";
