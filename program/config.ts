import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../providers/types";

/** The stack's `switchyard:*` config, read through Pulumi (CLI or mocks alike). */
export function stackConfig(): StackConfig {
  const cfg = new pulumi.Config("switchyard");
  return {
    stack: pulumi.getStack(),
    get: (key) => cfg.get(key),
    getObject: <T>(key: string) => cfg.getObject<T>(key),
    getSecret: (key) => cfg.getSecret(key),
  };
}
