/**
 * Everything the real web and worker processes write (stdout and stderr, debug level, production mode) while
 * they handle a customer's personal data, the app secret, an access token and session tokens — accepted,
 * refused and malformed — contains none of them.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { mintSessionToken } from "~/shopify/session-token.server";
import { orderPayload, samplePayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { spawnAppProcess, stopProcess, waitForHttp } from "../../scripts/lib/processes";
import { postDelivery } from "../../scripts/lib/replay";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { buildAppOnce, freePort, until } from "../faults/support/cluster";

const tag = randomBytes(4).toString("hex");
const SHOP = `log-check-${tag}.myshopify.com`;
const API_KEY = `log-key-${tag}`;
const SECRET = `log-secret-${randomBytes(12).toString("hex")}`;
const ACCESS_TOKEN = `shpat_${randomBytes(16).toString("hex")}`;
const PERSON = {
  email: `jane.leak.${tag}@example.com`,
  firstName: `Zanzibarina${tag}`,
  lastName: `Quixotica${tag}`,
  phone: `+1555${String(parseInt(tag, 16)).padStart(7, "0").slice(0, 7)}`,
  address: `742 Evergreen ${tag} Terrace`,
};

let db: TestDatabase;
let base: string;
const processes: ChildProcess[] = [];
let output = "";

/** The app process with its log lines (stdout) and stderr kept: they are what this test reads. */
function spawnCapturing(kind: "web" | "worker", env: { DATABASE_URL: string } & Record<string, string>): ChildProcess {
  const child = spawnAppProcess(kind, env, { capture: true });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  processes.push(child);
  return child;
}

beforeAll(async () => {
  await buildAppOnce();
  db = await createTestDatabase();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    PORT: String(port),
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: base,
    SCOPES: "read_orders,read_customers",
    LOG_LEVEL: "debug",
    JOB_EXPIRE_SECONDS: "3",
    JOB_MAINTENANCE_SECONDS: "1",
  };
  // The shop's offline session holds an access token, as after a real install.
  await db.pool.query(`insert into "Session" (id, shop, state, "isOnline", scope, "accessToken") values ($1, $2, 'installed', false, $3, $4)`, [`offline_${SHOP}`, SHOP, env.SCOPES, ACCESS_TOKEN]);
  spawnCapturing("web", env);
  spawnCapturing("worker", env);
  await waitForHttp(`${base}/healthz`, 90_000);
}, 300_000);
afterAll(async () => {
  await Promise.all(processes.map((child) => stopProcess(child, "SIGKILL")));
  await db?.drop();
});

test("no secret, token or personal data reaches the logs, whatever the requests", { timeout: 180_000 }, async () => {
  const customer = { ...samplePayload("customers/create"), id: 4_242_424, email: PERSON.email, first_name: PERSON.firstName, last_name: PERSON.lastName, phone: PERSON.phone };
  customer.default_address = { ...customer.default_address, address1: PERSON.address, phone: PERSON.phone, first_name: PERSON.firstName, last_name: PERSON.lastName };
  const order = orderPayload({ orderId: 31_337, customerId: 4_242_424, email: PERSON.email, firstName: PERSON.firstName, lastName: PERSON.lastName, createdAt: new Date(), subtotalMinor: 12_345 });
  order.note = `Call ${PERSON.phone}, ${PERSON.address}`;
  order.shipping_address = { ...order.shipping_address, address1: PERSON.address, phone: PERSON.phone };
  const privacy = { shop_id: 1, shop_domain: SHOP, customer: { id: 4_242_424, email: PERSON.email, phone: PERSON.phone }, orders_requested: [31_337], orders_to_redact: [31_337] };

  const accepted = [
    signedDelivery({ topic: "customers/create", shop: SHOP, payload: customer, secret: SECRET }),
    signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order, secret: SECRET }),
    signedDelivery({ topic: "customers/data_request", shop: SHOP, payload: privacy, secret: SECRET }),
    signedDelivery({ topic: "customers/redact", shop: SHOP, payload: privacy, secret: SECRET }),
  ];
  for (const delivery of accepted) expect((await postDelivery(base, delivery)).status).toBe(200);
  const refused = [
    signedDelivery({ topic: "orders/paid", shop: SHOP, payload: order, secret: `not-${SECRET}` }),
    signedDelivery({ topic: "orders/paid", shop: SHOP, payload: { ...order, customer: { ...order.customer, id: PERSON.email } }, secret: SECRET }),
    signedDelivery({ topic: "customers/create", shop: SHOP, payload: { ...customer, id: null, note: PERSON.address }, secret: SECRET }),
  ];
  for (const delivery of refused) expect((await postDelivery(base, delivery)).status).toBeGreaterThanOrEqual(400);

  // Session tokens (valid, expired, forged) and signed App Proxy queries for the shop's customer.
  const token = await mintSessionToken({ shop: SHOP, apiKey: API_KEY, secret: SECRET, sub: "gid://shopify/Customer/4242424" });
  const expired = await mintSessionToken({ shop: SHOP, apiKey: API_KEY, secret: SECRET, sub: "gid://shopify/Customer/4242424", now: new Date(Date.now() - 86_400_000) });
  const forged = await mintSessionToken({ shop: SHOP, apiKey: API_KEY, secret: `x${SECRET}`, sub: PERSON.email });
  const proxy = signAppProxyQuery({ shop: SHOP, logged_in_customer_id: "4242424", path_prefix: "/apps/rewards", email: PERSON.email }, SECRET, new Date());
  const host = Buffer.from(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`).toString("base64url");
  const chrome = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36" };
  const requests: [string, RequestInit][] = [
    [`/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${token}`, { headers: chrome }],
    [`/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${forged}`, { headers: chrome }],
    [`/app/customers?embedded=1&shop=${SHOP}&host=${host}&id_token=${expired}&query=${encodeURIComponent(PERSON.email)}`, { headers: chrome }],
    [`/proxy/program?${proxy}`, {}],
    [`/proxy/redeem?${proxy}`, { method: "POST", body: JSON.stringify({ rewardId: PERSON.email }), headers: { "content-type": "application/json" } }],
    [`/api/extension/program`, { headers: { authorization: `Bearer ${token}` } }],
    [`/api/extension/redeem`, { method: "POST", body: JSON.stringify({ rewardId: "1" }), headers: { authorization: `Bearer ${forged}`, "content-type": "application/json" } }],
    [`/api/extension/program`, { headers: { authorization: `Bearer ${expired}` } }],
  ];
  for (const [path, init] of requests) await fetch(`${base}${path}`, { ...init, redirect: "manual" }).then((response) => response.arrayBuffer());

  await until(
    async () => (await db.pool.query(`select 1 from "WebhookInbox" where status = 'received' limit 1`)).rowCount === 0,
    async () => JSON.stringify((await db.pool.query(`select topic, status, "lastError" from "WebhookInbox"`)).rows),
  );
  await Promise.all(processes.map((child) => stopProcess(child, "SIGTERM")));

  // The run did log (the processes started, debug level), so an empty capture cannot pass for a clean one.
  expect(output).toMatch(/"msg":"web process listening"/);
  expect(output).toMatch(/"msg":"worker started"/);
  const secrets = { SECRET, ACCESS_TOKEN, token, expired, forged, signature: proxy.get("signature")!, hmac: accepted[1].headers["x-shopify-hmac-sha256"], ...PERSON };
  const leaked = Object.entries(secrets).filter(([, value]) => output.toLowerCase().includes(value.toLowerCase()));
  expect(leaked.map(([name]) => name), output.slice(-3_000)).toEqual([]);
});
