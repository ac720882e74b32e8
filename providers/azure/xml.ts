/**
 * A minimal XML builder for APIM policy documents: every attribute value and text node is escaped,
 * so model values (origins, header names, issuers) can never break out of the document.
 */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children?: (XmlNode | string)[];
}

export function el(name: string, attrs: XmlNode["attrs"] = {}, children: (XmlNode | string)[] = []): XmlNode {
  return { name, attrs, children };
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Serialises a node with two-space indentation; text-only elements stay on one line. */
export function render(node: XmlNode, indent = ""): string {
  if (!/^[A-Za-z][\w.-]*$/.test(node.name)) throw new Error(`invalid XML element name ${JSON.stringify(node.name)}`);
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
  const children = node.children ?? [];
  if (children.length === 0) return `${indent}<${node.name}${attrs} />`;
  if (children.every((c) => typeof c === "string")) {
    return `${indent}<${node.name}${attrs}>${children.map((c) => escapeXml(c as string)).join("")}</${node.name}>`;
  }
  const inner = children.map((c) => (typeof c === "string" ? `${indent}  ${escapeXml(c)}` : render(c, `${indent}  `))).join("\n");
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}
