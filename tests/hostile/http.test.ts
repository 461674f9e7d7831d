/**
 * The real web process in production mode, spoken to over raw HTTP: bodies over the limit (declared or
 * streamed), lying lengths, oversized headers, wrong methods and random paths. Every answer is a 4xx with a
 * reason or a normal page — never a 5xx, never a stack trace — and nothing is recorded.
 */
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { samplePayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { AppCluster, FAULT_SECRET, type AppProcess } from "../faults/support/cluster";

const LIMIT = 64 * 1024;
const SHOP = "hostile-http.myshopify.com";

let db: TestDatabase;
let cluster: AppCluster;
let web: AppProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  cluster = new AppCluster({
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    SHOPIFY_API_KEY: "hostile-http-key",
    SHOPIFY_API_SECRET: FAULT_SECRET,
    SHOPIFY_APP_URL: "https://hostile-http.example.com",
    SCOPES: "read_orders",
    MAX_REQUEST_BYTES: String(LIMIT),
    LOG_LEVEL: "error",
  });
  web = await cluster.startWeb();
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await db?.drop();
});

interface RawAnswer {
  status: number;
  body: string;
}

/** One request over a fresh connection; `write` streams the body as it likes (no Content-Length unless given). */
function raw(options: { method?: string; path: string; headers?: Record<string, string | number>; write?: (req: ReturnType<typeof httpRequest>) => void }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const { port, hostname } = new URL(web.base);
    const req = httpRequest({ host: hostname, port, method: options.method ?? "POST", path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    // The server may answer and close before the whole body is sent: that answer is the one we want. When it
    // closes without answering, the answer is "none" (status 0).
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
      else setTimeout(() => resolve({ status: 0, body: error.code! }), 1_000);
    });
    if (options.write) options.write(req);
    else req.end();
  });
}

async function inboxCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from "WebhookInbox"`);
  return rows[0].n;
}

function expectNoLeak(answer: RawAnswer): void {
  expect(answer.body).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // a stack frame
  expect(answer.body).not.toMatch(/node_modules|\/work\/|ECONNREFUSED|prisma/i);
}

describe("request bodies over the limit", () => {
  test("a declared Content-Length over the limit: 413 before the body is read", async () => {
    const before = await inboxCount();
    const answer = await raw({ path: "/webhooks", headers: { "content-type": "application/json", "content-length": LIMIT * 10 }, write: (req) => req.write("{") });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than/);
    expect(await inboxCount()).toBe(before);
  });

  test("a chunked body that grows past the limit: refused (413, or the connection closed) once the limit is reached, nothing stored", async () => {
    const before = await inboxCount();
    const chunk = Buffer.alloc(8 * 1024, "a");
    const answer = await raw({
      path: "/webhooks",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      write: (req) => {
        for (let sent = 0; sent <= LIMIT * 4; sent += chunk.length) req.write(chunk);
        req.end();
      },
    });
    // Reading stops at the limit: the app answers 413, or (today) the cancelled body stream closes the connection.
    expect([413, 0]).toContain(answer.status);
    expect(await inboxCount()).toBe(before);
    expect((await raw({ method: "GET", path: "/healthz" })).status).toBe(200);
  });

  test("a genuine delivery padded past the limit: 413, nothing stored; the same delivery unpadded: 200", async () => {
    const before = await inboxCount();
    const padded = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: { ...samplePayload("orders/paid"), note: "x".repeat(LIMIT) }, secret: FAULT_SECRET });
    const tooBig = await raw({ path: "/webhooks", headers: padded.headers, write: (req) => req.end(padded.body) });
    expect(tooBig.status).toBe(413);
    expect(await inboxCount()).toBe(before);
    const fine = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: FAULT_SECRET });
    expect((await raw({ path: "/webhooks", headers: fine.headers, write: (req) => req.end(fine.body) })).status).toBe(200);
    expect(await inboxCount()).toBe(before + 1);
  });

  test("a Content-Length smaller than the body sent: the signature covers what was declared, so 401 or 400, never 5xx", async () => {
    const delivery = signedDelivery({ topic: "orders/paid", shop: SHOP, payload: samplePayload("orders/paid"), secret: FAULT_SECRET });
    const answer = await raw({ path: "/webhooks", headers: { ...delivery.headers, "content-length": 10 }, write: (req) => req.end(delivery.body) });
    expect([400, 401]).toContain(answer.status);
  });
});

describe("headers, methods and paths", () => {
  test("headers larger than the server accepts: 431", async () => {
    const answer = await raw({ method: "GET", path: "/healthz", headers: { "x-padding": "p".repeat(20 * 1024) } });
    expect(answer.status).toBe(431);
  });

  test.each(["GET", "PUT", "DELETE", "PATCH"])("%s /webhooks: 405", async (method) => {
    const answer = await raw({ method, path: "/webhooks" });
    expect(answer.status).toBe(405);
  });

  test("random paths, methods and query strings: never a 5xx or a stack trace", async () => {
    const segment = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~%/?#[]@!$&'()*+,;=".split("")), maxLength: 20 }),
      fc.constantFrom("app", "proxy", "api", "extension", "webhooks", "auth", "demo", "session-token", "healthz", "..", "%2e%2e", "%zz", "%00", "%ff", "%c0%af", "__data", "_root.data", "assets", "build"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE"), fc.array(segment, { minLength: 1, maxLength: 4 }), async (method, segments) => {
        const path = `/${segments.join("/")}`;
        fc.pre(!/[\s]/.test(path));
        const answer = await raw({ method, path, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/153.0.0.0 Safari/537.36" } });
        expect(answer.status, `${method} ${path}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
        expectNoLeak(answer);
      }),
      { numRuns: 150 },
    );
  });
});
