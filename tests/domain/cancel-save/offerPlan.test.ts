import { describe, expect, it } from "vitest";
import {
  extendPause,
  pauseReminderDue,
  planAcceptedOffer,
  resumeDue,
  resumeEarly,
  type OfferPlan,
  type SaveOffer,
  type SubscriptionContract,
} from "~/domain/cancel-save";
import { aContract, aSubscriber, NOW, settingsWith } from "./factories";

const CONTRACT_ID = "gid://shopify/SubscriptionContract/1";
const LINE_ID = "gid://shopify/SubscriptionLine/1";
const at = (iso: string) => new Date(iso);

describe("planAcceptedOffer: the Admin API change for each offer", () => {
  const swap: SaveOffer = {
    id: "small-bag",
    kind: "swap_variant",
    swaps: [
      { fromVariantId: "gid://shopify/ProductVariant/other", toVariantId: "gid://shopify/ProductVariant/x", toVariantTitle: "X", toUnitPrice: { amountMinor: 100, currencyCode: "EUR" } },
      { fromVariantId: "gid://shopify/ProductVariant/large", toVariantId: "gid://shopify/ProductVariant/small", toVariantTitle: "Coffee 500 g", toUnitPrice: { amountMinor: 700, currencyCode: "EUR" } },
    ],
  };
  const cases: [string, SaveOffer, Parameters<typeof aSubscriber>[0], Date, OfferPlan][] = [
    [
      "pause for 2 months: resume date two calendar months on, and everything the subscriber had is kept",
      { id: "p", kind: "pause", months: 2 },
      { tier: "gold", contract: { priceProtectedUntil: at("2025-12-01T00:00:00Z") } },
      NOW,
      {
        kind: "pause_contract",
        contractId: CONTRACT_ID,
        pausedOn: NOW,
        resumeOn: at("2025-08-15T12:00:00Z"),
        keeps: {
          lines: [{ lineId: LINE_ID, variantId: "gid://shopify/ProductVariant/large", unitPriceMinor: 1250 }],
          currencyCode: "EUR",
          priceProtectedUntil: at("2025-12-01T00:00:00Z"),
          tier: "gold",
        },
      },
    ],
    [
      "pause for 1 month from 31 January ends on the last day of February",
      { id: "p", kind: "pause", months: 1 },
      { tier: null },
      at("2024-01-31T08:00:00Z"),
      {
        kind: "pause_contract",
        contractId: CONTRACT_ID,
        pausedOn: at("2024-01-31T08:00:00Z"),
        resumeOn: at("2024-02-29T08:00:00Z"),
        keeps: { lines: [{ lineId: LINE_ID, variantId: "gid://shopify/ProductVariant/large", unitPriceMinor: 1250 }], currencyCode: "EUR", priceProtectedUntil: null, tier: null },
      },
    ],
    [
      "skip the next delivery of a monthly contract",
      { id: "s", kind: "skip_next_delivery" },
      {},
      NOW,
      { kind: "skip_billing_cycle", contractId: CONTRACT_ID, cycleDate: at("2025-07-01T09:00:00Z"), nextBillingDateAfterSkip: at("2025-08-01T09:00:00Z") },
    ],
    [
      "skip the next delivery of a fortnightly contract",
      { id: "s", kind: "skip_next_delivery" },
      { contract: { billing: { interval: "WEEK", intervalCount: 2 }, delivery: { interval: "WEEK", intervalCount: 2 } } },
      NOW,
      { kind: "skip_billing_cycle", contractId: CONTRACT_ID, cycleDate: at("2025-07-01T09:00:00Z"), nextBillingDateAfterSkip: at("2025-07-15T09:00:00Z") },
    ],
    [
      "change to every 2 months: billing and delivery move together",
      { id: "f", kind: "change_frequency", frequency: { interval: "MONTH", intervalCount: 2 } },
      {},
      NOW,
      {
        kind: "update_contract",
        contractId: CONTRACT_ID,
        change: { kind: "set_frequency", billing: { interval: "MONTH", intervalCount: 2 }, delivery: { interval: "MONTH", intervalCount: 2 } },
      },
    ],
    [
      "swap to the smaller bag: the first swap that fits the contract's line",
      swap,
      {},
      NOW,
      {
        kind: "update_contract",
        contractId: CONTRACT_ID,
        change: { kind: "swap_line", lineId: LINE_ID, fromVariantId: "gid://shopify/ProductVariant/large", toVariantId: "gid://shopify/ProductVariant/small", unitPriceMinor: 700 },
      },
    ],
    [
      "30 % off the next 3 orders: a discount limited to 3 billing cycles",
      { id: "d", kind: "discount", percent: 30, orders: 3 },
      {},
      NOW,
      { kind: "update_contract", contractId: CONTRACT_ID, change: { kind: "add_discount", title: "30% off for staying", percent: 30, billingCycles: 3 } },
    ],
    [
      "500 bonus points: one ledger credit keyed by the attempt",
      { id: "b", kind: "bonus_points", points: 500 },
      {},
      NOW,
      { kind: "credit_points", customerId: "gid://shopify/Customer/7", points: 500, idempotencyKey: "cancel-save:attempt-42:bonus-points" },
    ],
  ];
  it.each(cases)("%s", (_name, offer, subscriber, now, plan) => {
    expect(planAcceptedOffer(offer, aSubscriber(subscriber), { attemptId: "attempt-42", now })).toStrictEqual({ ok: true, plan });
  });

  it("gives the same points key when the same acceptance is retried, and another for another attempt", () => {
    const offer: SaveOffer = { id: "b", kind: "bonus_points", points: 500 };
    const key = (attemptId: string) => {
      const result = planAcceptedOffer(offer, aSubscriber(), { attemptId, now: NOW });
      return result.ok && result.plan.kind === "credit_points" ? result.plan.idempotencyKey : null;
    };
    expect(key("a-1")).toBe(key("a-1"));
    expect(key("a-1")).not.toBe(key("a-2"));
  });

  const refusals: [string, SaveOffer, Parameters<typeof aSubscriber>[0], string][] = [
    ["a discount accepted after another discount became active", { id: "d", kind: "discount", percent: 10, orders: 1 }, { hasActiveDiscount: true }, "discount_active"],
    ["a pause accepted after the contract was paused elsewhere", { id: "p", kind: "pause", months: 1 }, { contract: { status: "PAUSED" } }, "not_applicable"],
    ["a skip on a contract without a next billing date", { id: "s", kind: "skip_next_delivery" }, { contract: { nextBillingDate: null } }, "not_applicable"],
  ];
  it.each(refusals)("refuses %s, so nothing is confirmed that was not done", (_name, offer, subscriber, error) => {
    expect(planAcceptedOffer(offer, aSubscriber(subscriber), { attemptId: "a", now: NOW })).toStrictEqual({ ok: false, error });
  });
});

