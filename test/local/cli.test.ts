import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * `npm run dev` as a user runs it: the package.json script (TypeScript loaded by
 * tools/dev-register.js), in its own process, called over real HTTP, stopped with SIGTERM.
 */
describe("npm run dev (the README's run command, as a process)", () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) c.kill("SIGKILL");
  });

  /**
   * Runs package.json's `dev` script with `args`, as `npm run dev -- <args>` does (node_modules/.bin
   * first on PATH), but exec'd by sh so that the signal a test sends reaches the server itself (npm
   * would exit on it at once, leaving the server's own exit unseen).
   */
  function dev(args: string[], env: Record<string, string> = {}) {
    const script = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts
      .dev;
    const child = spawn("sh", ["-c", `exec ${script} "$@"`, "dev", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout?.on("data", (c) => {
      out += c;
    });
    child.stderr?.on("data", (c) => {
      out += c;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const ready = new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      };
      child.stdout?.on("data", check);
      exited.then((code) => reject(new Error(`npm run dev exited with ${code}:\n${out}`)));
    });
    return { child, ready, exited, output: () => out };
  }

  it("serves the example API: open route 200, keyed route 401 without a key and 200 with one; SIGINT stops it cleanly", async () => {
    const d = dev(["--port", "0"], { SWITCHYARD_API_KEYS: "acme=cli-test-key" });
    const url = await d.ready;
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.ok(health.headers.get("x-request-id"));
    assert.equal((await fetch(`${url}/books/1`)).status, 401);
    const book = await fetch(`${url}/books/1`, { headers: { "x-api-key": "cli-test-key" } });
    assert.equal(book.status, 200);
    assert.equal(((await book.json()) as { id: string }).id, "1");
    // The banner lists the routes; the access log has a line per request.
    assert.match(d.output(), /GET \/books\/\{id\}\s+→ getBook/);
    await new Promise((r) => setTimeout(r, 50));
    assert.match(d.output(), /GET \/books\/1 200 [\d.]+ms acme/);
    // Ctrl-C in a terminal: SIGINT; the server finishes in-flight requests and exits 0.
    d.child.kill("SIGINT");
    assert.equal(await d.exited, 0);
    assert.match(d.output(), /SIGINT: finishing in-flight requests/);
  });

  it("reloads a changed model and function file in the same process (the loader's require hooks), port kept", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-dev-"));
    try {
      const file = path.join(dir, "api.ts");
      const model = (route: string) =>
        `export default { name: "reload", functions: { hi: { handler: "fn.ts#hi" } }, routes: { "GET ${route}": { function: "hi", auth: "none" } } };\n`;
      fs.writeFileSync(file, model("/hi"));
      fs.writeFileSync(path.join(dir, "fn.ts"), `export const hi = (): Response => new Response("v1");\n`);
      const d = dev(["--api", file, "--port", "0"]);
      const url = await d.ready;
      assert.equal(await (await fetch(`${url}/hi`)).text(), "v1");
      fs.writeFileSync(path.join(dir, "fn.ts"), `export const hi = (): Response => new Response("v2");\n`);
      fs.writeFileSync(file, model("/hello"));
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await fetch(`${url}/hello`)).status;
      }
      const res = await fetch(`${url}/hello`);
      assert.deepEqual([res.status, await res.text()], [200, "v2"]);
      assert.equal((await fetch(`${url}/hi`)).status, 404);
      assert.match(d.output(), /reloaded .*api\.ts: 1 routes/);
      d.child.kill("SIGINT");
      assert.equal(await d.exited, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a model with a syntax error: exit 1 and one line naming the file, line and column", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-dev-"));
    try {
      const file = path.join(dir, "api.ts");
      fs.writeFileSync(file, 'export default { name: "x" oops };\n');
      const d = dev(["--api", file, "--port", "0"]);
      await assert.rejects(d.ready);
      assert.equal(await d.exited, 1);
      assert.match(d.output(), /model file ".*api\.ts" failed to load: .*api\.ts:1:28: Expected "\}" but found "oops"/);
      assert.doesNotMatch(d.output(), /\n\s+at /); // no stack trace
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
