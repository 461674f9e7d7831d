/**
 * The nightly scoring against a real PostgreSQL holding the CDNOW replay: the set-based purchase histories are
 * the domain's summarizeTransactions, and each stored score is what the domain functions give for that
 * customer with the run's fitted parameters.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { customerPurchaseSummaries } from "~/data/churn/orders.server";
import {
  customerLifetimeValue,
  expectedPurchases,
  probabilityAlive,
  riskLevel,
  summarizeTransactions,
  type CustomerSummary,
} from "~/domain/churn";
import { refitAndScore } from "~/services/churn/scoring.server";
import { churnSettingsSchema, riskPolicyOf } from "~/services/churn/settings.server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { CDNOW_NOW, cdnowReplayOrders, createShop, insertOrderFacts, type TestOrder } from "./support";

let db: TestDatabase;
let shopId: number;
let orders: TestOrder[];
let domainSummaries: Map<string, CustomerSummary>;

beforeAll(async () => {
  db = await createTestDatabase();
  shopId = await createShop(db.pool, "cdnow-scoring.myshopify.com");
  orders = cdnowReplayOrders();
  await insertOrderFacts(db.pool, shopId, orders);
  domainSummaries = new Map(summarizeTransactions(orders, { observationEnd: CDNOW_NOW, timeUnit: "days" }).map((s) => [s.customerId, s]));
});
afterAll(async () => db.drop());

test("the database's purchase histories are the domain's summarizeTransactions, for every CDNOW customer", async () => {
  const summaries = await customerPurchaseSummaries(db.pool, shopId, CDNOW_NOW);
  expect(summaries).toHaveLength(23_570);
  expect(summaries.map((s) => ({ customerId: s.customerId, frequency: s.frequency, recency: s.recencyDays, T: s.ageDays, monetaryMinor: s.monetaryMinor }))).toEqual(
    [...domainSummaries.values()].sort((x, y) => (x.customerId < y.customerId ? -1 : 1)),
  );
  const ordersOf = new Map<string, TestOrder[]>();
  for (const order of orders) ordersOf.set(order.customerId, [...(ordersOf.get(order.customerId) ?? []), order]);
  for (const summary of summaries.slice(0, 500)) {
    const own = ordersOf.get(summary.customerId)!;
    expect(summary.orders).toBe(own.length);
    expect(summary.spentMinor).toBe(own.reduce((sum, o) => sum + o.amountMinor, 0));
  }
});

describe("a scoring run", () => {
  let outcome: Awaited<ReturnType<typeof refitAndScore>>;
  const settings = churnSettingsSchema.parse({});

  beforeAll(async () => {
    outcome = await refitAndScore({ database: db, shopId, runId: 1, now: CDNOW_NOW, settings });
  });

  test("scores every customer, with parameters in days", async () => {
    expect(outcome.customers).toBe(23_570);
    expect(outcome.models.timeUnit).toBe("days");
    expect(await db.prisma.customerChurnScore.count({ where: { shopId } })).toBe(23_570);
    // The same data in weeks gives α 7 times smaller: a guard against a unit mix-up in the stored fit.
    expect(outcome.models.bgNbd.params.alpha).toBeGreaterThan(7);
  });

  test("stores the domain's P(alive), expected purchases, lifetime value and risk for sample customers", async () => {
    const sample = await db.prisma.customerChurnScore.findMany({ where: { shopId }, orderBy: [{ frequency: "desc" }, { customerId: "asc" }], take: 40 });
    const oneTimers = await db.prisma.customerChurnScore.findMany({ where: { shopId, frequency: 0 }, orderBy: { customerId: "asc" }, take: 10 });
    const { bgNbd, gammaGamma } = outcome.models;
    for (const stored of [...sample, ...oneTimers]) {
      const summary = domainSummaries.get(stored.customerId)!;
      expect(stored.probabilityAlive).toBeCloseTo(probabilityAlive(bgNbd.params, summary), 12);
      expect(stored.expectedPurchases90d).toBeCloseTo(expectedPurchases(bgNbd.params, summary, 90), 12);
      expect(stored.lifetimeValueMinor).toBe(
        customerLifetimeValue({
          bgNbd: bgNbd.params,
          gammaGamma: gammaGamma!.params,
          customer: { ...summary, averageOrderValueMinor: summary.monetaryMinor },
          timeUnit: "days",
          horizonMonths: 12,
          monthlyDiscountRate: 0.01,
        }),
      );
      const spent = orders.filter((o) => o.customerId === stored.customerId).reduce((sum, o) => sum + o.amountMinor, 0);
      const risk = riskLevel({ probabilityAlive: stored.probabilityAlive, history: summary, timeUnit: "days", valueMinor: spent }, riskPolicyOf(settings));
      expect({ level: stored.riskLevel, reasons: stored.riskReasons }).toEqual(risk);
    }
  });
});
