/**
 * The nightly refit as it runs in the worker: requested (never twice at once), picked up by pg-boss, fitted and
 * scored with progress, metrics stored, and risks and segments sent to the fake Admin API — metafields and tags
 * for everyone, a Flow trigger only for customers whose risk changed; a refusal or an outage loses nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { countScoresAwaitingSync, scoresAwaitingSync } from "~/data/churn/scores.server";
import { startQueue, type Queue } from "~/jobs/queue.server";
import { NIGHTLY_CRON, requestRefit, startChurnJobs } from "~/services/churn/jobs.server";
import { CHURN_NIGHTLY_QUEUE } from "~/services/churn/queues.server";
import { churnTags, RISK_CHANGED_TRIGGER, syncScoresToShopify } from "~/services/churn/shopify-sync.server";
import { customerGid } from "~/services/loyalty/shopify-rewards.server";
import { createAdminClient } from "~/shopify/admin/client.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { customerTags, flowTriggers } from "../../../scripts/fake-shopify/churn-resolvers";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createShop, insertOrderFacts, type TestOrder } from "./support";

const SHOP = "refit-run.myshopify.com";
const DAY = 86_400_000;
const DAY_ZERO = Date.UTC(2025, 0, 1);
const at = (day: number) => new Date(DAY_ZERO + day * DAY + 10 * 3_600_000);

let db: TestDatabase;
let queue: Queue;
let fake: FakeAdminApi;
let shopId: number;
let now = at(305);

/** Regulars buy every 20 days until day 300 and then stop; steady customers keep buying; one-timers bought once. */
function history(lastDay: number): TestOrder[] {
  const orders: TestOrder[] = [];
  const buy = (customerId: string, day: number) => orders.push({ orderId: `${customerId}-${day}`, customerId, orderedAt: at(day), amountMinor: 2_000 + (Number(customerId) % 7) * 500 });
  for (let c = 0; c < 60; c += 1) for (let day = c % 20; day <= Math.min(300, lastDay); day += 20) buy(String(1_000 + c), day);
  for (let c = 0; c < 40; c += 1) for (let day = c % 15; day <= lastDay; day += 15) buy(String(2_000 + c), day);
  for (let c = 0; c < 30; c += 1) buy(String(3_000 + c), 100 + c);
  return orders;
}

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await startQueue(db.pool, { maxAttempts: 3, expireSeconds: 60, maintenanceSeconds: 1 });
  fake = await startFakeAdminApi(fakeAdminResolvers);
  shopId = await createShop(db.pool, SHOP);
  await insertOrderFacts(db.pool, shopId, history(305));
  const admin = createAdminClient({ shop: SHOP, accessToken: "test-token" }, { origin: fake.origin, maxAttempts: 2, sleep: async () => undefined });
  await startChurnJobs({ database: db, boss: queue, adminFor: async () => admin, secret: "test-secret", clock: () => now });
});
afterAll(async () => {
  await queue.stop({ graceful: false, wait: true });
  await fake.close();
  await db.drop();
});

async function finished(runId: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await db.prisma.churnRun.findUniqueOrThrow({ where: { id: runId } });
    if (run.status === "succeeded" || run.status === "failed") return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} (${run.stage})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const scores = async () => new Map((await db.prisma.customerChurnScore.findMany({ where: { shopId } })).map((s) => [s.customerId, s]));
const metafield = (customerId: string, key: string) => fake.state.metafields?.get(`${customerGid(customerId)}|retention.${key}`)?.value;

