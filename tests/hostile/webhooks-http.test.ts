/**
 * POST /webhooks over real HTTP against the real web process (server.ts sends deliveries straight to the route's
 * action, past Remix's router): what Shopify gets back for a good delivery, its redelivery, a forged one, a
 * malformed one, one too large, and one whose sender hangs up half-way — each refusal with its reason and no
 * stack trace, and nothing recorded for what was refused.
 */
import { request as httpRequest } from "node:http";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { webhookSignature } from "~/shopify/webhooks/verify.server";
import { orderPayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { spawnAppProcess, stopProcess, waitForHttp } from "../../scripts/lib/processes";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { buildAppOnce, freePort } from "../faults/support/cluster";

const SECRET = "webhooks-http-secret";
const SHOP = "webhooks-http.myshopify.com";
const LIMIT = 64 * 1024;
let db: TestDatabase;
let web: ChildProcess;
let base: string;

beforeAll(async () => {
  await buildAppOnce();
  db = await createTestDatabase();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = spawnAppProcess("web", { DATABASE_URL: db.url, PORT: String(port), DEMO_MODE: "1", SHOPIFY_API_SECRET: SECRET, MAX_REQUEST_BYTES: String(LIMIT) }, { quiet: true });
  web.stderr!.resume();
  await waitForHttp(`${base}/healthz`, 90_000);
}, 300_000);
afterAll(async () => {
  if (web) await stopProcess(web);
  await db?.drop();
});

async function post(headers: Record<string, string>, body: string) {
  const response = await fetch(`${base}/webhooks`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

const order = (orderId: number) => orderPayload({ orderId, customerId: 77, createdAt: new Date("2026-11-01T00:00:00Z"), subtotalMinor: 4_200 });
const inboxRows = async () => Number((await db.pool.query(`select count(*)::int as n from "WebhookInbox"`)).rows[0].n);

test("a signed delivery is recorded and answered 200; its redelivery is answered 200 and recorded once", async () => {
  const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order(1), secret: SECRET });
  expect(await post(delivery.headers, delivery.body)).toEqual({ status: 200, text: "received" });
  expect(await post(delivery.headers, delivery.body)).toEqual({ status: 200, text: "already received" });
  expect(await inboxRows()).toBe(1);
});

test("forged, malformed and oversized deliveries get their reason, no stack trace, and leave no row", async () => {
  const before = await inboxRows();
  const good = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order(2), secret: SECRET });
  const forged = await post({ ...good.headers, "x-shopify-hmac-sha256": webhookSignature(good.body, "someone-else") }, good.body);
  expect(forged).toEqual({ status: 401, text: "invalid webhook signature" });

  const notJson = "{not json";
  expect(await post({ ...good.headers, "x-shopify-hmac-sha256": webhookSignature(notJson, SECRET) }, notJson)).toEqual({ status: 400, text: "body is not valid JSON" });

  const huge = JSON.stringify({ ...order(3), note: "x".repeat(LIMIT) });
  expect(await post({ ...good.headers, "x-shopify-hmac-sha256": webhookSignature(huge, SECRET) }, huge)).toEqual({ status: 413, text: `body larger than ${LIMIT} bytes` });

  const wrongMethod = await fetch(`${base}/webhooks`);
  expect(wrongMethod.status).toBe(405);
  expect(await wrongMethod.text()).not.toMatch(/\bat \S+:\d+/);
  expect(await inboxRows()).toBe(before);
});

test("a sender that hangs up half-way through the body leaves no row, and the next delivery is served", async () => {
  const before = await inboxRows();
  const cut = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order(4), secret: SECRET });
  await new Promise<void>((resolve) => {
    const url = new URL(`${base}/webhooks`);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { ...cut.headers, "content-length": String(cut.body.length) } });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(cut.body.slice(0, 100), () => setTimeout(() => req.destroy(), 100));
  });
  const next = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order(5), secret: SECRET });
  expect(await post(next.headers, next.body)).toEqual({ status: 200, text: "received" });
  expect(await inboxRows()).toBe(before + 1);
});