const paused = (pausedOn: string, resumeOn: string, overrides: Partial<SubscriptionContract> = {}): SubscriptionContract =>
  aContract({ status: "PAUSED", pause: { pausedOn: at(pausedOn), resumeOn: at(resumeOn) }, ...overrides });

describe("pauseReminderDue: a reminder in the days before a pause ends", () => {
  const contract = paused("2025-05-20T10:00:00Z", "2025-06-20T10:00:00Z");
  const cases: [string, SubscriptionContract, string, number, boolean][] = [
    ["6 days before, with a 5-day reminder: not yet", contract, "2025-06-14T10:00:00Z", 5, false],
    ["exactly 5 days before: due", contract, "2025-06-15T10:00:00Z", 5, true],
    ["the day before: still due (a missed daily run catches up)", contract, "2025-06-19T10:00:00Z", 5, true],
    ["at the resume date: too late, the pause is over", contract, "2025-06-20T10:00:00Z", 5, false],
    ["reminders switched off (0 days)", contract, "2025-06-19T10:00:00Z", 0, false],
    ["an active contract", aContract(), "2025-06-19T10:00:00Z", 5, false],
    ["a contract cancelled while paused", paused("2025-05-20T10:00:00Z", "2025-06-20T10:00:00Z", { status: "CANCELLED" }), "2025-06-19T10:00:00Z", 5, false],
  ];
  it.each(cases)("%s", (_name, c, now, days, due) => {
    const reminder = pauseReminderDue(c, at(now), settingsWith({ pause: { reminderDaysBeforeResume: days } }));
    expect(reminder).toStrictEqual(
      due ? { contractId: CONTRACT_ID, resumeOn: at("2025-06-20T10:00:00Z"), idempotencyKey: `pause-reminder:${CONTRACT_ID}:2025-06-20T10:00:00.000Z` } : null,
    );
  });

  it("goes out again after the pause is extended, under a new key", () => {
    const settings = settingsWith();
    const before = pauseReminderDue(contract, at("2025-06-16T10:00:00Z"), settings);
    const extended = paused("2025-05-20T10:00:00Z", "2025-07-20T10:00:00Z");
    const after = pauseReminderDue(extended, at("2025-07-16T10:00:00Z"), settings);
    expect(before?.idempotencyKey).toBeDefined();
    expect(after?.idempotencyKey).toBeDefined();
    expect(after?.idempotencyKey).not.toBe(before?.idempotencyKey);
  });
});

