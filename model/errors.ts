/** One problem in the user's model or config: where, what is wrong, and how to fix it. */
export interface ModelIssue {
  /** Path in the model, e.g. `routes["GET /orders/{id}"].function`; "" for the model itself. */
  path: string;
  /** What is wrong and how to fix it, as one or two sentences. */
  message: string;
}

/**
 * A user-facing error about the model, a stack's config or a command-line flag. Printed as plain
 * text without a stack trace; tools exit with code 1.
 */
export class ModelError extends Error {
  readonly issues: ModelIssue[];
  constructor(issues: ModelIssue[], heading = "The model has problems") {
    super(formatIssues(issues, heading));
    this.name = "ModelError";
    this.issues = issues;
  }
}

/** A user error that is not about a path in the model (a flag, a stack name, a missing file). */
export function userError(message: string): ModelError {
  return new ModelError([{ path: "", message }], "");
}

export function formatIssue(issue: ModelIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatIssues(issues: ModelIssue[], heading: string): string {
  if (issues.length === 1 && !heading) return formatIssue(issues[0] as ModelIssue);
  const n = issues.length;
  const lines = issues.map((i) => `  - ${formatIssue(i)}`);
  return `${heading} (${n} ${n === 1 ? "problem" : "problems"}):\n${lines.join("\n")}`;
}

/** Formats a path the way users write it: `routes["GET /x"].auth`, `functions.list.memoryMb`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else if (typeof p === "string" && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** The closest candidate to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(word.length >= 4 ? 2 : 1, Math.floor(word.length / 3));
  const a = word.toLowerCase();
  const b = best.toLowerCase();
  let prefix = 0;
  while (prefix < a.length && a[prefix] === b[prefix]) prefix++;
  return bestDistance <= limit || prefix >= 4 ? best : undefined;
}

/** `Did you mean "x"?`, or a list of the valid names when nothing is close. */
export function suggest(word: string, candidates: readonly string[], what: string): string {
  const near = closest(word, candidates);
  if (near) return `Did you mean "${near}"?`;
  if (candidates.length === 0) return `No ${what} is declared.`;
  const shown = candidates.slice(0, 8).map((c) => `"${c}"`);
  return `Declared ${what}s: ${shown.join(", ")}${candidates.length > 8 ? ", …" : ""}.`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length] as number;
}
