/**
 * The churn radar's webhook steps: every customer's paid orders, cancellations and refunds become order facts
 * (app/data/churn/orders.server.ts), inside the inbox row's transaction. Guest and test orders are not kept:
 * the models are about known customers' real purchases.
 */
import { z } from "zod";
import { recordOrderFact, recordOrderFacts, recordRefundFact, type OrderFact } from "~/data/churn/orders.server";
import { parseDecimalToMinor } from "~/domain/money";
import type { BatchContext, HandlerContext, TopicHandler } from "~/jobs/handlers.server";
import { idFromGid, type WebhookPayload } from "~/shopify/webhooks/payloads";

const discountCodes = z.array(z.looseObject({ code: z.string() })).catch([]);
const shopMoney = z.looseObject({ shop_money: z.looseObject({ amount: z.union([z.string(), z.number()]), currency_code: z.string() }) });

/** The order's facts for the churn radar; null for a guest's or a test order. */
function orderFact(topic: HandlerContext["topic"], order: WebhookPayload<"orders/paid">, now: Date): OrderFact | null {
  if (!order.customer || order.test) return null;
  const currency = order.currency;
  const customerGid = typeof order.customer.admin_graphql_api_id === "string" ? order.customer.admin_graphql_api_id : null;
  return {
    orderId: idFromGid(order.admin_graphql_api_id),
    customerId: customerGid ? idFromGid(customerGid) : order.customer.id,
    orderedAt: new Date(order.processed_at ?? order.created_at),
    amountMinor: parseDecimalToMinor(order.subtotal_price, currency),
    currencyCode: currency,
    discountMinor: parseDecimalToMinor(order.total_discounts ?? "0", currency),
    discountCodes: discountCodes.parse(order.discount_codes).map((d) => d.code),
    cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : topic === "orders/cancelled" ? now : null,
  };
}

async function recordOrder({ tx, shopId, topic, payload, now }: HandlerContext): Promise<void> {
  const fact = orderFact(topic, payload as WebhookPayload<"orders/paid">, now);
  if (fact) await recordOrderFact(tx, shopId, fact);
}

/** recordOrder for the rows of a batch (each order once, as the loyalty batch takes them). */
export async function recordOrdersOfBatch({ tx, shopId, topic, rows, now }: BatchContext): Promise<void> {
  const facts = rows.map((row) => orderFact(topic, row.payload as WebhookPayload<"orders/paid">, now)).filter((fact) => fact !== null);
  await recordOrderFacts(tx, shopId, facts);
}

async function recordRefund({ tx, shopId, payload }: HandlerContext): Promise<void> {
  const refund = payload as WebhookPayload<"refunds/create">;
  const amountMinor = refund.refund_line_items.reduce((sum, line) => {
    // subtotal_set carries the currency; the bare subtotal is a number in the shop's currency.
    const set = shopMoney.safeParse(line.subtotal_set);
    return sum + (set.success ? parseDecimalToMinor(set.data.shop_money.amount, set.data.shop_money.currency_code) : parseDecimalToMinor(line.subtotal, "USD"));
  }, 0);
  await recordRefundFact(tx, shopId, { refundId: refund.id, orderId: refund.order_id, amountMinor, refundedAt: new Date(refund.created_at) });
}

export const churnOrderHandlers = {
  "orders/paid": recordOrder,
  "orders/cancelled": recordOrder,
  "refunds/create": recordRefund,
} satisfies Record<string, TopicHandler>;
