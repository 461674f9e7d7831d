/**
 * A loyalty test's world: a real database of its own, a shop with a program, and webhooks delivered the way
 * Shopify sends them (signed, through intake into the inbox) and processed by the worker's own step.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "~/data/db.server";
import { shopIdFor } from "~/data/shops.server";
import type { ProgramSettings, ProgramSettingsInput } from "~/domain/loyalty";
import { startQueue, type Queue } from "~/jobs/queue.server";
import type { BatchHandlerRegistry, HandlerRegistry } from "~/jobs/handlers.server";
import { processInboxBatch, processInboxRow } from "~/jobs/worker.server";
import { updateProgramSettings } from "~/services/loyalty/program.server";
import { InboxWriter } from "~/shopify/webhooks/inbox-writer.server";
import { receiveWebhook } from "~/shopify/webhooks/intake.server";
import type { FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { orderPayload, refundPayload, samplePayload, signedDelivery, type OrderSpec } from "../../../scripts/fake-shopify/webhook-samples";
import { TEST_SECRET, useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";

export { orderPayload, refundPayload, samplePayload };

export interface Delivery {
  topic: string;
  payload: unknown;
  /** The same event id is one inbox row (a redelivery); a fresh one reaches the handler again. */
  eventId?: string;
}

export class LoyaltyWorld {
  private constructor(
    readonly db: Database,
    readonly queue: Queue,
    private readonly inbox: InboxWriter,
    readonly handlers: HandlerRegistry,
    readonly batchHandlers: BatchHandlerRegistry,
  ) {}

  /** Call after useAppEnv: the handlers' modules read the app's configuration when loaded. */
  static async start(db: Database): Promise<LoyaltyWorld> {
    const queue = await startQueue(db.pool, { maxAttempts: 3, expireSeconds: 30, maintenanceSeconds: 60 });
    const { topicBatchHandlers, topicHandlers } = await import("~/jobs/registry.server");
    return new LoyaltyWorld(db, queue, new InboxWriter(db.pool, queue), topicHandlers, topicBatchHandlers);
  }

  async stop(): Promise<void> {
    await this.queue.stop({ graceful: false, wait: true });
  }

  /** Creates the shop with its program switched on (started a year before `now` unless the settings say). */
  async shop(domain: string, now: Date, change: (settings: ProgramSettings) => ProgramSettingsInput = (s) => s): Promise<number> {
    const shopId = await shopIdFor(this.db.pool, domain);
    const startedAt = new Date(now.getTime() - 366 * 86_400_000);
    const result = await updateProgramSettings({ db: this.db.pool, shopId, change: (s) => change({ ...s, enabled: true, startedAt }), now });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return shopId;
  }

  async program(shopId: number, change: (settings: ProgramSettings) => ProgramSettingsInput, now: Date): Promise<void> {
    const result = await updateProgramSettings({ db: this.db.pool, shopId, change, now });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
  }

  /** Records a signed delivery in the inbox; returns its inbox id (null for a redelivery of a recorded event). */
  async deliver(shop: string, delivery: Delivery): Promise<string | null> {
    const signed = signedDelivery({ topic: delivery.topic, shop, payload: delivery.payload, secret: TEST_SECRET, eventId: delivery.eventId ?? randomUUID() });
    const result = await receiveWebhook({ inbox: this.inbox, secret: TEST_SECRET }, new Headers(signed.headers), Buffer.from(signed.body));
    if (result.status !== 200) throw new Error(`delivery refused: ${result.status} ${result.message}`);
    return result.inboxId ?? null;
  }

