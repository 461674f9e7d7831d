/**
 * POST /webhooks fed random, malformed, oversized and boundary input through the real route, on a real
 * PostgreSQL: every refusal is a 4xx with a reason, never a 5xx or a stack trace, and nothing refused is stored.
 * Whatever is accepted can be read back by the worker.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { webhookPayloads, WEBHOOK_TOPICS, type WebhookTopic } from "~/shopify/webhooks/payloads";
import { webhookSignature } from "~/shopify/webhooks/verify.server";
import { SAMPLES_DIR, samplePayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { TEST_SECRET, useAppEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { hostileText, hostileValue, jsonPaths, RAW_MARKER, rawJsonLiteral, replaceAt, UNSTORABLE_JSON } from "./arbitraries";

const SHOP = "hostile-webhooks.myshopify.com";
const SAMPLED_TOPICS = WEBHOOK_TOPICS.filter((topic) => existsSync(resolve(SAMPLES_DIR, `${topic.replace("/", "__")}.json`)));
const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"];

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

function post(headers: Record<string, string>, body: string | Buffer): Promise<Response> {
  return action({ request: new Request("http://localhost/webhooks", { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) }) });
}

async function inboxCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from "WebhookInbox"`);
  return rows[0].n;
}

/** A signed delivery of `body` (already JSON text) with Shopify's headers. */
function signedRaw(topic: string, body: string, eventId: string): { headers: Record<string, string>; body: string } {
  const { headers } = signedDelivery({ topic, shop: SHOP, payload: null, secret: TEST_SECRET, eventId });
  return { headers: { ...headers, "x-shopify-hmac-sha256": webhookSignature(body, TEST_SECRET) }, body };
}

let sequence = 0;
const nextEventId = () => `hostile-${process.pid}-${(sequence += 1)}`;

/** What every answer must look like: a 2xx or a 4xx with a reason in plain words, never a server error. */
async function expectCleanAnswer(response: Response): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBeLessThan(500);
  if (response.status >= 400) {
    expect(text.length).toBeGreaterThan(3);
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  }
  return text;
}

describe("unsigned and forged deliveries", () => {
  test("random bodies with random Shopify-looking headers and no valid signature: 401 with a reason, nothing stored", async () => {
    const before = await inboxCount();
    const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4_096 }),
        fc.dictionary(fc.constantFrom(...REQUIRED_HEADERS, "x-shopify-event-id", "x-shopify-triggered-at", "content-type"), headerValue),
        fc.option(headerValue, { nil: undefined }),
        async (body, headers, signature) => {
          const response = await post(signature === undefined ? headers : { ...headers, "x-shopify-hmac-sha256": signature }, Buffer.from(body));
          expect(response.status).toBe(401);
          expect(await response.text()).toMatch(/signature/);
        },
      ),
      { numRuns: 300 },
    );
    expect(await inboxCount()).toBe(before);
  });

  test("a genuine delivery whose body, topic or shop is altered after signing: 401", async () => {
    const before = await inboxCount();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLED_TOPICS), fc.nat(), fc.integer({ min: 1, max: 255 }), async (topic, position, flip) => {
        const delivery = signedDelivery({ topic, shop: SHOP, payload: samplePayload(topic), secret: TEST_SECRET });
        const bytes = Buffer.from(delivery.body);
        bytes[position % bytes.length] ^= flip;
        const response = await post(delivery.headers, bytes);
        expect(response.status).toBe(401);
      }),
      { numRuns: 200 },
    );
    expect(await inboxCount()).toBe(before);
  });
});

describe("signed deliveries with hostile headers", () => {
  test("a missing, empty or malformed required header: 400 naming the problem, nothing stored", async () => {
    const before = await inboxCount();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REQUIRED_HEADERS, "x-shopify-triggered-at"),
        fc.oneof(fc.constant(null), hostileText.filter((text) => text.length < 300)),
        async (header, value) => {
          const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: TEST_SECRET, eventId: nextEventId() });
          const headers = { ...delivery.headers };
          if (value === null) delete headers[header];
          else {
            // Header values are Latin-1 on the wire: what a client can send at all.
            const wire = [...value].filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) <= 0xff && char !== "\u007f").join("");
            headers[header] = wire;
          }
          const response = await post(headers, delivery.body);
          const text = await expectCleanAnswer(response);
          if (response.status === 200) {
            // Only values a real delivery may carry get through.
            const sent = (headers[header] ?? "").trim();
            if (header === "x-shopify-topic") expect(sent).toBe("orders/paid");
            if (header === "x-shopify-shop-domain") expect(sent.toLowerCase()).toMatch(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/);
            if (header === "x-shopify-triggered-at" && sent) expect(Number.isNaN(new Date(sent).getTime())).toBe(false);
            await db.pool.query(`delete from "WebhookInbox" where "eventId" = $1`, [headers["x-shopify-event-id"]]);
          } else {
            expect(response.status).toBe(400);
            expect(text).toMatch(/X-Shopify|topic/);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(await inboxCount()).toBe(before);
  });

  test("shop domains that are not a shop's own: 400", async () => {
    const foreign = ["evil.example.com", "shop.myshopify.com.evil.com", "shop.myshopify.com/", "-shop.myshopify.com", "myshopify.com", "shop.myshopify.co", "sh op.myshopify.com", "shop..myshopify.com", "xn--.myshopify.com.", "shop.myshopify.com:443"];
    for (const shop of foreign) {
      const delivery = signedDelivery({ topic: "orders/paid", shop, payload: samplePayload("orders/paid"), secret: TEST_SECRET });
      const response = await post(delivery.headers, delivery.body);
      expect(response.status, shop).toBe(400);
      expect(await response.text()).toMatch(/Shop-Domain/);
    }
  });
});

