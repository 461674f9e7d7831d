/**
 * POST /webhooks through the real route action, against a real PostgreSQL: what Shopify's delivery behaviour
 * (signatures, headers, redeliveries) gets back, and what is recorded.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signedDelivery, samplePayload } from "../../scripts/fake-shopify/webhook-samples";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { TEST_SECRET, useAppEnv } from "../support/app-env";

const SHOP = "intake-test.myshopify.com";
let db: TestDatabase;
let action: (args: { request: Request }) => Promise<Response>;

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url);
  action = (await import("~/routes/webhooks")).action as never;
});
afterAll(async () => {
  const { getQueue } = await import("~/runtime.server");
  await (await getQueue()).stop({ graceful: false, wait: true });
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db.drop();
});

function post(delivery: { headers: Record<string, string>; body: string }) {
  return action({ request: new Request("http://localhost/webhooks", { method: "POST", headers: delivery.headers, body: delivery.body }) });
}

async function inboxRows() {
  const { rows } = await db.pool.query(`select topic, "dedupeKey", status from "WebhookInbox" order by id`);
  return rows;
}

async function jobsFor(inboxIds: string[]) {
  const { rows } = await db.pool.query(`select data->>'inboxId' as id from pgboss.job where name = 'webhook-inbox'`);
  return rows.map((r) => r.id).filter((id) => inboxIds.includes(id));
}

describe("webhook intake", () => {
  test("a signed delivery of every topic's Shopify sample is accepted, recorded and queued", async () => {
    const topics = ["orders/paid", "orders/cancelled", "orders/updated", "refunds/create", "customers/create", "customers/update", "customers/redact", "customers/data_request", "shop/redact", "app/uninstalled", "subscription_contracts/create", "subscription_contracts/update", "subscription_contracts/pause", "subscription_contracts/cancel", "subscription_billing_attempts/success", "subscription_billing_attempts/failure"];
    for (const topic of topics) {
      const response = await post(signedDelivery({ topic, shop: SHOP, payload: samplePayload(topic), secret: TEST_SECRET }));
      expect(response.status, `${topic}: ${await response.clone().text()}`).toBe(200);
    }
    const rows = await inboxRows();
    expect(rows.map((r) => r.topic)).toEqual(topics);
    const { rows: ids } = await db.pool.query(`select id::text from "WebhookInbox"`);
    expect((await jobsFor(ids.map((r) => r.id))).length).toBe(topics.length);
  });

  test("the same event delivered twice is one inbox row and one job", async () => {
    const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: TEST_SECRET, eventId: "evt-dup-1" });
    const first = await post(delivery);
    const second = await post({ ...delivery, headers: { ...delivery.headers, "x-shopify-webhook-id": "another-webhook-id" } });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toBe("already received");
    const rows = (await inboxRows()).filter((r) => r.dedupeKey === "orders/paid|event:evt-dup-1");
    expect(rows).toHaveLength(1);
  });

  test("without an event id, the webhook id is the idempotency key", async () => {
    const delivery = signedDelivery({ topic: "customers/create", shop: SHOP, payload: samplePayload("customers/create"), secret: TEST_SECRET, webhookId: "wh-only-1" });
    delete delivery.headers["x-shopify-event-id"];
    await post(delivery);
    await post(delivery);
    expect((await inboxRows()).filter((r) => r.dedupeKey === "customers/create|webhook:wh-only-1")).toHaveLength(1);
  });

  test("a wrong or missing signature is 401 and nothing is stored", async () => {
    const before = (await inboxRows()).length;
    const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: "not-the-app-secret" });
    const forged = await post(delivery);
    expect(forged.status).toBe(401);
    expect(await forged.text()).toBe("invalid webhook signature");

    const tampered = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: TEST_SECRET });
    const response = await post({ ...tampered, body: tampered.body.replace('"404.95"', '"4.95"') });
    expect(response.status).toBe(401);

    const { "x-shopify-hmac-sha256": _, ...unsigned } = tampered.headers;
    const missing = await post({ ...tampered, headers: unsigned });
    expect(missing.status).toBe(401);
    expect(await missing.text()).toMatch(/missing X-Shopify-Hmac-Sha256/);
    expect((await inboxRows()).length).toBe(before);
  });

  test.each(["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"])("a delivery without %s is 400 naming it", async (header) => {
    const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: TEST_SECRET });
    delete delivery.headers[header];
    const response = await post(delivery);
    expect(response.status).toBe(400);
    expect((await response.text()).toLowerCase()).toContain(header);
  });

  test("a malformed payload is 400 with the reason, and nothing is stored", async () => {
    const before = (await inboxRows()).length;
    const noId = samplePayload("orders/paid");
    delete noId.id;
    const cases = [
      { topic: "orders/paid", payload: noId, reason: /invalid orders\/paid payload: id/ },
      { topic: "refunds/create", payload: { ...samplePayload("refunds/create"), order_id: "abc" }, reason: /invalid refunds\/create payload: order_id/ },
      { topic: "orders/paid", payload: [], reason: /invalid orders\/paid payload/ },
    ];
    for (const { topic, payload, reason } of cases) {
      const response = await post(signedDelivery({ topic, shop: SHOP, payload, secret: TEST_SECRET }));
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(reason);
    }
    const notJson = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: {}, secret: TEST_SECRET });
    const body = "{not json";
    const { webhookSignature } = await import("~/shopify/webhooks/verify.server");
    const response = await post({ body, headers: { ...notJson.headers, "x-shopify-hmac-sha256": webhookSignature(body, TEST_SECRET) } });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("body is not valid JSON");
    expect((await inboxRows()).length).toBe(before);
  });

  test("an unknown topic or a foreign shop domain is 400", async () => {
    const unknown = await post(signedDelivery({ topic: "products/create", shop: SHOP, payload: {}, secret: TEST_SECRET }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/unsupported topic/);
    const foreign = await post(signedDelivery({ topic: "orders/paid", shop: "evil.example.com", payload: samplePayload("orders/paid"), secret: TEST_SECRET }));
    expect(foreign.status).toBe(400);
  });

  test("a body over the size limit is 413 before it is read whole", async () => {
    const big = { ...samplePayload("orders/paid"), note: "x".repeat(1_100_000) };
    const response = await post(signedDelivery({ topic: "orders/paid", shop: SHOP, payload: big, secret: TEST_SECRET }));
    expect(response.status).toBe(413);
  });
});
