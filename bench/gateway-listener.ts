/**
 * The local gateway's own per-request work, in process and without the network: its request
 * listener and a raw `node:http` hello-JSON listener, each given a fresh IncomingMessage (GET
 * /books/1 with an API key, the example's getBook; rate limits lifted as in bench/local-gateway.ts,
 * access log on into a discarding writer) and a fresh ServerResponse not attached to a socket.
 * What is left out is the same for both: the socket, the HTTP parser, the kernel. The difference is
 * what the gateway adds per request (routing, the key check, the request and context objects, the
 * handler's answer read back, the access line). It is steadier than req/s over loopback on a noisy
 * machine (bench/local-gateway.ts), which it complements: it says where a change moves the gateway.
 *
 *   node -r ts-node/register/transpile-only bench/gateway-listener.ts
 */
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { startGateway } from "../local/gateway";
import { cli, type Figure, ROOT, type Section, tick } from "./lib";

const ROUNDS = 9;
const PER_ROUND = 20_000;
const KEY = "bench-key-0123456789";

export async function main(): Promise<Section> {
  const gw = await startGateway({ apiFile: path.join(ROOT, "api.ts"), keys: { acme: KEY }, log: "plain", write: () => {}, watch: false });
  try {
    for (const r of gw.api().routes) delete r.rateLimit;
    const socket = new net.Socket();
    const request = () => {
      const req = new http.IncomingMessage(socket);
      req.method = "GET";
      req.url = "/books/1";
      req.headers = { host: "127.0.0.1:8787", "x-api-key": KEY, "user-agent": "bench", accept: "*/*" };
      req.push(null);
      return req;
    };
    const book = { id: "1", title: "The Pragmatic Programmer", price: 42 };
    const raw = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(book));
    };
    const gateway = gw.server.listeners("request")[0] as typeof raw;
    // Both answer 200 with the book before timing.
    for (const [name, f] of [
      ["raw", raw],
      ["gateway", gateway],
    ] as const) {
      const res = new http.ServerResponse(request());
      f(res.req, res);
      if (res.statusCode !== 200) throw new Error(`${name} answered ${res.statusCode}`);
    }
    const variants: [string, typeof raw][] = [
      ["raw node:http listener", raw],
      ["gateway listener", gateway],
    ];
    const rounds = new Map<string, number[]>(variants.map(([n]) => [n, []]));
    for (let r = 0; r < ROUNDS + 2; r++) {
      for (const [name, f] of variants) {
        const reqs = Array.from({ length: PER_ROUND }, request);
        await tick();
        const t = process.hrtime.bigint();
        for (const q of reqs) f(q, new http.ServerResponse(q));
        // Asynchronous leftovers (the access log's batch write) land inside the round.
        await new Promise((resolve) => setImmediate(resolve));
        const us = Number(process.hrtime.bigint() - t) / 1000 / PER_ROUND;
        if (r >= 2) rounds.get(name)?.push(us); // two warm-up rounds
      }
    }
    const rawRounds = rounds.get("raw node:http listener") as number[];
    const gwRounds = rounds.get("gateway listener") as number[];
    const figures: Figure[] = [
      { name: "raw node:http listener", unit: "µs/request", rounds: rawRounds, note: "setHeader + end(JSON.stringify(book))" },
      {
        name: "gateway listener",
        unit: "µs/request",
        rounds: gwRounds,
        anchor: "raw node:http listener",
        note: "routing + API key + handler + access log",
      },
      {
        name: "gateway's own work",
        unit: "µs/request",
        rounds: gwRounds.map((g, i) => g - (rawRounds[i] as number)),
        note: "gateway minus raw, round by round",
      },
    ];
    return {
      title: "Local gateway listener in process (goal 4's per-request work, without the network)",
      commands: [
        "node -r ts-node/register/transpile-only bench/gateway-listener.ts",
        `${ROUNDS} interleaved rounds of ${PER_ROUND} requests after 2 warm-up rounds; each request a fresh IncomingMessage (built before the round) and a fresh ServerResponse (in the round)`,
      ],
      notes: [
        "Not goal 4's figure (that is req/s over loopback, bench/local-gateway.ts): this isolates the gateway's own work per request, which the network figures bury in kernel time and the machine's drift.",
        "Both listeners run in this process under ts-node, which loads node's domain module; npm run dev does not (tools/dev-register.js).",
      ],
      figures,
      goals: [],
    };
  } finally {
    await gw.close();
  }
}

cli(module, main);