describe("signed deliveries with hostile bodies", () => {
  test("any JSON document for any topic: accepted only when it has the topic's shape, else 400 with the field, nothing stored", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WEBHOOK_TOPICS), fc.jsonValue({ maxDepth: 6 }), async (topic, document) => {
        const before = await inboxCount();
        const delivery = signedRaw(topic, JSON.stringify(document), nextEventId());
        const response = await post(delivery.headers, delivery.body);
        const text = await expectCleanAnswer(response);
        if (webhookPayloads[topic].safeParse(document).success) expect(response.status).toBe(200);
        else {
          expect(response.status).toBe(400);
          expect(text).toMatch(new RegExp(`^invalid ${topic} payload: `));
          expect(await inboxCount()).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("bodies that are not JSON at all: 400, nothing stored", async () => {
    const before = await inboxCount();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: "binary", maxLength: 2_000 }), fc.constantFrom("", "{", "[1,]", "{'a':1}", "NaN", "undefined", "\ufeff{}", "{\"a\":1}{\"b\":2}")),
        async (body) => {
          fc.pre(!isJson(body));
          const delivery = signedRaw("orders/paid", body, nextEventId());
          const response = await post(delivery.headers, delivery.body);
          expect(response.status).toBe(400);
          expect(await response.text()).toBe("body is not valid JSON");
        },
      ),
      { numRuns: 200 },
    );
    expect(await inboxCount()).toBe(before);
  });

  test("Shopify's sample with any one value replaced by a hostile one: 200 or a 400 naming the field; what is accepted, the worker can read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLED_TOPICS), fc.nat(), hostileValue, async (topic, pick, value) => {
        const sample = samplePayload(topic);
        const paths = jsonPaths(sample);
        const document = replaceAt(sample, paths[pick % paths.length], value);
        await expectAcceptedOrRefused(topic, JSON.stringify(document), document);
      }),
      { numRuns: 400 },
    );
  });

  test("number literals and nesting beyond what JavaScript and PostgreSQL represent, anywhere in the sample: 200 or 400, never 5xx", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLED_TOPICS), fc.nat(), rawJsonLiteral, async (topic, pick, literal) => {
        const sample = samplePayload(topic);
        const paths = jsonPaths(sample);
        const body = JSON.stringify(replaceAt(sample, paths[pick % paths.length], RAW_MARKER)).replace(JSON.stringify(RAW_MARKER), literal);
        await expectAcceptedOrRefused(topic, body, JSON.parse(body));
      }),
      { numRuns: 150 },
    );
  });
});

async function expectAcceptedOrRefused(topic: WebhookTopic, body: string, document: unknown): Promise<void> {
  const eventId = nextEventId();
  const delivery = signedRaw(topic, body, eventId);
  const response = await post(delivery.headers, delivery.body);
  const text = await expectCleanAnswer(response);
  const { rows } = await db.pool.query<{ payload: unknown }>(`select payload from "WebhookInbox" where "eventId" = $1`, [eventId]);
  if (response.status === 200) {
    expect(rows).toHaveLength(1);
    // The worker parses the stored copy with the same schema: accepting what it then cannot read would strand it.
    expect(webhookPayloads[topic].safeParse(rows[0].payload).success).toBe(true);
  } else {
    expect(response.status).toBe(400);
    expect(text).toMatch(new RegExp(`^invalid ${topic} payload: `));
    // Refused for its shape, or because PostgreSQL cannot store it.
    if (!text.includes("cannot be stored")) expect(webhookPayloads[topic].safeParse(document).success).toBe(false);
    expect(rows).toHaveLength(0);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("JSON that PostgreSQL cannot store", () => {
  test.each(UNSTORABLE_JSON)("$name: refused with a 400, and the deliveries committed with it are accepted", async ({ text }) => {
    const body = JSON.stringify({ ...samplePayload("orders/paid"), note: RAW_MARKER }).replace(JSON.stringify(RAW_MARKER), text);
    const poisoned = signedRaw("orders/paid", body, nextEventId());
    const healthy = Array.from({ length: 5 }, () => signedRaw("orders/paid", JSON.stringify(samplePayload("orders/paid")), nextEventId()));
    // Sent in the same tick, so they share one group commit.
    const [refused, ...accepted] = await Promise.all([poisoned, ...healthy].map((delivery) => post(delivery.headers, delivery.body)));
    expect(accepted.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^invalid orders\/paid payload: cannot be stored/);
  });
});
