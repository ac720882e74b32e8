import { configOf } from "../../cost/config";
import { type ProfileInput, parseProfile } from "../../cost/index";
import type { CloudEstimate, TrafficProfile } from "../../cost/types";
import { type Api, validate } from "../../model";
import type { StackConfig } from "../../providers/types";
import { MINI_FILE } from "../support/models";

type Raw = Record<string, unknown>;

/**
 * A one-function model around the mini fixture's handler: `GET /hello` (public, no cache), memory
 * `memoryMb`, access logs off unless `access`. `extra` is merged into the raw model.
 */
export function oneFunction(memoryMb: number, extra: Raw = {}, fn: Raw = {}): Api {
  return validate(
    {
      name: "shop",
      logging: { access: false, retentionDays: 14 },
      functions: { hello: { handler: "functions/hello.ts#hello", memoryMb, ...fn } },
      routes: { "GET /hello": { function: "hello", auth: "none" } },
      ...extra,
    },
    MINI_FILE,
  );
}

/** A profile with the logs and secrets knobs zeroed unless given, so a test sees one effect. */
export function profile(input: ProfileInput): TrafficProfile {
  return parseProfile({ functionLogBytes: 0, accessLogBytes: 0, ...input });
}

export function config(values: Record<string, string> = {}): StackConfig {
  return configOf("test", values);
}

/** The dollars of the line named `item` (fails the test if it is missing). */
export function line(e: CloudEstimate, item: string): number {
  const l = e.lines.find((x) => x.item === item);
  if (!l) throw new Error(`no line "${item}" in ${e.cloud}: ${e.lines.map((x) => x.item).join(", ")}`);
  return l.usd;
}
