import type { LoadedStack } from "../plan/stack";
import type { StackConfig } from "../providers/types";

/** A StackConfig over a stack file read by `loadStack` (keys without the `switchyard:` prefix). */
export function stackConfigOf(stack: LoadedStack): StackConfig {
  return configOf(stack.name, stack.config);
}

/** A StackConfig over plain values: `{ "aws.apiFlavour": "rest" }` or fully-qualified keys. */
export function configOf(name: string, values: Record<string, string>): StackConfig {
  const read = (key: string): string | undefined => values[`switchyard:${key}`] ?? values[key];
  return {
    stack: name,
    get: read,
    getObject: <T>(key: string) => {
      const v = read(key);
      return v === undefined ? undefined : (JSON.parse(v) as T);
    },
    // The estimator never reads secrets.
    getSecret: () => undefined,
  };
}
