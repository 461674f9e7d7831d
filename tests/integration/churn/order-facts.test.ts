/**
 * orders/paid, orders/cancelled and refunds/create, processed through the inbox and the registry's handlers, become
 * the order facts the churn models read: duplicates, redeliveries and any arrival order give the same purchases.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { customerPurchaseSummaries } from "~/data/churn/orders.server";
import { inTransaction } from "~/data/db.server";
import { recordDeliveries } from "~/data/inbox.server";
import type { HandlerRegistry } from "~/jobs/handlers.server";
import { processInboxRow } from "~/jobs/worker.server";
import { orderPayload, samplePayload, type OrderSpec } from "../../../scripts/fake-shopify/webhook-samples";
import { useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createShop } from "./support";

let db: TestDatabase;
let shopId: number;
let topicHandlers: HandlerRegistry;
let deliveries = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // The registry's other handlers read the app's configuration when imported.
  useAppEnv(db.url);
  topicHandlers = (await import("~/jobs/registry.server")).topicHandlers;
  shopId = await createShop(db.pool, "order-facts.myshopify.com");
});
afterAll(async () => db.drop());

async function processDelivery(topic: string, payload: unknown): Promise<void> {
  deliveries += 1;
  const dedupeKey = `test-${deliveries}`;
  const ids = await inTransaction(db.pool, (tx) =>
    recordDeliveries(tx, [{ shopId, topic, dedupeKey, webhookId: dedupeKey, eventId: null, apiVersion: "2025-01", triggeredAt: null, rawPayload: JSON.stringify(payload) }]),
  );
  expect(await processInboxRow(db, topicHandlers, ids.get(`${shopId}|${dedupeKey}`)!, new Date("2026-11-20T12:00:00Z"))).toBe("processed");
}

function refundPayload({ refundId, orderId, amount }: { refundId: number; orderId: number; amount: string }) {
  const refund = samplePayload("refunds/create");
  const line = refund.refund_line_items[0];
  Object.assign(line, {
    subtotal: Number(amount),
    subtotal_set: { shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } },
  });
  return { ...refund, id: refundId, order_id: orderId, admin_graphql_api_id: `gid://shopify/Refund/${refundId}`, created_at: "2026-11-10T10:00:00Z", refund_line_items: [line] };
}

const order = (spec: Partial<OrderSpec> & Pick<OrderSpec, "orderId" | "customerId" | "createdAt" | "subtotalMinor">) => orderPayload(spec);

test("paid orders count, cancelled and fully refunded ones do not, partial refunds lower the amount — in any order, any number of times", async () => {
  const ann = 9_001;
  const paid1 = order({ orderId: 101, customerId: ann, createdAt: new Date("2026-09-01T10:00:00Z"), subtotalMinor: 5_000 });
  const paid2 = order({ orderId: 102, customerId: ann, createdAt: new Date("2026-10-01T10:00:00Z"), subtotalMinor: 3_000 });
  const cancelled2 = order({ orderId: 102, customerId: ann, createdAt: new Date("2026-10-01T10:00:00Z"), subtotalMinor: 3_000, cancelledAt: new Date("2026-10-02T08:00:00Z") });
  const paid3 = order({ orderId: 103, customerId: ann, createdAt: new Date("2026-10-20T10:00:00Z"), subtotalMinor: 2_000 });
  const paid4 = order({ orderId: 104, customerId: ann, createdAt: new Date("2026-11-05T10:00:00Z"), subtotalMinor: 4_000, discountMinor: 500 });
  const guest = order({ orderId: 105, customerId: null, createdAt: new Date("2026-11-06T10:00:00Z"), subtotalMinor: 9_900 });
  const testOrder = { ...order({ orderId: 106, customerId: ann, createdAt: new Date("2026-11-07T10:00:00Z"), subtotalMinor: 9_900 }), test: true };

  // The cancellation and the full refund arrive before the orders they are about; everything twice.
  const arrivals: [string, unknown][] = [
    ["orders/cancelled", cancelled2],
    ["refunds/create", refundPayload({ refundId: 201, orderId: 103, amount: "20.00" })],
    ["orders/paid", paid4],
    ["orders/paid", paid1],
    ["refunds/create", refundPayload({ refundId: 202, orderId: 101, amount: "12.50" })],
    ["orders/paid", paid2],
    ["orders/paid", paid3],
    ["orders/paid", guest],
    ["orders/paid", testOrder],
  ];
  for (const [topic, payload] of [...arrivals, ...arrivals.reverse()]) await processDelivery(topic, payload);

  const summaries = await customerPurchaseSummaries(db.pool, shopId, new Date("2026-11-20T12:00:00Z"));
  expect(summaries).toEqual([
    {
      customerId: String(ann),
      frequency: 1,
      recencyDays: 65, // 2026-09-01 → 2026-11-05
      ageDays: 80, // 2026-09-01 → 2026-11-20
      monetaryMinor: 4_000,
      orders: 2,
      spentMinor: 5_000 - 1_250 + 4_000,
      firstOrderAt: new Date("2026-09-01T10:00:00Z"),
      lastOrderAt: new Date("2026-11-05T10:00:00Z"),
    },
  ]);
  const { rows } = await db.pool.query(`select "orderId", "discountMinor", "cancelledAt" is not null as cancelled from "CustomerOrder" order by "orderId"`);
  expect(rows).toEqual([
    { orderId: "101", discountMinor: 0, cancelled: false },
    { orderId: "102", discountMinor: 0, cancelled: true },
    { orderId: "103", discountMinor: 0, cancelled: false },
    { orderId: "104", discountMinor: 500, cancelled: false },
  ]);
});
