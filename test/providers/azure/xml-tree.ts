import * as assert from "node:assert/strict";
import { XMLParser } from "fast-xml-parser";

/** One parsed element: name, attributes, children in document order, text. */
export interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

/** Parses a policy document with fast-xml-parser into a plain tree (throws on malformed XML). */
export function parse(xml: string): Node {
  const toNode = (raw: Record<string, unknown>): Node => {
    const name = Object.keys(raw).find((k) => k !== ":@")!;
    const kids = (raw[name] as Record<string, unknown>[]) ?? [];
    const text = kids
      .filter((k) => "#text" in k)
      .map((k) => String(k["#text"]))
      .join("");
    return { name, attrs: (raw[":@"] as Record<string, string>) ?? {}, children: kids.filter((k) => !("#text" in k)).map(toNode), text };
  };
  const top = parser.parse(xml) as Record<string, unknown>[];
  assert.equal(top.length, 1, "one root element");
  return toNode(top[0]!);
}

export const child = (n: Node, name: string) => n.children.find((c) => c.name === name);
export const names = (n: Node | undefined) => (n ? n.children.map((c) => c.name) : []);
