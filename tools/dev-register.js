/**
 * The TypeScript loader of `npm run dev` (and of the servers bench/local-gateway.ts measures):
 * esbuild-register compiles each .ts file with the project's esbuild as it is required. Against
 * ts-node it starts the gateway in about 0.8 s instead of about 2 s here (no TypeScript compiler
 * to load), and it does not load node's `domain` module (ts-node's REPL support does), which
 * slows down every EventEmitter a server creates.
 *
 * `import()` is compiled to `require()`, as ts-node's CommonJS output does, so that a model or
 * tool may import extension-less TypeScript paths dynamically.
 */
require("esbuild-register/dist/node").register({ supported: { "dynamic-import": false } });