describe("resuming a pause", () => {
  const contract = paused("2025-05-20T10:00:00Z", "2025-06-20T10:00:00Z");
  it.each([
    ["before the resume date: not yet", "2025-06-19T10:00:00Z", null],
    ["on the resume date: resume and bill then", "2025-06-20T10:00:00Z", "2025-06-20T10:00:00Z"],
    ["a day late (the job was down): resume and bill now", "2025-06-21T08:00:00Z", "2025-06-21T08:00:00Z"],
  ])("resumeDue %s", (_name, now, nextBilling) => {
    expect(resumeDue(contract, at(now))).toStrictEqual(
      nextBilling === null ? null : { kind: "resume_contract", contractId: CONTRACT_ID, nextBillingDate: at(nextBilling) },
    );
  });

  it("resumeEarly bills now instead of on the old resume date", () => {
    expect(resumeEarly(contract, at("2025-06-01T10:00:00Z"))).toStrictEqual({
      ok: true,
      plan: { kind: "resume_contract", contractId: CONTRACT_ID, nextBillingDate: at("2025-06-01T10:00:00Z") },
    });
  });

  it("resumeEarly refuses a contract that is not paused", () => {
    expect(resumeEarly(aContract(), NOW)).toStrictEqual({ ok: false, error: "not_paused" });
  });
});

describe("extendPause", () => {
  const contract = paused("2025-05-20T10:00:00Z", "2025-06-20T10:00:00Z");
  const cases: [string, SubscriptionContract, number, string, number, object][] = [
    ["by 2 months, within a 6-month limit", contract, 2, "2025-06-01T00:00:00Z", 6, { ok: true, plan: { kind: "extend_pause", contractId: CONTRACT_ID, pausedOn: at("2025-05-20T10:00:00Z"), resumeOn: at("2025-08-20T10:00:00Z") } }],
    ["up to exactly the limit", contract, 2, "2025-06-01T00:00:00Z", 3, { ok: true, plan: { kind: "extend_pause", contractId: CONTRACT_ID, pausedOn: at("2025-05-20T10:00:00Z"), resumeOn: at("2025-08-20T10:00:00Z") } }],
    ["past the limit", contract, 3, "2025-06-01T00:00:00Z", 3, { ok: false, error: "pause_too_long" }],
    ["after the pause has ended", contract, 1, "2025-06-20T10:00:00Z", 6, { ok: false, error: "pause_ended" }],
    ["a contract that is not paused", aContract(), 1, "2025-06-01T00:00:00Z", 6, { ok: false, error: "not_paused" }],
  ];
  it.each(cases)("%s", (_name, c, months, now, maxMonths, expected) => {
    expect(extendPause(c, months, at(now), settingsWith({ pause: { maxMonths } }))).toStrictEqual(expected);
  });
});
