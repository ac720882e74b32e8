import { unbuiltProvider } from "../unbuilt";

/** Placeholder until issue #5 lands: every feature reported unsupported, no resources declared. */
export const provider = unbuiltProvider("gcp", 5);
