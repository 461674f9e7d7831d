/**
 * Retention metrics as the Churn radar computes them (order facts in PostgreSQL → computeRetentionMetrics): the
 * issue's worked examples, and the CDNOW replay checked against a plain computation over CDNOW_master.txt itself.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CDNOW_MASTER } from "../../../scripts/lib/cdnow";
import {
  fitBgNbd,
  groupHistories,
  measureChurn,
  probabilityAlive,
  summarizeTransactions,
  type BgNbdParams,
  type CustomerActivity,
} from "~/domain/churn";
import { computeRetentionMetrics, type RetentionMetrics } from "~/services/churn/metrics.server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { CDNOW_NOW, cdnowReplayOrders, createShop, insertOrderFacts, type TestOrder } from "./support";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const NINETY_DAYS = { kind: "noOrderWithin", days: 90 } as const;
let nextOrder = 1;

function ordersOf(count: number, firstCustomer: number, dates: string[], amountMinor = 2_500): TestOrder[] {
  return Array.from({ length: count }, (_, i) =>
    dates.map((date) => ({ orderId: String(nextOrder++), customerId: String(firstCustomer + i), orderedAt: new Date(date), amountMinor })),
  ).flat();
}

async function shopWith(domain: string, orders: TestOrder[]): Promise<number> {
  const shopId = await createShop(db.pool, domain);
  await insertOrderFacts(db.pool, shopId, orders);
  return shopId;
}

describe("the issue's worked examples, for October 2026 with lost = no order in 90 days", () => {
  // Active on 1 October: an order in the 90 days before. An order on 15 July is then 78 days old (active) and on
  // 1 November 109 days old (lost); one on 15 September keeps the customer active at both ends.
  const now = new Date("2026-11-15T12:00:00Z");
  const october = (metrics: RetentionMetrics) => metrics.periods.find((period) => period.month === "2026-10")!;

  test("30 lost of 120 customers at the start: churn 25 %, alarming", async () => {
    const shopId = await shopWith("worked-churn.myshopify.com", [...ordersOf(90, 1_000, ["2026-09-15T10:00:00Z"]), ...ordersOf(30, 2_000, ["2026-07-15T10:00:00Z"])]);
    const { churn } = october(await computeRetentionMetrics({ database: db, shopId, now, lost: NINETY_DAYS, bgNbd: null }));
    expect(churn).toMatchObject({ customersAtStart: 120, lostCustomers: 30, customersAtEnd: 90, newCustomers: 0, churnRatePercent: 25, retentionRatePercent: 75, health: "alarming" });
    expect(churn.definition).toContain("no order in the last 90 days");
  });

  test("1,000 at the start, 200 new, 800 at the end: retention 60 %", async () => {
    const shopId = await shopWith("worked-retention.myshopify.com", [
      ...ordersOf(600, 1_000, ["2026-09-15T10:00:00Z"]),
      ...ordersOf(400, 2_000, ["2026-07-15T10:00:00Z"]),
      ...ordersOf(200, 3_000, ["2026-10-10T10:00:00Z"]),
    ]);
    const { churn } = october(await computeRetentionMetrics({ database: db, shopId, now, lost: NINETY_DAYS, bgNbd: null }));
    expect(churn).toMatchObject({ customersAtStart: 1_000, newCustomers: 200, customersAtEnd: 800, retentionRatePercent: 60, churnRatePercent: 40 });
  });

  test("repeat-purchase rate, purchase frequency, order value and time between orders", async () => {
    // Ann: 10.00 then 30.00 ten days later; Ben: 20.00 once; Cleo: a cancelled order, which does not count.
    const shopId = await shopWith("worked-purchases.myshopify.com", [
      { orderId: "p1", customerId: "ann", orderedAt: new Date("2026-10-01T10:00:00Z"), amountMinor: 1_000 },
      { orderId: "p2", customerId: "ann", orderedAt: new Date("2026-10-11T10:00:00Z"), amountMinor: 3_000 },
      { orderId: "p3", customerId: "ben", orderedAt: new Date("2026-10-05T10:00:00Z"), amountMinor: 2_000 },
      { orderId: "p4", customerId: "cleo", orderedAt: new Date("2026-10-06T10:00:00Z"), amountMinor: 9_000, cancelledAt: new Date("2026-10-07T10:00:00Z") },
    ]);
    const metrics = await computeRetentionMetrics({ database: db, shopId, now, lost: NINETY_DAYS, bgNbd: null });
    expect(metrics.overall).toEqual({ customers: 2, orders: 3, repeatPurchaseRatePercent: 50, purchaseFrequency: 1.5, averageOrderValueMinor: 2_000, meanDaysBetweenOrders: 10 });
    expect(october(metrics).purchases).toEqual(metrics.overall);
    expect(metrics.cohorts).toEqual([{ cohort: "2026-10", customers: 2, retainedPercent: [100] }]);
  });
});

describe("the CDNOW replay", () => {
  let shopId: number;
  let orders: TestOrder[];
  beforeAll(async () => {
    orders = cdnowReplayOrders();
    shopId = await shopWith("cdnow-retention.myshopify.com", orders);
  });

  /** CDNOW_master.txt read here with nothing from the app: [customer, day number, cents] per purchase. */
  function rawPurchases(): { customer: string; day: number; month: number; cents: number }[] {
    return readFileSync(CDNOW_MASTER, "utf8")
      .split("\n")
      .filter((line) => /^\d/.test(line.trim())) // the header line and the trailing newline
      .map((line) => {
        const [customer, ymd, , dollars] = line.trim().split(/\s+/);
        const [whole, fraction = ""] = dollars.split(".");
        const year = Number(ymd.slice(0, 4));
        const month = Number(ymd.slice(4, 6));
        return {
          customer,
          day: Date.UTC(year, month - 1, Number(ymd.slice(6, 8))) / 86_400_000,
          month: year * 12 + month - 1,
          cents: Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2)),
        };
      });
  }

  test("retention, churn, cohorts and purchase metrics match a straight computation over CDNOW_master.txt", async () => {
    const metrics = await computeRetentionMetrics({ database: db, shopId, now: CDNOW_NOW, lost: NINETY_DAYS, bgNbd: null });
    const raw = rawPurchases();
    expect(raw).toHaveLength(69_659);
    const byCustomer = new Map<string, typeof raw>();
    for (const purchase of raw) byCustomer.set(purchase.customer, [...(byCustomer.get(purchase.customer) ?? []), purchase]);
    expect(byCustomer.size).toBe(23_570);

    // Cohorts by first-order month: share of each cohort buying k months after its first.
    const lastMonth = Math.max(...raw.map((p) => p.month));
    const cohorts = new Map<number, Set<number>[]>();
    for (const purchases of byCustomer.values()) {
      const months = new Set(purchases.map((p) => p.month));
      const first = Math.min(...months);
      cohorts.set(first, [...(cohorts.get(first) ?? []), months]);
    }
    const expectedCohorts = [...cohorts.keys()].sort((a, b) => a - b).map((first) => {
      const members = cohorts.get(first)!;
      const retained: number[] = [];
      for (let month = first; month <= lastMonth; month += 1) retained.push((members.filter((m) => m.has(month)).length / members.length) * 100);
      return { cohort: `${Math.floor(first / 12)}-${String((first % 12) + 1).padStart(2, "0")}`, customers: members.length, retainedPercent: retained };
    });
    expect(metrics.cohorts.map((c) => c.cohort)).toEqual(["1997-01", "1997-02", "1997-03"]);
    expect(metrics.cohorts).toHaveLength(expectedCohorts.length);
    metrics.cohorts.forEach((row, i) => {
      expect(row.cohort).toBe(expectedCohorts[i].cohort);
      expect(row.customers).toBe(expectedCohorts[i].customers);
      row.retainedPercent.forEach((percent, k) => expect(percent).toBeCloseTo(expectedCohorts[i].retainedPercent[k], 10));
    });

    // Each month: active = a purchase in the 90 days up to the boundary day; lost, new, churn and retention.
    const activeAt = (purchases: typeof raw, day: number) => purchases.some((p) => p.day <= day && p.day > day - 90);
    expect(metrics.periods.map((p) => p.month)).toEqual(Array.from({ length: 18 }, (_, i) => `${1997 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`));
    for (const period of metrics.periods) {
      const startDay = Date.parse(period.start) / 86_400_000;
      const endDay = Date.parse(period.end) / 86_400_000;
      let atStart = 0;
      let atEnd = 0;
      let lost = 0;
      let fresh = 0;
      for (const purchases of byCustomer.values()) {
        const start = activeAt(purchases, startDay);
        const end = activeAt(purchases, endDay);
        const first = Math.min(...purchases.map((p) => p.day));
        if (start) atStart += 1;
        if (end) atEnd += 1;
        if (start && !end) lost += 1;
        if (first > startDay && first <= endDay) fresh += 1;
      }
      expect(period.churn, period.month).toMatchObject({ customersAtStart: atStart, customersAtEnd: atEnd, lostCustomers: lost, newCustomers: fresh });
      expect(period.churn.churnRatePercent).toBe(atStart > 0 ? (lost / atStart) * 100 : null);
      expect(period.churn.retentionRatePercent).toBe(atStart > 0 ? ((atEnd - fresh) / atStart) * 100 : null);

      const inMonth = raw.filter((p) => p.day >= startDay && p.day < endDay);
      const customers = new Map<string, number>();
      for (const p of inMonth) customers.set(p.customer, (customers.get(p.customer) ?? 0) + 1);
      expect(period.purchases, period.month).toMatchObject({
        orders: inMonth.length,
        customers: customers.size,
        repeatPurchaseRatePercent: customers.size ? ([...customers.values()].filter((n) => n >= 2).length / customers.size) * 100 : null,
        averageOrderValueMinor: inMonth.length ? Math.round(inMonth.reduce((sum, p) => sum + p.cents, 0) / inMonth.length) : null,
      });
    }

    const repeaters = [...byCustomer.values()].filter((purchases) => purchases.length >= 2);
    expect(metrics.overall).toMatchObject({
      customers: 23_570,
      orders: 69_659,
      repeatPurchaseRatePercent: (repeaters.length / 23_570) * 100,
      purchaseFrequency: 69_659 / 23_570,
      averageOrderValueMinor: Math.round(raw.reduce((sum, p) => sum + p.cents, 0) / 69_659),
    });
    // The replay spreads each day's orders over working hours (up to 10 h apart), so gaps differ from whole days by
    // less than half a day.
    const gapDays = repeaters.reduce((sum, purchases) => sum + Math.max(...purchases.map((p) => p.day)) - Math.min(...purchases.map((p) => p.day)), 0);
    const gaps = repeaters.reduce((sum, purchases) => sum + purchases.length - 1, 0);
    expect(Math.abs(metrics.overall.meanDaysBetweenOrders! - gapDays / gaps)).toBeLessThan(0.5);
  });

  test("the database's reduction changes nothing: the same as measureChurn over every customer's full history", async () => {
    const fit = fitBgNbd(groupHistories(summarizeTransactions(orders, { observationEnd: CDNOW_NOW, timeUnit: "days" })));
    const lost = { kind: "probabilityAliveBelow", threshold: 0.5 } as const;
    const metrics = await computeRetentionMetrics({ database: db, shopId, now: CDNOW_NOW, lost, bgNbd: fit.params });
    const datesOf = new Map<string, Date[]>();
    for (const order of orders) datesOf.set(order.customerId, [...(datesOf.get(order.customerId) ?? []), order.orderedAt]);
    const aliveAt = (params: BgNbdParams, day: Date) =>
      new Map(summarizeTransactions(orders.filter((o) => o.orderedAt < new Date(day.getTime() + 86_400_000)), { observationEnd: day, timeUnit: "days" }).map((s) => [s.customerId, probabilityAlive(params, s)]));
    for (const period of metrics.periods.filter((_, i) => i % 4 === 1)) {
      const start = new Date(period.start);
      const end = new Date(period.end);
      const [atStart, atEnd] = [aliveAt(fit.params, start), aliveAt(fit.params, end)];
      const customers: CustomerActivity[] = [...datesOf].map(([customerId, orderDates]) => ({
        customerId,
        orderDates,
        probabilityAliveAtStart: atStart.get(customerId),
        probabilityAliveAtEnd: atEnd.get(customerId),
      }));
      expect(period.churn, period.month).toEqual(measureChurn({ customers, periodStart: start, periodEnd: end, lost }));
    }
  });
});
