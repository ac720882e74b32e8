import { defineApi } from "../model";

/**
 * The model of goal 4 (issue 9) and issue 4's throughput target: the example's `GET /books/{id}` and
 * its handler with routing + API-key auth + access log on, and nothing else (no CORS, canary, rate
 * limit or cache, which the example's route also has). bench/local-gateway.ts serves it as
 * `gateway-goal`.
 */
export default defineApi({
  name: "bench",
  auth: { partners: { type: "apiKey", consumers: ["acme"] } },
  defaults: { auth: "partners" },
  logging: { access: true },
  functions: { getBook: { handler: "../functions/books.ts#get" } },
  routes: { "GET /books/{id}": { function: "getBook" } },
});
