import { unbuiltProvider } from "../unbuilt";

/** Placeholder until issue #6 lands: every feature reported unsupported, no resources declared. */
export const provider = unbuiltProvider("azure", 6);
