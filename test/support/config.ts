import type { StackConfig } from "../../providers/types";

/** A stack's `switchyard:` config for tests: string values, objects as JSON strings, no secrets. */
export function fakeStack(values: Record<string, string> = {}, stack = "test"): StackConfig {
  return {
    stack,
    get: (k) => values[k],
    getObject: <T>(k: string) => (values[k] === undefined ? undefined : (JSON.parse(values[k]) as T)),
    getSecret: () => undefined,
  };
}
