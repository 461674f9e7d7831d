import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  NEW_ORDER_POINTS,
  applyCancel,
  applyOrderEvent,
  applyOrderPaid,
  applyRefund,
  orderEventCause,
  orderPointsCorrection,
  targetPointsForOrder,
  type OrderEarning,
  type OrderMoney,
  type OrderPointsEvent,
  type OrderPointsState,
} from "~/domain/loyalty";

const paidAt = new Date("2026-03-01T10:00:00Z");
const earning = (fields: Partial<OrderEarning> = {}): OrderEarning => ({
  points: 100,
  base: "subtotal_after_discounts",
  baseMinor: 10_000,
  multiplierBps: 10_000,
  availableAt: paidAt,
  ...fields,
});
const refundMoney = (subtotalMinor: number, fields: Partial<OrderMoney> = {}): OrderMoney => ({
  currencyCode: "USD",
  subtotalMinor,
  discountsMinor: 0,
  shippingMinor: 0,
  taxMinor: 0,
  taxesIncluded: false,
  ...fields,
});
const paid = (e: OrderEarning = earning()): OrderPointsEvent => ({ type: "paid", orderId: "1001", earning: e });
const refund = (refundId: string, money: OrderMoney): OrderPointsEvent => ({ type: "refund", orderId: "1001", refundId, money });
const cancelled: OrderPointsEvent = { type: "cancelled", orderId: "1001" };
const replay = (events: readonly OrderPointsEvent[]) => events.reduce(applyOrderEvent, NEW_ORDER_POINTS);

describe("targetPointsForOrder", () => {
  it.each([
    { name: "nothing before payment", events: [], target: 0 },
    { name: "a paid order holds what it earned", events: [paid()], target: 100 },
    { name: "a refund of half the base takes back half", events: [paid(), refund("r1", refundMoney(5_000))], target: 50 },
    {
      name: "a third refunded: 33.3 points taken back, rounded to nearest",
      events: [paid(), refund("r1", refundMoney(3_333))],
      target: 67,
    },
    { name: "two thirds refunded: 66.7 taken back, rounded to nearest", events: [paid(), refund("r1", refundMoney(6_667))], target: 33 },
    {
      name: "refunds adding up to the base take back everything",
      events: [paid(), refund("r1", refundMoney(4_000)), refund("r2", refundMoney(6_000))],
      target: 0,
    },
    {
      name: "refunds beyond the base never go below zero",
      events: [paid(), refund("r1", refundMoney(8_000)), refund("r2", refundMoney(8_000))],
      target: 0,
    },
    {
      name: "the same refund delivered twice is counted once",
      events: [paid(), refund("r1", refundMoney(2_500)), refund("r1", refundMoney(2_500))],
      target: 75,
    },
    { name: "a refund arriving before the payment still counts", events: [refund("r1", refundMoney(2_500)), paid()], target: 75 },
    {
      name: "a refund is measured on the order's locked base: refunded shipping and tax take nothing on a subtotal base",
      events: [paid(), refund("r1", refundMoney(0, { shippingMinor: 990, taxMinor: 500 }))],
      target: 100,
    },
    {
      name: "refunded shipping counts on an order earned on its total",
      events: [paid(earning({ base: "total", baseMinor: 10_990 })), refund("r1", refundMoney(0, { shippingMinor: 990 }))],
      target: 91,
    },
    { name: "a cancelled order holds nothing", events: [paid(), refund("r1", refundMoney(2_500)), cancelled], target: 0 },
    { name: "a payment arriving after the cancellation earns nothing", events: [cancelled, paid()], target: 0 },
    {
      name: "the first award is locked: a later paid delivery priced at another multiplier changes nothing",
      events: [paid(), paid(earning({ points: 150, multiplierBps: 15_000 }))],
      target: 100,
    },
    {
      name: "an order that earned nothing stays at nothing after a refund",
      events: [paid(earning({ points: 0, baseMinor: 0 })), refund("r1", refundMoney(500))],
      target: 0,
    },
  ])("$name", ({ events, target }) => {
    expect(targetPointsForOrder(replay(events))).toBe(target);
  });
});

describe("apply functions", () => {
  it("return the very same state when an event changes nothing, so the caller can skip the write", () => {
    const state = applyCancel(applyRefund(applyOrderPaid(NEW_ORDER_POINTS, earning()), "r1", refundMoney(100)));
    expect(applyOrderPaid(state, earning({ points: 7 }))).toBe(state);
    expect(applyRefund(state, "r1", refundMoney(100))).toBe(state);
    expect(applyCancel(state)).toBe(state);
  });

  it("never modify the state they are given", () => {
    const before = structuredClone(NEW_ORDER_POINTS);
    applyCancel(applyRefund(applyOrderPaid(NEW_ORDER_POINTS, earning()), "r1", refundMoney(100)));
    expect(NEW_ORDER_POINTS).toStrictEqual(before);
  });
});

