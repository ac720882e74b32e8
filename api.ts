import { defineApi } from "./model";

/** The example API: a small bookshop that exercises every feature of the model. */
export default defineApi({
  name: "bookshop",
  description: "Books and orders",
  auth: {
    partners: { type: "apiKey", consumers: ["acme", "globex"] },
    users: {
      type: "jwt",
      issuer: "https://login.example.com/",
      audiences: ["api://bookshop"],
      jwksUri: "https://login.example.com/.well-known/jwks.json",
    },
  },
  defaults: {
    auth: "partners",
    rateLimit: { ratePerSecond: 50, burst: 100 },
    function: { memoryMb: 256, timeoutSeconds: 10 },
  },
  cors: {
    allowOrigins: ["https://shop.example.com"],
    allowMethods: ["GET", "POST"],
    allowHeaders: ["content-type", "authorization", "x-api-key"],
    allowCredentials: false,
    maxAgeSeconds: 600,
  },
  logging: { access: true, retentionDays: 14 },
  tags: { team: "books" },
  // Production features: a custom domain (managed certificate), alarms to email and a webhook, tracing
  // (on by default), and a canary release of getBook (10% of traffic to the new version).
  domain: { name: "api.bookshop.example.com" },
  alerts: { errorRatePercent: 5, p99LatencyMs: 2000, notify: ["ops@example.com", "https://hooks.example.com/switchyard"] },
  tracing: true,
  functions: {
    health: { handler: "functions/health.ts" },
    listBooks: { handler: "functions/books.ts#list", memoryMb: 512 },
    getBook: { handler: "functions/books.ts#get", canary: { weight: 10 } },
    createOrder: {
      handler: "functions/orders.ts#create",
      timeoutSeconds: 20,
      scaling: { min: 0, max: 20, concurrency: 10 },
      environment: { CURRENCY: "EUR" },
      secrets: ["PAYMENT_KEY"],
    },
  },
  routes: {
    "GET /health": { function: "health", auth: "none" },
    "GET /books": { function: "listBooks", cache: { ttlSeconds: 60, varyBy: { query: ["page"] } } },
    "GET /books/{id}": { function: "getBook" },
    "POST /orders": {
      function: "createOrder",
      auth: { scheme: "users", scopes: ["orders:write"] },
      rateLimit: { ratePerSecond: 5, burst: 10, quota: { limit: 1000, period: "day" } },
    },
    "ANY /legacy/{path+}": { upstream: { url: "https://legacy.example.com" } },
    "GET /search": {
      auth: "none",
      upstream: {
        targets: [
          { url: "https://search-a.example.com", weight: 80 },
          { url: "https://search-b.example.com", weight: 20 },
        ],
      },
    },
  },
});
