/**
 * The admin's reads against a real PostgreSQL: the customer list (search, sort, pagination in SQL), one
 * customer's history and tier standing, and the analytics figures, on a small shop whose numbers are known.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { findCustomerProfile, listCustomers } from "~/data/admin/customers.server";
import { hasAwardedPoints, membersAgainstNonMembers, outstandingPoints, pointsByMonth, pointsFlow, tierDistribution } from "~/data/analytics/program.server";
import { liabilityMinor } from "~/services/admin/analytics.server";
import { rewardSchema } from "~/domain/loyalty";

const NOW = new Date("2026-11-20T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let database: TestDatabase;
let shopId: number;
let otherShopId: number;
const ids: Record<string, string> = {};

async function customer(shop: number, key: string, fields: { email: string; firstName?: string; lastName?: string; tierId?: string }) {
  const { rows } = await database.pool.query<{ id: string }>(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName", "tierId") values ($1, $2, $3, $4, $5, $6) returning id::text`,
    [shop, key, fields.email, fields.firstName ?? null, fields.lastName ?? null, fields.tierId ?? null],
  );
  ids[key] = rows[0].id;
  return rows[0].id;
}

let entrySeq = 0;
async function entry(shop: number, customerId: string, kind: string, points: number, occurredAt: Date, availableAt = occurredAt) {
  entrySeq += 1;
  await database.pool.query(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey") values ($1, $2, $3, $4, $5, $6, $7)`,
    [shop, customerId, kind, points, availableAt, occurredAt, `test:${entrySeq}`],
  );
}

async function order(shop: number, customerId: string, orderId: string, spendMinor: number, paidAt: Date) {
  await database.pool.query(
    `insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "spendMinor", "paidAt") values ($1, $2, $3, '{}', $4, $5)`,
    [shop, orderId, customerId, spendMinor, paidAt],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  shopId = (await database.prisma.shop.create({ data: { domain: "analytics.myshopify.com" } })).id;
  otherShopId = (await database.prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;

  const ann = await customer(shopId, "1001", { email: "ann@example.com", firstName: "Ann", lastName: "Lee", tierId: "gold" });
  const bob = await customer(shopId, "1002", { email: "bob@example.com", firstName: "Bob", lastName: "Stone", tierId: "silver" });
  const cat = await customer(shopId, "1003", { email: "cat_100%@example.com", firstName: "Cat" });
  const dan = await customer(shopId, "1004", { email: "dan@example.com" }); // bought twice, never earned
  const eve = await customer(shopId, "1005", { email: "eve@example.com" }); // bought once, never earned
  const stranger = await customer(otherShopId, "2001", { email: "ann@example.com", firstName: "Ann" });

  // Ann: two orders, earned 300 (one 40 days ago), redeemed 100, adjustment +50 pending in the future.
  await order(shopId, ann, "o1", 20_000, daysAgo(40));
  await order(shopId, ann, "o2", 10_000, daysAgo(10));
  await entry(shopId, ann, "order_earn", 200, daysAgo(40));
  await entry(shopId, ann, "order_earn", 100, daysAgo(10));
  await entry(shopId, ann, "redemption", -100, daysAgo(5));
  await entry(shopId, ann, "adjustment", 50, daysAgo(1), new Date(NOW.getTime() + 86_400_000));
  // Bob: one order of 50.00, earned 50 then refunded 20; a redemption Shopify refused was reversed.
  await order(shopId, bob, "o3", 5_000, daysAgo(20));
  await entry(shopId, bob, "order_earn", 50, daysAgo(20));
  await entry(shopId, bob, "order_refund", -20, daysAgo(15));
  await entry(shopId, bob, "redemption", -30, daysAgo(14));
  await entry(shopId, bob, "redemption_reversal", 30, daysAgo(14));
  // Cat: imported 500 long ago (before the 12 months), no orders.
  await entry(shopId, cat, "import", 500, daysAgo(400));
  // Dan and Eve bought without points.
  await order(shopId, dan, "o4", 3_000, daysAgo(100));
  await order(shopId, dan, "o5", 5_000, daysAgo(50));
  await order(shopId, eve, "o6", 4_000, daysAgo(30));
  // Another shop's numbers never leak in.
  await order(otherShopId, stranger, "x1", 99_900, daysAgo(3));
  await entry(otherShopId, stranger, "order_earn", 999, daysAgo(3));
});

afterAll(async () => {
  await database?.drop();
});

describe("the customer list", () => {
  const query = { search: null, sort: "balance" as const, direction: "desc" as const, page: 1, pageSize: 2 };

  test("sorted by balance, paginated in the database, with the total", async () => {
    const first = await listCustomers(database, shopId, query);
    expect(first.total).toBe(5);
    expect(first.rows.map((r) => r.email)).toEqual(["cat_100%@example.com", "ann@example.com"]);
    expect(first.rows[1]).toMatchObject({ pointsBalance: 250, lifetimeSpendMinor: 30_000, tierId: "gold", name: "Ann Lee" });
    const second = await listCustomers(database, shopId, { ...query, page: 2 });
    expect(second.rows.map((r) => r.email)).toEqual(["bob@example.com", "eve@example.com"]);
  });

  test.each([
    ["ann", ["ann@example.com"]],
    ["STONE", ["bob@example.com"]],
    ["1004", ["dan@example.com"]],
    ["100%", ["cat_100%@example.com"]],
    ["_", ["cat_100%@example.com"]],
    ["nobody", []],
    ["ann lee", ["ann@example.com"]],
    ["n l", ["ann@example.com"]],
    ["bob  stone", []],
    ["  ", ["cat_100%@example.com", "ann@example.com", "bob@example.com", "eve@example.com", "dan@example.com"]],
  ])("search %j finds %j (this shop only)", async (search, emails) => {
    const result = await listCustomers(database, shopId, { ...query, search, pageSize: 50 });
    expect(result.rows.map((r) => r.email)).toEqual(emails);
    expect(result.total).toBe(emails.length);
  });

  test("sorted by lifetime spend ascending, ties broken by id", async () => {
    const result = await listCustomers(database, shopId, { ...query, sort: "spend", direction: "asc", pageSize: 50 });
    expect(result.rows.map((r) => r.lifetimeSpendMinor)).toEqual([0, 4_000, 5_000, 8_000, 30_000]);
  });
});

describe("one customer", () => {
  test("profile with available and pending points", async () => {
    const profile = await findCustomerProfile(database, shopId, ids["1001"], NOW);
    expect(profile).toMatchObject({ pointsBalance: 250, availablePoints: 200, pendingPoints: 50, lifetimeSpendMinor: 30_000, tierId: "gold" });
  });

  test("another shop's customer is not found", async () => {
    expect(await findCustomerProfile(database, otherShopId, ids["1001"], NOW)).toBeNull();
    expect(await findCustomerProfile(database, shopId, "not-a-number", NOW)).toBeNull();
  });
});

describe("analytics", () => {
  test("points issued, redeemed (net of reversals), reversed and expired in a period", async () => {
    expect(await pointsFlow(database, shopId, daysAgo(365), NOW)).toEqual({ issued: 400, redeemed: 100, reversed: 20, expired: 0, rewardsRedeemed: 1, customersEarning: 2 });
    expect(await pointsFlow(database, shopId, daysAgo(30), NOW)).toMatchObject({ issued: 200, redeemed: 100, customersEarning: 2 });
  });

  test("months with no activity are zero, and the series ends with the current month", async () => {
    const months = await pointsByMonth(database, shopId, 3, NOW);
    expect(months).toEqual([
      { month: "2026-09", issued: 0, redeemed: 0 },
      { month: "2026-10", issued: 250, redeemed: 0 },
      { month: "2026-11", issued: 150, redeemed: 100 },
    ]);
  });

  test("outstanding points count positive balances only, valued at the best money reward", async () => {
    expect(await outstandingPoints(database, shopId)).toEqual({ points: 250 + 30 + 500, customers: 3 });
    const rewards = [
      rewardSchema.parse({ type: "fixed_amount", name: "$5 off", pointsCost: 500, amountMinor: 500 }),
      rewardSchema.parse({ type: "store_credit", name: "$12 credit", pointsCost: 1_000, amountMinor: 1_200 }),
      rewardSchema.parse({ type: "percentage", name: "10 %", pointsCost: 100, percent: 10 }),
      rewardSchema.parse({ type: "fixed_amount", name: "archived", pointsCost: 1, amountMinor: 1_000, archived: true }),
    ];
    expect(liabilityMinor(780, rewards)).toBe(936);
    expect(liabilityMinor(780, rewards.slice(2))).toBeNull();
  });

  test("members against non-members: repeat-purchase and order value", async () => {
    expect(await membersAgainstNonMembers(database, shopId)).toEqual({
      members: { customers: 2, repeatCustomers: 1, orders: 3, orderValueMinor: 35_000 },
      nonMembers: { customers: 2, repeatCustomers: 1, orders: 3, orderValueMinor: 12_000 },
    });
  });

  test("tier distribution and first points", async () => {
    const tiers = await tierDistribution(database, shopId);
    expect(Object.fromEntries(tiers.map((t) => [t.tierId ?? "none", t.customers]))).toEqual({ gold: 1, silver: 1, none: 3 });
    expect(await hasAwardedPoints(database, shopId)).toBe(true);
    const empty = (await database.prisma.shop.create({ data: { domain: "empty.myshopify.com" } })).id;
    expect(await hasAwardedPoints(database, empty)).toBe(false);
  });
});