describe("orderEventCause", () => {
  it.each([
    { event: paid(), cause: { key: "order:1001:paid", kind: "order_earn" } },
    { event: refund("555", refundMoney(1)), cause: { key: "refund:555", kind: "order_refund" } },
    { event: cancelled, cause: { key: "order:1001:cancelled", kind: "order_cancel" } },
  ])("$event.type → $cause.key", ({ event, cause }) => {
    expect(orderEventCause(event)).toStrictEqual(cause);
  });
});

describe("orderPointsCorrection", () => {
  const pendingUntil = new Date("2026-03-15T10:00:00Z");
  const now = new Date("2026-03-05T08:00:00Z");
  const state = (events: OrderPointsEvent[]): OrderPointsState => replay(events);
  it.each([
    { name: "the award after payment", state: state([paid()]), posted: 0, expected: { points: 100, availableAt: now } },
    { name: "nothing when the ledger already holds the target", state: state([paid()]), posted: 100, expected: null },
    {
      name: "a claw-back of spendable points is spendable at once",
      state: state([paid(), refund("r1", refundMoney(5_000))]),
      posted: 100,
      expected: { points: -50, availableAt: now },
    },
    {
      name: "a pending award becomes spendable when its period ends",
      state: state([paid(earning({ availableAt: pendingUntil }))]),
      posted: 0,
      expected: { points: 100, availableAt: pendingUntil },
    },
    {
      name: "a claw-back of still-pending points offsets them in pending, leaving the spendable balance alone",
      state: state([paid(earning({ availableAt: pendingUntil })), cancelled]),
      posted: 100,
      expected: { points: -100, availableAt: pendingUntil },
    },
  ])("$name", ({ state, posted, expected }) => {
    expect(orderPointsCorrection(state, posted, now)).toStrictEqual(expected);
  });
});

describe("exactly once under duplicate, late and out-of-order webhooks (property)", () => {
  /** An order's events in the order they happened: paid, some refunds, maybe a cancellation. */
  const orderHistory = fc
    .record({
      points: fc.integer({ min: 0, max: 50_000 }),
      baseMinor: fc.integer({ min: 1, max: 5_000_000 }),
      refundShares: fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 5 }),
      cancelled: fc.boolean(),
    })
    .map(({ points, baseMinor, refundShares, cancelled: isCancelled }): OrderPointsEvent[] => [
      paid(earning({ points, baseMinor })),
      ...refundShares.map((bps, i) => refund(`r${i}`, refundMoney(Math.floor((baseMinor * bps) / 10_000)))),
      ...(isCancelled ? [cancelled] : []),
    ]);

  /** Every event at least once, some several times, in any order. */
  const deliveries = orderHistory.chain((history) =>
    fc
      .array(fc.integer({ min: 0, max: history.length - 1 }), { maxLength: 3 * history.length })
      .chain((repeats) =>
        fc.shuffledSubarray([...history, ...repeats.map((i) => history[i])], { minLength: history.length + repeats.length })
      )
      .map((arrivals) => ({ history, arrivals }))
  );

  it("arrives at the same state and target as the straight sequence", () => {
    fc.assert(
      fc.property(deliveries, ({ history, arrivals }) => {
        const straight = replay(history);
        const shuffled = replay(arrivals);
        expect(shuffled).toStrictEqual(straight);
        expect(targetPointsForOrder(shuffled)).toBe(targetPointsForOrder(straight));
      }),
      { numRuns: 500 }
    );
  });

  it("posts ledger rows that sum to the target, at most one per cause, credits only for the award", () => {
    const now = new Date("2026-04-01T00:00:00Z");
    fc.assert(
      fc.property(deliveries, ({ history, arrivals }) => {
        const rows = new Map<string, { kind: string; points: number }>();
        let state = NEW_ORDER_POINTS;
        for (const event of arrivals) {
          state = applyOrderEvent(state, event);
          const posted = [...rows.values()].reduce((sum, row) => sum + row.points, 0);
          const correction = orderPointsCorrection(state, posted, now);
          if (correction === null) continue;
          const { key, kind } = orderEventCause(event);
          expect(rows.has(key)).toBe(false);
          rows.set(key, { kind, points: correction.points });
        }
        const total = [...rows.values()].reduce((sum, row) => sum + row.points, 0);
        expect(total).toBe(targetPointsForOrder(replay(history)));
        for (const row of rows.values()) expect(row.kind === "order_earn" ? row.points > 0 : row.points < 0).toBe(true);
      }),
      { numRuns: 500 }
    );
  });
});
