/**
 * Birthday and first-order anniversary moments against a real PostgreSQL and the fake Admin API: a Flow trigger
 * on the day with a single-use code of the customer's own, once per customer, kind and year; 29 February is
 * celebrated on the 28th in common years; the nightly job does it for every shop.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inTransaction } from "~/data/db.server";
import { saveBirthday, upsertAndLockCustomer } from "~/data/loyalty/customers.server";
import { startQueue, type Queue } from "~/jobs/queue.server";
import { startChurnJobs } from "~/services/churn/jobs.server";
import { celebrateMoments, MOMENT_TRIGGERS } from "~/services/churn/moments.server";
import { CHURN_NIGHTLY_QUEUE } from "~/services/churn/queues.server";
import { churnSettingsSchema, saveChurnSettings } from "~/services/churn/settings.server";
import { customerGid } from "~/services/loyalty/shopify-rewards.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin/client.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { discountCodes, flowTriggers } from "../../../scripts/fake-shopify/churn-resolvers";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createShop, insertOrderFacts } from "./support";

const SHOP = "moments.myshopify.com";
let db: TestDatabase;
let fake: FakeAdminApi;
let admin: AdminClient;
let shopId: number;

async function member(shopifyCustomerId: string, birthday: { month: number; day: number } | null) {
  await inTransaction(db.pool, async (tx) => {
    const customer = await upsertAndLockCustomer(tx, shopId, { shopifyCustomerId, email: null, firstName: null, lastName: null, phone: null, addresses: null, createdAt: null, updatedAt: null });
    if (birthday) await saveBirthday(tx, customer.id, birthday);
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAdminApi(fakeAdminResolvers);
  admin = createAdminClient({ shop: SHOP, accessToken: "test-token" }, { origin: fake.origin, maxAttempts: 2, sleep: async () => undefined });
  shopId = await createShop(db.pool, SHOP);
  await saveChurnSettings(db, shopId, churnSettingsSchema.parse({ moments: { birthday: true, anniversary: true, rewardPercent: 10 } }));
  await member("801", { month: 3, day: 15 });
  await member("802", { month: 3, day: 16 });
  await member("803", { month: 2, day: 29 });
  await insertOrderFacts(db.pool, shopId, [
    { orderId: "o1", customerId: "901", orderedAt: new Date("2024-03-15T18:00:00Z"), amountMinor: 1_000 },
    { orderId: "o2", customerId: "901", orderedAt: new Date("2025-06-01T18:00:00Z"), amountMinor: 1_000 },
    { orderId: "o3", customerId: "902", orderedAt: new Date("2026-03-15T08:00:00Z"), amountMinor: 1_000 },
    { orderId: "o4", customerId: "903", orderedAt: new Date("2024-02-29T12:00:00Z"), amountMinor: 1_000 },
    { orderId: "o5", customerId: "904", orderedAt: new Date("2023-03-15T12:00:00Z"), amountMinor: 1_000, cancelledAt: new Date("2023-03-16T12:00:00Z") },
  ]);
});
afterAll(async () => {
  await fake.close();
  await db.drop();
});

const triggered = () => flowTriggers(fake.state).map((call) => ({ handle: call.handle, customer: String(call.payload.customer_id), years: call.payload.Years, code: call.payload["Discount code"] }));

describe("on 15 March 2026", () => {
  const now = new Date("2026-03-15T12:00:00Z");

  test("birthdays and first-order anniversaries get their trigger with a 10 % code of their own", async () => {
    expect(await celebrateMoments({ database: db, admin, shopId, currencyCode: "USD", codeSecret: "s", now })).toEqual({ birthday: 1, anniversary: 1 });
    const calls = triggered();
    expect(calls.map(({ handle, customer, years }) => ({ handle, customer, years }))).toEqual([
      { handle: MOMENT_TRIGGERS.birthday, customer: "801", years: undefined },
      { handle: MOMENT_TRIGGERS.anniversary, customer: "901", years: 2 },
    ]);
    for (const call of calls) {
      expect(discountCodes(fake.state).get(call.code as string)).toMatchObject({ customerIds: [customerGid(call.customer)], usageLimit: 1, value: { percentage: 0.1 } });
    }
  });

  test("running again the same day celebrates nobody twice", async () => {
    const before = { triggers: flowTriggers(fake.state).length, codes: discountCodes(fake.state).size };
    expect(await celebrateMoments({ database: db, admin, shopId, currencyCode: "USD", codeSecret: "s", now })).toEqual({ birthday: 0, anniversary: 0 });
    expect({ triggers: flowTriggers(fake.state).length, codes: discountCodes(fake.state).size }).toEqual(before);
  });
});

test("29 February is celebrated on 28 February in a common year", async () => {
  flowTriggers(fake.state).length = 0;
  await celebrateMoments({ database: db, admin, shopId, currencyCode: "USD", codeSecret: "s", now: new Date("2027-02-28T12:00:00Z") });
  expect(triggered().map(({ handle, customer, years }) => ({ handle, customer, years }))).toEqual([
    { handle: MOMENT_TRIGGERS.birthday, customer: "803", years: undefined },
    { handle: MOMENT_TRIGGERS.anniversary, customer: "903", years: 3 },
  ]);
});

test("the nightly job requests every shop's refit and celebrates its moments", async () => {
  flowTriggers(fake.state).length = 0;
  const queue: Queue = await startQueue(db.pool, { maxAttempts: 3, expireSeconds: 60, maintenanceSeconds: 60 });
  try {
    await startChurnJobs({ database: db, boss: queue, adminFor: async () => admin, secret: "s", clock: () => new Date("2026-03-16T03:00:00Z") });
    await queue.send(CHURN_NIGHTLY_QUEUE, {});
    const deadline = Date.now() + 30_000;
    while (triggered().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(triggered().map(({ handle, customer }) => ({ handle, customer }))).toEqual([{ handle: MOMENT_TRIGGERS.birthday, customer: "802" }]);
    expect(await db.prisma.churnRun.findMany({ where: { shopId }, select: { trigger: true } })).toEqual([{ trigger: "nightly" }]);
  } finally {
    await queue.stop({ graceful: false, wait: true });
  }
});
