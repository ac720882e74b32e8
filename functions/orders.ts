import type { Handler } from "../runtime";

/**
 * `POST /orders` (JWT with scope `orders:write`): validates the body and answers 201 with the
 * order. `PAYMENT_KEY` is a secret: it arrives from the cloud's secret store, never as plain config.
 */
export const create: Handler = async (request, ctx) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: "body must be JSON" }, { status: 400 });
  }
  const { bookId, quantity } = (body ?? {}) as { bookId?: unknown; quantity?: unknown };
  if (typeof bookId !== "string" || !Number.isInteger(quantity) || (quantity as number) < 1) {
    return Response.json({ error: "expected { bookId: string, quantity: integer ≥ 1 }" }, { status: 400 });
  }
  const paymentsConfigured = Boolean(process.env.PAYMENT_KEY);
  ctx.log.info("order created", { bookId, quantity, customer: ctx.auth.subject });
  return Response.json(
    { orderId: ctx.requestId, bookId, quantity, currency: process.env.CURRENCY ?? "EUR", customer: ctx.auth.subject, paymentsConfigured },
    { status: 201, headers: { location: `/orders/${ctx.requestId}` } },
  );
};
