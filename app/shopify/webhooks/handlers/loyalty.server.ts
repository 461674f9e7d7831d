/**
 * The loyalty engine's webhook steps, run inside the inbox row's transaction (app/jobs/worker.server.ts): order
 * facts → points; customers → the program's customer record and the sign-up award; privacy requests.
 */
import { upsertAndLockCustomer, type CustomerFacts } from "~/data/loyalty/customers.server";
import type { BatchHandler, HandlerContext, TopicHandler } from "~/jobs/handlers.server";
import { awardActionInTransaction } from "~/services/loyalty/actions.server";
import { applyFirstPayments, applyOrderFacts } from "~/services/loyalty/order-points.server";
import { answerDataRequest, redactCustomer, redactShop } from "~/services/loyalty/privacy.server";
import { loadProgram } from "~/services/loyalty/program.server";
import { idFromGid, type WebhookPayload } from "../payloads";
import { orderFacts, postalAddress, refundOrderFacts } from "./order-facts";

function orderHandler(topic: "orders/paid" | "orders/updated" | "orders/cancelled"): TopicHandler {
  return async ({ tx, shopId, payload, receivedAt, now }: HandlerContext) => {
    const facts = orderFacts(topic, payload as WebhookPayload<typeof topic>, receivedAt);
    if (facts.test) return;
    await applyOrderFacts(tx, await loadProgram(tx, shopId), facts, now);
  };
}

function customerFacts(customer: WebhookPayload<"customers/create">): CustomerFacts {
  const addresses = Array.isArray(customer.addresses) ? customer.addresses.map(postalAddress).filter((a) => a !== null) : [];
  return {
    shopifyCustomerId: customer.admin_graphql_api_id ? idFromGid(customer.admin_graphql_api_id) : customer.id,
    email: customer.email ?? null,
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    phone: typeof customer.phone === "string" ? customer.phone : null,
    addresses,
    createdAt: customer.created_at ? new Date(customer.created_at) : null,
    updatedAt: typeof customer.updated_at === "string" ? new Date(customer.updated_at) : (customer.created_at ? new Date(customer.created_at) : null),
  };
}

export const loyaltyHandlers = {
  "orders/paid": orderHandler("orders/paid"),
  "orders/updated": orderHandler("orders/updated"),
  "orders/cancelled": orderHandler("orders/cancelled"),

  "refunds/create": async ({ tx, shopId, payload, now }) => {
    const program = await loadProgram(tx, shopId);
    await applyOrderFacts(tx, program, refundOrderFacts(payload as WebhookPayload<"refunds/create">, program.currencyCode), now);
  },

  "customers/create": async ({ tx, shopId, payload, now }) => {
    const customer = await upsertAndLockCustomer(tx, shopId, customerFacts(payload as WebhookPayload<"customers/create">));
    await awardActionInTransaction(tx, await loadProgram(tx, shopId), customer, { action: "signup" }, now);
  },

  "customers/update": async ({ tx, shopId, payload }) => {
    await upsertAndLockCustomer(tx, shopId, customerFacts(payload as WebhookPayload<"customers/update">));
  },

  "customers/redact": async ({ tx, shopId, payload, now }) => {
    const { customer } = payload as WebhookPayload<"customers/redact">;
    await redactCustomer(tx, { shopId, shopifyCustomerId: customer.id, now });
  },

  "customers/data_request": async ({ tx, shopId, payload, receivedAt, now }) => {
    const request = payload as WebhookPayload<"customers/data_request">;
    const dataRequestId = (request.data_request as { id?: unknown } | undefined)?.id;
    const requestId = dataRequestId != null ? String(dataRequestId) : `customer:${request.customer.id}:${receivedAt.toISOString()}`;
    await answerDataRequest(tx, { shopId, shopifyCustomerId: request.customer.id, requestId, now });
  },

  "shop/redact": async ({ tx, shopId, shopDomain, now }) => redactShop(tx, { shopId, shopDomain, now }),
} satisfies Record<string, TopicHandler>;

/** orders/paid in batches: first payments set-based (applyFirstPayments), test orders skipped as one by one. */
const paidOrdersBatch: BatchHandler = async ({ tx, shopId, rows, now }) => {
  const done = new Set<string>();
  const real: { id: string; facts: ReturnType<typeof orderFacts> }[] = [];
  for (const row of rows) {
    const facts = orderFacts("orders/paid", row.payload as WebhookPayload<"orders/paid">, row.receivedAt);
    if (facts.test) done.add(row.id);
    else real.push({ id: row.id, facts });
  }
  const applied = await applyFirstPayments(tx, await loadProgram(tx, shopId), real.map(({ facts }) => facts), now);
  for (const index of applied) done.add(real[index].id);
  return done;
};

export const loyaltyBatchHandlers = { "orders/paid": paidOrdersBatch } satisfies Record<string, BatchHandler>;
