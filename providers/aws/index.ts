import { unbuiltProvider } from "../unbuilt";

/** Placeholder until issue #3 lands: every feature reported unsupported, no resources declared. */
export const provider = unbuiltProvider("aws", 3);
