/**
 * The production shape: two web processes and two workers against one database, fed a replay in which 30 % of
 * the deliveries arrive again (the same event, sometimes under a new webhook id) at the same moment on the other
 * web process. Every delivery is accepted; each event is recorded once, queued once and processed exactly once.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { orderPayload, samplePayload, signedDelivery, type Delivery } from "../../scripts/fake-shopify/webhook-samples";
import { deliverAll, FAULT_SECRET, until } from "./support/cluster";
import { expectEveryEventProcessedOnce } from "./support/inbox";
import { useAppCluster } from "./support/use-cluster";

const SHOP = "two-of-each.myshopify.com";
const ORDERS = 2_000;
const CUSTOMERS = 200;

const app = useAppCluster({ webs: 2, workers: 2 });

function replayWithDuplicates(seed: number): { deliveries: Delivery[]; events: number } {
  const originals: Delivery[] = [];
  for (let customer = 0; customer < CUSTOMERS; customer += 1) {
    const payload = { ...samplePayload("customers/create"), id: 800_000 + customer, email: `two-${customer}@example.com` };
    originals.push(signedDelivery({ topic: "customers/create", shop: SHOP, payload, secret: FAULT_SECRET, eventId: `customer-${customer}` }));
  }
  for (let order = 0; order < ORDERS; order += 1) {
    const payload = orderPayload({ orderId: 7_000_000 + order, customerId: 800_000 + (order % CUSTOMERS), createdAt: new Date("2026-09-01T00:00:00Z"), subtotalMinor: 500 + order * 7 });
    originals.push(signedDelivery({ topic: "orders/paid", shop: SHOP, payload, secret: FAULT_SECRET, eventId: `order-${order}` }));
  }
  const [picks] = fc.sample(fc.array(fc.noBias(fc.tuple(fc.nat(originals.length - 1), fc.boolean())), { minLength: Math.round(originals.length * 0.3), maxLength: Math.round(originals.length * 0.3) }), { seed, numRuns: 1 });
  // Shopify's retries carry the same webhook id; the same event can also arrive through another subscription.
  const duplicates = picks.map(([index, newWebhookId]) => (newWebhookId ? { ...originals[index], headers: { ...originals[index].headers, "x-shopify-webhook-id": `again-${index}` } } : originals[index]));
  // Each duplicate goes out right next to its original, so the two race on different web processes.
  const deliveries = [...originals];
  for (const duplicate of duplicates) {
    const at = deliveries.findIndex((d) => d.headers["x-shopify-event-id"] === duplicate.headers["x-shopify-event-id"]);
    deliveries.splice(at + 1, 0, duplicate);
  }
  return { deliveries, events: originals.length };
}

test("a replay with 30 % duplicates through two web processes and two workers: every event recorded, queued and processed exactly once", { timeout: 300_000 }, async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
  const { deliveries, events } = replayWithDuplicates(seed);
  const outcomes = await deliverAll(deliveries, () => app.cluster.webs.map((web) => web.base), { concurrency: 24 });
  expect(outcomes.flatMap((outcome) => outcome.answers).filter((status) => status !== 200), `seed ${seed}; ${app.cluster.webs.map((web) => web.output()).join("\n")}`).toEqual([]);

  await until(
    async () => (await app.db.pool.query(`select 1 from "WebhookInbox" where status <> 'processed' limit 1`)).rowCount === 0,
    async () => JSON.stringify((await app.db.pool.query(`select status, count(*) from "WebhookInbox" group by status`)).rows),
    240_000,
  );
  await expectEveryEventProcessedOnce(app.db.pool, deliveries, events);
  expect(app.cluster.unexpectedExits).toEqual([]);
});