  /**
   * Runs the worker's step for each row, `lanes` at a time (as concurrent workers would). With `batch`, each lane
   * takes that many rows at a time as the worker does: the batch handlers first, then one by one what they left.
   * Returns how many rows the batch handlers processed.
   */
  async process(inboxIds: readonly (string | null)[], now: Date, lanes = 1, batch = 1): Promise<number> {
    const ids = inboxIds.filter((id): id is string => id !== null);
    let next = 0;
    let batched = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < ids.length) {
          const chunk = ids.slice(next, next + batch);
          next += chunk.length;
          const left = batch > 1 ? await processInboxBatch(this.db, this.batchHandlers, chunk, now) : chunk;
          batched += chunk.length - left.length;
          for (const id of left) await this.processOne(id, now);
        }
      }),
    );
    return batched;
  }

  private async processOne(id: string, now: Date): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await processInboxRow(this.db, this.handlers, id, now);
        return;
      } catch (error) {
        // Two customers' transactions can deadlock (a referral); the queue retries, so does this.
        if (attempt >= 5 || !String(error).includes("deadlock")) throw error;
      }
    }
  }

  /** Records many deliveries, `lanes` at a time (intake commits those arriving together in one transaction). */
  async deliverMany(shop: string, deliveries: readonly Delivery[], lanes = 50): Promise<(string | null)[]> {
    const ids: (string | null)[] = new Array(deliveries.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < deliveries.length) {
          const index = next++;
          ids[index] = await this.deliver(shop, deliveries[index]);
        }
      }),
    );
    return ids;
  }

  async deliverAndProcess(shop: string, deliveries: Delivery[], now: Date): Promise<void> {
    const ids: (string | null)[] = [];
    for (const delivery of deliveries) ids.push(await this.deliver(shop, delivery));
    await this.process(ids, now);
  }

  async customerRow(shopId: number, shopifyCustomerId: string) {
    const { rows } = await this.db.pool.query(
      `select id::text as id, "pointsBalance", "lifetimeSpendMinor"::float8 as "lifetimeSpendMinor", "tierId", "tierSince", "lastActivityAt"
         from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`,
      [shopId, shopifyCustomerId],
    );
    return rows[0] as { id: string; pointsBalance: number; lifetimeSpendMinor: number; tierId: string | null; tierSince: Date | null; lastActivityAt: Date | null } | undefined;
  }

  /** Every customer's cached balance must equal the sum of their ledger rows, and spend the sum of their orders'. */
  async cachedSumsDrift(shopId: number): Promise<unknown[]> {
    const { rows } = await this.db.pool.query(
      `select c.id, c."pointsBalance", coalesce(l.sum, 0) as ledger, c."lifetimeSpendMinor", coalesce(o.sum, 0) as orders
         from "Customer" c
         left join (select "customerId", sum(points) as sum from "LedgerEntry" group by 1) l on l."customerId" = c.id
         left join (select "customerId", sum("spendMinor") as sum from "OrderPoints" group by 1) o on o."customerId" = c.id
        where c."shopId" = $1 and (c."pointsBalance" <> coalesce(l.sum, 0) or c."lifetimeSpendMinor" <> coalesce(o.sum, 0))`,
      [shopId],
    );
    const { rows: orders } = await this.db.pool.query(
      `select o."orderId" from "OrderPoints" o
         left join (select "orderId", sum(points) as sum from "LedgerEntry" where "shopId" = $1 and "orderId" is not null group by 1) l on l."orderId" = o."orderId"
        where o."shopId" = $1 and o."postedPoints" <> coalesce(l.sum, 0)`,
      [shopId],
    );
    return [...rows, ...orders];
  }

  async ledger(shopId: number, shopifyCustomerId: string) {
    const { rows } = await this.db.pool.query(
      `select l.kind, l.points, l."availableAt", l."idempotencyKey", l."orderId" from "LedgerEntry" l join "Customer" c on c.id = l."customerId"
        where l."shopId" = $1 and c."shopifyCustomerId" = $2 order by l.id`,
      [shopId, shopifyCustomerId],
    );
    return rows as { kind: string; points: number; availableAt: Date; idempotencyKey: string; orderId: string | null }[];
  }
}

export interface LoyaltyTestContext {
  db: TestDatabase;
  world: LoyaltyWorld;
}

/**
 * Registers a test file's beforeAll and afterAll: a database of its own, the app's environment pointed at it, a
 * LoyaltyWorld on it and, with `fakeAdmin`, the fake Admin API. The fields of the object returned are set in that
 * beforeAll; a beforeAll the file registers after this call runs after it, and its afterAll before the clean-up.
 */
export function useLoyaltyWorld(options: { fakeAdmin: true }): LoyaltyTestContext & { fake: FakeAdminApi };
export function useLoyaltyWorld(options?: { fakeAdmin?: false }): LoyaltyTestContext;
export function useLoyaltyWorld(options: { fakeAdmin?: boolean } = {}): LoyaltyTestContext & { fake?: FakeAdminApi } {
  const context = {} as LoyaltyTestContext & { fake?: FakeAdminApi };
  beforeAll(async () => {
    context.db = await createTestDatabase();
    useAppEnv(context.db.url);
    context.world = await LoyaltyWorld.start(context.db);
    if (options.fakeAdmin) {
      const { startFakeAdminApi } = await import("../../../scripts/fake-shopify/admin-api");
      const { fakeAdminResolvers } = await import("../../../scripts/fake-shopify/resolvers");
      context.fake = await startFakeAdminApi(fakeAdminResolvers);
    }
  });
  afterAll(async () => {
    await context.fake?.close();
    await context.world?.stop();
    await context.db?.drop();
  });
  return context;
}

/** An orders/* payload for a customer of these tests (names and e-mail derived from the id). */
export function order(spec: Omit<OrderSpec, "email" | "firstName" | "lastName"> & { name?: string }) {
  return orderPayload({ email: spec.customerId ? `c${spec.customerId}@example.com` : undefined, firstName: spec.name ?? "Test", lastName: `Customer${spec.customerId}`, ...spec });
}