describe("refit runs", () => {
  let firstRisks: Map<string, string>;

  test("a requested run is queued once, scored with progress, and everyone's risk and segment reach Shopify", async () => {
    const first = await requestRefit({ database: db, boss: queue, shop: { id: shopId, domain: SHOP }, trigger: "manual", now });
    const again = await requestRefit({ database: db, boss: queue, shop: { id: shopId, domain: SHOP }, trigger: "manual", now });
    expect(first.created).toBe(true);
    expect(again).toEqual({ runId: first.runId, created: false });

    const run = await finished(first.runId);
    expect(run).toMatchObject({ status: "succeeded", stage: "done", error: null, customers: 130, timeUnit: "days", processed: 130, total: 130 });
    expect(run.bgNbd).toMatchObject({ converged: true });
    expect(run.metrics).toMatchObject({ lost: { kind: "noOrderWithin", days: 90 } });
    expect(Object.keys(run.timings as object).sort()).toEqual(["metricsMs", "readAndFitMs", "scoreMs", "syncMs"]);

    const stored = await scores();
    expect(stored.size).toBe(130);
    for (const [customerId, score] of stored) {
      expect(metafield(customerId, "churn_risk")).toBe(score.riskLevel);
      expect(metafield(customerId, "rfm_segment")).toBe(score.segment);
      expect([...(customerTags(fake.state).get(customerGid(customerId)) ?? [])].sort()).toEqual(churnTags(score).sort());
    }
    expect(flowTriggers(fake.state)).toEqual([]); // nothing had a risk before: nothing changed
    expect(await countScoresAwaitingSync(db.pool, shopId)).toBe(0);
    firstRisks = new Map([...stored].map(([id, s]) => [id, s.riskLevel]));
  });

  test("150 days later, a Flow trigger for exactly the customers whose risk changed; a customer Shopify refuses waits for the next sync", async () => {
    now = at(455);
    await insertOrderFacts(db.pool, shopId, history(455).filter((order) => order.orderedAt > at(305)));
    fake.injectFault("TagsAdd", { userErrors: [{ field: ["tags"], message: "Customer is locked" }] }, 1);
    const { runId } = await requestRefit({ database: db, boss: queue, shop: { id: shopId, domain: SHOP }, trigger: "nightly", now });
    expect((await finished(runId)).status).toBe("succeeded");

    const stored = await scores();
    const changed = [...stored].filter(([id, score]) => firstRisks.get(id) !== score.riskLevel).map(([id]) => id);
    expect(changed.length).toBeGreaterThan(10); // the regulars who stopped at day 300
    expect(changed.every((id) => id.startsWith("1"))).toBe(true);
    const triggered = flowTriggers(fake.state);
    expect(triggered.every((call) => call.handle === RISK_CHANGED_TRIGGER)).toBe(true);
    // The refused customer is still waiting, and has no trigger yet if their risk changed.
    const waiting = await scoresAwaitingSync(db.pool, shopId, "", 10);
    expect(waiting).toHaveLength(1);
    expect(triggered.map((call) => String(call.payload.customer_id)).sort()).toEqual(changed.filter((id) => id !== waiting[0].customerId).sort());
    const ann = triggered[0].payload;
    expect(ann).toMatchObject({ "Previous risk level": firstRisks.get(String(ann.customer_id)), "Risk level": stored.get(String(ann.customer_id))!.riskLevel });

    await syncScoresToShopify({ database: db, admin: createAdminClient({ shop: SHOP, accessToken: "t" }, { origin: fake.origin }), shopId, now });
    expect(await countScoresAwaitingSync(db.pool, shopId)).toBe(0);
    expect(flowTriggers(fake.state).map((call) => String(call.payload.customer_id)).sort()).toEqual([...changed].sort());
    for (const [customerId, score] of stored) {
      expect([...customerTags(fake.state).get(customerGid(customerId))!].sort(), customerId).toEqual(churnTags(score).sort());
    }
  });

  test("when Shopify is down the run fails with the reason, and the scores and metrics it made are kept", async () => {
    now = at(600);
    fake.injectFault("MetafieldsSet", "server_error", 50);
    const { runId } = await requestRefit({ database: db, boss: queue, shop: { id: shopId, domain: SHOP }, trigger: "manual", now });
    const run = await finished(runId);
    expect(run.status).toBe("failed");
    expect(run.error).toContain("Shopify answered 502");
    expect(run.metrics).not.toBeNull();
    expect([...(await scores()).values()].every((score) => score.runId === runId)).toBe(true);
    expect(await countScoresAwaitingSync(db.pool, shopId)).toBeGreaterThan(0);
  });

  test("the nightly refit is scheduled", async () => {
    const { rows } = await db.pool.query(`select cron, timezone from pgboss.schedule where name = $1`, [CHURN_NIGHTLY_QUEUE]);
    expect(rows).toEqual([{ cron: NIGHTLY_CRON, timezone: "UTC" }]);
  });
});
