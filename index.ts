import * as pulumi from "@pulumi/pulumi";
import { ModelError } from "./model";
import { run } from "./program/run";

/**
 * switchyard's Pulumi program. The stack's `switchyard:cloud` picks the provider; the model is
 * `api.ts` (or `switchyard:api`). User mistakes surface as one readable error, not a stack trace.
 */
export = async () => {
  try {
    return await run(__dirname);
  } catch (e) {
    if (e instanceof ModelError) throw new pulumi.RunError(e.message);
    throw e;
  }
};
