/**
 * The worker against a real PostgreSQL and pg-boss: rows are processed once, failures are kept and replayable,
 * and a worker killed mid-row loses nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inTransaction } from "~/data/db.server";
import { listFailed, reopenFailed } from "~/data/inbox.server";
import { markShopInstalled } from "~/data/shops.server";
import type { BatchHandlerRegistry, HandlerRegistry } from "~/jobs/handlers.server";
import { enqueueInboxRows, startQueue, type Queue } from "~/jobs/queue.server";
import { InboxWriter } from "~/shopify/webhooks/inbox-writer.server";
import { processInboxRow, startWorker } from "~/jobs/worker.server";
import { receiveWebhook } from "~/shopify/webhooks/intake.server";
import { samplePayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { useAppEnv } from "../support/app-env";

const SECRET = "worker-test-secret";
let db: TestDatabase;
let queue: Queue;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await startQueue(db.pool, { maxAttempts: 3, expireSeconds: 2, maintenanceSeconds: 1 });
  useAppEnv(db.url); // the registry's handlers reach the app's configuration
});
afterAll(async () => {
  await queue.stop({ graceful: false, wait: true });
  await db.drop();
});

async function deliver(shop: string, topic: string, payload = samplePayload(topic)) {
  const delivery = signedDelivery({ topic, shop, payload, secret: SECRET });
  const result = await receiveWebhook({ inbox: new InboxWriter(db.pool, queue), secret: SECRET }, new Headers(delivery.headers), Buffer.from(delivery.body));
  expect(result.status).toBe(200);
  return result.inboxId!;
}

async function inboxRow(id: string) {
  const { rows } = await db.pool.query(`select status, attempts, "lastError" from "WebhookInbox" where id = $1`, [id]);
  return rows[0];
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const { rows } = await db.pool.query(`select i.status, i.attempts, i."lastError", j.state, j.retry_count from "WebhookInbox" i left join pgboss.job j on j.data->>'inboxId' = i.id::text`);
      throw new Error(`condition not reached in time: ${JSON.stringify(rows)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("processing inbox rows", () => {
  test("app/uninstalled marks the shop uninstalled and deletes its sessions; a second run changes nothing", async () => {
    const shop = "uninstall-me.myshopify.com";
    await markShopInstalled(db, shop);
    await db.prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "x", accessToken: "secret-token" } });
    const id = await deliver(shop, "app/uninstalled");
    const now = new Date("2026-11-01T00:00:00Z");
    const { topicHandlers } = await import("~/jobs/registry.server");
    expect(await processInboxRow(db, topicHandlers, id, now)).toBe("processed");
    expect(await processInboxRow(db, topicHandlers, id, now)).toBe("skipped");
    const saved = await db.prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(saved.uninstalledAt).toEqual(now);
    expect(await db.prisma.session.count({ where: { shop } })).toBe(0);
    expect(await inboxRow(id)).toMatchObject({ status: "processed", attempts: 1 });
  });

  test("a handler that keeps failing leaves the row failed with its error, and a replay processes it", async () => {
    const shop = "flaky.myshopify.com";
    let failuresLeft = 3;
    const handlers: HandlerRegistry = {
      "customers/create": async () => {
        if (failuresLeft-- > 0) throw new Error("customer service unavailable");
      },
    };
    const id = await deliver(shop, "customers/create");
    // Process by hand the way the worker does, three times (the queue's attempts).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(processInboxRow(db, handlers, id, new Date())).rejects.toThrow("customer service unavailable");
      const { recordFailure } = await import("~/data/inbox.server");
      await recordFailure(db.pool, id, "customer service unavailable", 3);
    }
    expect(await inboxRow(id)).toMatchObject({ status: "failed", attempts: 3, lastError: "customer service unavailable" });
    const shopId = (await db.prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
    expect((await listFailed(db.pool, shopId)).map((row) => row.id)).toEqual([id]);

    const reopened = await inTransaction(db.pool, async (tx) => {
      const ids = await reopenFailed(tx, shopId);
      await enqueueInboxRows(queue, tx, ids);
      return ids;
    });
    expect(reopened).toEqual([id]);
    await startWorker(db, queue, handlers, { concurrency: 2, maxAttempts: 3 });
    await until(async () => (await inboxRow(id)).status === "processed");
  });
});

describe("processing in batches", () => {
  const orderIdOf = (payload: unknown) => Number((payload as { id: number }).id);

  test("a batch handler's rows are processed with it, the rest one by one, each once; a failing batch falls back to one by one", async () => {
    await queue.offWork("webhook-inbox");
    const shop = "batches.myshopify.com";
    const ids: string[] = [];
    for (let n = 1; n <= 12; n += 1) ids.push(await deliver(shop, "orders/paid", { ...samplePayload("orders/paid"), id: 7_000 + n, admin_graphql_api_id: `gid://shopify/Order/${7_000 + n}` }));
    const one: number[] = [];
    const batched: number[] = [];
    const handlers: HandlerRegistry = { "orders/paid": async ({ payload }) => void one.push(orderIdOf(payload)) };
    let fail = true;
    const batchHandlers: BatchHandlerRegistry = {
      "orders/paid": async ({ rows }) => {
        if (fail) {
          fail = false;
          throw new Error("deadlock detected");
        }
        const even = rows.filter((row) => orderIdOf(row.payload) % 2 === 0);
        batched.push(...even.map((row) => orderIdOf(row.payload)));
        return new Set(even.map((row) => row.id));
      },
    };
    await startWorker(db, queue, handlers, { concurrency: 2, maxAttempts: 3, batchHandlers });
    await until(async () => (await Promise.all(ids.map(inboxRow))).every((row) => row.status === "processed"));
    await queue.offWork("webhook-inbox");

    // The first chunk failed and went one by one; the other chunk's even orders went with the batch.
    expect(batched.length).toBeGreaterThan(0);
    expect([...one, ...batched].sort()).toEqual(Array.from({ length: 12 }, (_, i) => 7_001 + i));
    expect(batched.every((id) => id % 2 === 0)).toBe(true);
    for (const id of ids) expect(await inboxRow(id)).toMatchObject({ status: "processed", attempts: 1, lastError: null });
  });
});

describe("a worker killed mid-row", () => {
  const workers: ChildProcess[] = [];
  afterAll(() => workers.forEach((w) => w.kill("SIGKILL")));

  function spawnWorker(hang: boolean): Promise<ChildProcess> {
    // node itself with tsx as a loader (not the tsx CLI, which runs the script in a grandchild a kill would miss).
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/worker-process.ts"], {
      env: { ...process.env, DATABASE_URL: db.url, HANG: hang ? "1" : "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    workers.push(child);
    return new Promise((resolveReady) => {
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line === (hang ? "mid-row" : "worker ready")) resolveReady(child);
      });
    });
  }

  test("rolls back, and the row is processed once after a restart", async () => {
    // Only the child workers process this queue from here on.
    await queue.offWork("webhook-inbox");
    const shop = "crash-test.myshopify.com";
    const id = await deliver(shop, "orders/paid");
    const hung = await spawnWorker(true);
    hung.kill("SIGKILL");
    await new Promise((r) => hung.once("exit", r));

    expect(await inboxRow(id)).toMatchObject({ status: "received", attempts: 0 });
    const shopRow = await db.prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(shopRow.currencyCode).toBe("USD"); // the dead transaction's write is gone

    await spawnWorker(false);
    await until(async () => (await inboxRow(id)).status === "processed");
    expect(await inboxRow(id)).toMatchObject({ status: "processed", attempts: 1 });
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).currencyCode).toBe("EUR");
  });
});
