import type { Handler } from "../runtime";

/** `GET /health`: liveness, open to everyone. */
const health: Handler = (_request, ctx) => Response.json({ status: "ok", cloud: ctx.cloud });
export default health;
