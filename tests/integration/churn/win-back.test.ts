/**
 * Win-back campaigns against a real PostgreSQL and the fake Admin API: the hold-out is the domain's stable
 * assignment and never receives anything (no code, no points, no Flow trigger, no Admin call about them); giving
 * incentives twice gives them once; the report compares repurchase with the 95 % interval and the cost.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inTransaction } from "~/data/db.server";
import { markMemberGiven } from "~/data/churn/campaigns.server";
import { upsertAndLockCustomer } from "~/data/loyalty/customers.server";
import { holdoutAssignment, liftWithConfidence, RFM_SEGMENT_RULES } from "~/domain/churn";
import { startQueue, type Queue } from "~/jobs/queue.server";
import { refitAndScore } from "~/services/churn/scoring.server";
import { churnSettingsSchema } from "~/services/churn/settings.server";
import { giveWinBackIncentives, launchWinBackCampaign, WIN_BACK_OFFER_TRIGGER, winBackReport } from "~/services/churn/win-back.server";
import { customerGid } from "~/services/loyalty/shopify-rewards.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin/client.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { discountCodes, flowTriggers } from "../../../scripts/fake-shopify/churn-resolvers";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createShop, insertOrderFacts, type TestOrder } from "./support";

const SHOP = "win-back.myshopify.com";
const DAY = 86_400_000;
const at = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * DAY + 10 * 3_600_000);
const LAUNCH = at(400);

let db: TestDatabase;
let queue: Queue;
let fake: FakeAdminApi;
let admin: AdminClient;
let shop: { id: number; domain: string };

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await startQueue(db.pool, { maxAttempts: 3, expireSeconds: 60, maintenanceSeconds: 60 });
  fake = await startFakeAdminApi(fakeAdminResolvers);
  admin = createAdminClient({ shop: SHOP, accessToken: "test-token" }, { origin: fake.origin, maxAttempts: 2, sleep: async () => undefined });
  shop = { id: await createShop(db.pool, SHOP), domain: SHOP };
  // 300 customers who bought every 20 days until day 200 and stopped: high risk by day 400.
  const orders: TestOrder[] = [];
  for (let c = 0; c < 300; c += 1) {
    for (let day = c % 20; day <= 200; day += 20) orders.push({ orderId: `${c}-${day}`, customerId: String(50_000 + c), orderedAt: at(day), amountMinor: 3_000 });
  }
  await insertOrderFacts(db.pool, shop.id, orders);
  await refitAndScore({ database: db, shopId: shop.id, runId: 1, now: LAUNCH, settings: churnSettingsSchema.parse({}) });
});
afterAll(async () => {
  await queue.stop({ graceful: false, wait: true });
  await fake.close();
  await db.drop();
});

const members = async (campaignId: number) => db.prisma.winBackMember.findMany({ where: { campaignId }, orderBy: { customerId: "asc" } });
const campaign = (overrides: Partial<Parameters<typeof launchWinBackCampaign>[0]["campaign"]> = {}) => ({
  name: "Come back",
  segment: null,
  riskLevel: "high" as const,
  incentive: "discount_percentage" as const,
  incentiveValue: 15,
  rewardId: null,
  valuePer100PointsMinor: null,
  holdoutPercent: 10,
  measureDays: 30,
  createdBy: "90000001",
  ...overrides,
});

describe("a discount-code campaign", () => {
  let campaignId: number;

  test("launch splits the audience with holdoutAssignment, fixed at launch", async () => {
    const result = await launchWinBackCampaign({ database: db, boss: queue, shop, campaign: campaign(), now: LAUNCH });
    if (!result.ok) throw new Error(result.message);
    campaignId = result.campaignId;
    const rows = await members(campaignId);
    const high = await db.prisma.customerChurnScore.count({ where: { shopId: shop.id, riskLevel: "high" } });
    expect(rows).toHaveLength(high);
    expect(high).toBeGreaterThan(200);
    for (const row of rows) expect(row.group).toBe(holdoutAssignment(String(campaignId), row.customerId, 0.1));
    expect(result.holdout).toBe(rows.filter((r) => r.group === "holdout").length);
    expect(result.holdout).toBeGreaterThan(0);
  });

  test("the treated get a single-use code of their own and a Flow trigger; the hold-out gets nothing, and nothing is sent about them", async () => {
    const outcome = await giveWinBackIncentives({ database: db, admin, shopId: shop.id, campaignId, currencyCode: "USD", now: LAUNCH });
    const rows = await members(campaignId);
    const treated = rows.filter((r) => r.group === "treated");
    const holdout = rows.filter((r) => r.group === "holdout");
    expect(outcome).toEqual({ given: treated.length, refused: 0 });
    for (const row of treated) {
      expect(row.treatedAt).toEqual(LAUNCH);
      const code = discountCodes(fake.state).get(row.discountCode!)!;
      expect(code).toMatchObject({ customerIds: [customerGid(row.customerId)], usageLimit: 1, value: { percentage: 0.15 } });
    }
    for (const row of holdout) expect(row).toMatchObject({ treatedAt: null, discountCode: null, pointsAwarded: null });
    const offers = flowTriggers(fake.state).filter((call) => call.handle === WIN_BACK_OFFER_TRIGGER);
    expect(offers.map((call) => String(call.payload.customer_id)).sort()).toEqual(treated.map((r) => r.customerId).sort());
    const sentAbout = JSON.stringify(fake.calls.map((call) => call.variables));
    for (const row of holdout) {
      expect(sentAbout).not.toContain(customerGid(row.customerId));
      expect(sentAbout).not.toContain(`"customer_id":${row.customerId}`);
    }
  });

  test("giving again gives nothing twice, and the database refuses to mark a hold-out member as given", async () => {
    const codes = discountCodes(fake.state).size;
    expect(await giveWinBackIncentives({ database: db, admin, shopId: shop.id, campaignId, currencyCode: "USD", now: LAUNCH })).toEqual({ given: 0, refused: 0 });
    expect(discountCodes(fake.state).size).toBe(codes);
    const holdoutMember = (await members(campaignId)).find((r) => r.group === "holdout")!;
    expect(await markMemberGiven(db.pool, campaignId, holdoutMember.customerId, { discountCode: "X", pointsAwarded: null, issuedCostMinor: null, at: LAUNCH })).toBe(false);
  });

  test("the report: repurchase treated vs hold-out in the window, with the 95 % interval and the cost of the codes used", async () => {
    const rows = await members(campaignId);
    const treated = rows.filter((r) => r.group === "treated");
    const holdout = rows.filter((r) => r.group === "holdout");
    // A third of the treated come back with their code (4.50 off); one hold-out customer comes back; one treated
    // customer comes back only after the 30-day window, which does not count.
    const back = treated.filter((_, i) => i % 3 === 0);
    await insertOrderFacts(db.pool, shop.id, [
      ...back.map((r) => ({ orderId: `back-${r.customerId}`, customerId: r.customerId, orderedAt: at(410), amountMinor: 3_000, discountMinor: 450, discountCodes: [r.discountCode!] })),
      { orderId: "back-holdout", customerId: holdout[0].customerId, orderedAt: at(405), amountMinor: 3_000 },
      { orderId: "late", customerId: treated[1].customerId, orderedAt: at(431), amountMinor: 3_000 },
    ]);
    const report = (await winBackReport({ database: db, shopId: shop.id, campaignId, now: at(460) }))!;
    expect(report.window.complete).toBe(true);
    expect(report.treated).toEqual({ customers: treated.length, repurchased: back.length });
    expect(report.holdout).toEqual({ customers: holdout.length, repurchased: 1 });
    expect(report.costMinor).toBe(back.length * 450);
    expect(report.lift).toEqual(liftWithConfidence({ treated: report.treated, holdout: report.holdout, campaignCostMinor: back.length * 450 }));
    expect(report.lift!.confidenceInterval95.lowPoints).toBeLessThan(report.lift!.liftPoints);
  });
});

describe("a bonus-points campaign", () => {
  test("points go on the loyalty ledger of the treated only, once each", async () => {
    await inTransaction(db.pool, async (tx) => {
      for (let c = 0; c < 300; c += 1) {
        await upsertAndLockCustomer(tx, shop.id, { shopifyCustomerId: String(50_000 + c), email: null, firstName: null, lastName: null, phone: null, addresses: null, createdAt: null, updatedAt: null });
      }
    });
    const result = await launchWinBackCampaign({
      database: db,
      boss: queue,
      shop,
      campaign: campaign({ name: "Points back", incentive: "bonus_points", incentiveValue: 500, valuePer100PointsMinor: 50, holdoutPercent: 20 }),
      now: LAUNCH,
    });
    if (!result.ok) throw new Error(result.message);
    await giveWinBackIncentives({ database: db, admin, shopId: shop.id, campaignId: result.campaignId, currencyCode: "USD", now: LAUNCH });
    await giveWinBackIncentives({ database: db, admin, shopId: shop.id, campaignId: result.campaignId, currencyCode: "USD", now: LAUNCH });
    const rows = await members(result.campaignId);
    const { rows: ledger } = await db.pool.query<{ shopifyCustomerId: string; points: number; kind: string }>(
      `select c."shopifyCustomerId", l.points, l.kind::text from "LedgerEntry" l join "Customer" c on c.id = l."customerId" where l."shopId" = $1`,
      [shop.id],
    );
    const treated = rows.filter((r) => r.group === "treated");
    expect(ledger.map((e) => e.shopifyCustomerId).sort()).toEqual(treated.map((r) => r.customerId).sort());
    expect(ledger.every((e) => e.points === 500 && e.kind === "adjustment")).toBe(true);
    expect(rows.filter((r) => r.group === "holdout").every((r) => r.pointsAwarded === null && r.treatedAt === null)).toBe(true);
    const report = (await winBackReport({ database: db, shopId: shop.id, campaignId: result.campaignId, now: LAUNCH }))!;
    expect(report.costMinor).toBe(treated.length * 250);
    expect(report.window.complete).toBe(false);
  });

  test("an audience with nobody in it is refused before anything is created", async () => {
    const present = new Set((await db.prisma.customerChurnScore.findMany({ where: { shopId: shop.id }, select: { segment: true } })).map((s) => s.segment));
    const absent = RFM_SEGMENT_RULES.find((rule) => !present.has(rule.segment))!.segment;
    const result = await launchWinBackCampaign({ database: db, boss: queue, shop, campaign: campaign({ segment: absent, riskLevel: null }), now: LAUNCH });
    expect(await db.prisma.winBackCampaign.count({ where: { shopId: shop.id, segment: absent } })).toBe(0);
    expect(result).toEqual({ ok: false, message: "No scored customer is in this audience" });
  });
});
