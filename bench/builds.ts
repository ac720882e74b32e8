/**
 * Bundles the benches compare: the example API through the real build (bundle/index.ts: AWS ships
 * runtime/aws-lambda.ts + runtime/light-inject.ts), the same functions without the inject, and
 * the anchors: a native handler (no Request/Response), a Hono handler, Express + serverless-express.
 * All with the esbuild settings bundle/index.ts uses (minified, tree-shaken, node22).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { NODE_TARGET } from "../bundle";
import { importHandler } from "../bundle/targets/shared";
import { type Api, loadApi } from "../model";
import { ROOT } from "./lib";

export function exampleApi(): Api {
  return loadApi(path.join(ROOT, "api.ts"));
}

const COMMON: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  treeShaking: true,
  platform: "node",
  target: NODE_TARGET,
  legalComments: "none",
  charset: "utf8",
  logLevel: "silent",
};

async function bundleSource(source: string, outfile: string, extra: esbuild.BuildOptions = {}): Promise<string> {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    ...COMMON,
    stdin: { contents: source, resolveDir: ROOT, loader: "ts", sourcefile: "bench-entry.ts" },
    outfile,
    format: "esm",
    absWorkingDir: ROOT,
    ...extra,
  });
  return outfile;
}

/**
 * The example's AWS functions through the adapter (runtime/aws-lambda.ts, with the secrets
 * loader for functions that declare secrets, as bundle/targets/aws.ts does); with `inject`, handler
 * code's `Response` is `LightResponse`. Returns `<out>/<function>/index.mjs` per function.
 */
export async function buildLazyAws(api: Api, out: string, inject: boolean): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  await Promise.all(
    Object.values(api.functions).map(async (f) => {
      const source = [
        importHandler(f, "userHandler"),
        `import { lambdaHandler, loadSecrets } from ${JSON.stringify(path.join(ROOT, "runtime", "aws-lambda"))};`,
        `export const handler = lambdaHandler(userHandler, ${JSON.stringify(f.name)}${f.secrets.length ? ", loadSecrets" : ""});`,
      ].join("\n");
      files[f.name] = await bundleSource(source, path.join(out, f.name, "index.mjs"), {
        ...(inject ? { inject: [path.join(ROOT, "runtime", "light-inject.ts")] } : {}),
      });
    }),
  );
  return files;
}

/** A handler that builds no Request/Response: the floor. With `touch`, it also makes one Response (the fetch tax alone). */
export function buildNative(out: string, touch = false): Promise<string> {
  return bundleSource(
    [
      "const BOOKS = [{ id: '1', title: 'The Pragmatic Programmer', price: 42 }];",
      "export const handler = async (event) => {",
      touch ? "  new Response('');" : "",
      "  const book = BOOKS.find((b) => b.id === event.pathParameters?.id);",
      "  return { statusCode: book ? 200 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify(book ?? { error: 'not found' }), isBase64Encoded: false };",
      "};",
    ].join("\n"),
    path.join(out, "index.mjs"),
  );
}

/** The same function on Hono (`hono/aws-lambda`). */
export function buildHono(out: string): Promise<string> {
  return bundleSource(
    [
      "import { Hono } from 'hono';",
      "import { handle } from 'hono/aws-lambda';",
      "const BOOKS = [{ id: '1', title: 'The Pragmatic Programmer', price: 42 }];",
      "const app = new Hono();",
      "app.get('/books/:id', (c) => { const b = BOOKS.find((x) => x.id === c.req.param('id')); return b ? c.json(b) : c.json({ error: 'not found' }, 404); });",
      "export const handler = handle(app);",
    ].join("\n"),
    path.join(out, "index.mjs"),
  );
}

const EXPRESS_SOURCE = [
  "const express = require('express');",
  "const serverlessExpress = require('@codegenie/serverless-express');",
  "const BOOKS = [{ id: '1', title: 'The Pragmatic Programmer', price: 42 }];",
  "const app = express();",
  "app.get('/books/:id', (req, res) => { const b = BOOKS.find((x) => x.id === req.params.id); b ? res.json(b) : res.status(404).json({ error: 'not found' }); });",
  "exports.handler = serverlessExpress({ app });",
].join("\n");

/** The same function on Express 4 + serverless-express, bundled (CommonJS: Express is CommonJS). */
export function buildExpress(out: string): Promise<string> {
  return bundleSource(EXPRESS_SOURCE, path.join(out, "index.js"), { format: "cjs" });
}

/** The same function as a naive deployment: handler file + node_modules, unbundled. Returns the handler file. */
export function writeExpressUnbundled(out: string): string {
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, "index.js");
  fs.writeFileSync(file, EXPRESS_SOURCE);
  return file;
}

/** The packages (folders under node_modules) a package needs at run time, itself included. */
export function runtimeClosure(names: string[], nodeModules = path.join(ROOT, "node_modules")): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const dir = path.join(nodeModules, name);
    if (!fs.existsSync(path.join(dir, "package.json"))) return;
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  for (const n of names) visit(n);
  return [...seen].sort();
}
