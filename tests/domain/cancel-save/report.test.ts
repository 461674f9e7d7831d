import { describe, expect, it } from "vitest";
import {
  attemptOutcome,
  cancelSaveReport,
  monthlyRecurringRevenue,
  type AttemptOutcome,
  type CancelAttempt,
  type Frequency,
} from "~/domain/cancel-save";

const DAY_MS = 86_400_000;
const at = (iso: string) => new Date(iso);
const plus = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
const monthly: Frequency = { interval: "MONTH", intervalCount: 1 };

let counter = 0;
function attempt(overrides: Partial<CancelAttempt> = {}): CancelAttempt {
  counter += 1;
  return {
    id: `attempt-${counter}`,
    at: at("2025-04-10T10:00:00Z"),
    reason: "not_using_it",
    offerShown: null,
    acceptedAt: null,
    cancelledAt: null,
    pricePerCycle: { amountMinor: 2500, currencyCode: "EUR" },
    billing: monthly,
    ...overrides,
  };
}

describe("attemptOutcome: saved = accepted and not cancelled within 30 days, known once they have passed", () => {
  const accepted = at("2025-05-01T10:00:00Z");
  const cases: [string, Partial<CancelAttempt>, Date, AttemptOutcome][] = [
    ["left the flow without deciding", {}, accepted, "abandoned"],
    ["cancelled in the flow", { cancelledAt: accepted }, accepted, "cancelled"],
    ["accepted 10 days ago, still subscribed: not counted yet", { acceptedAt: accepted }, plus(accepted, 10), "save_pending"],
    ["accepted exactly 30 days ago, still subscribed: saved", { acceptedAt: accepted }, plus(accepted, 30), "saved"],
    ["cancelled 29 days after accepting: lost", { acceptedAt: accepted, cancelledAt: plus(accepted, 29) }, plus(accepted, 60), "lost_after_accepting"],
    ["cancelled 5 days after accepting is lost at once, before the window ends", { acceptedAt: accepted, cancelledAt: plus(accepted, 5) }, plus(accepted, 6), "lost_after_accepting"],
    ["cancelled 30 days after accepting: it was saved", { acceptedAt: accepted, cancelledAt: plus(accepted, 30) }, plus(accepted, 60), "saved"],
  ];
  it.each(cases)("%s", (_name, overrides, now, outcome) => {
    expect(attemptOutcome(attempt(overrides), now)).toBe(outcome);
  });
});

describe("monthlyRecurringRevenue", () => {
  const cases: [string, number, Frequency, number][] = [
    ["monthly", 2500, monthly, 2500],
    ["every 2 months", 2500, { interval: "MONTH", intervalCount: 2 }, 1250],
    ["every 3 months, rounded", 1000, { interval: "MONTH", intervalCount: 3 }, 333],
    ["weekly: 52 weeks over 12 months", 1000, { interval: "WEEK", intervalCount: 1 }, 4333],
    ["fortnightly, rounded half up", 1000, { interval: "WEEK", intervalCount: 2 }, 2167],
    ["daily: 365 days over 12 months", 100, { interval: "DAY", intervalCount: 1 }, 3042],
    ["yearly", 12_000, { interval: "YEAR", intervalCount: 1 }, 1000],
  ];
  it.each(cases)("%s", (_name, price, billing, expected) => {
    expect(monthlyRecurringRevenue({ amountMinor: price, currencyCode: "EUR" }, billing)).toStrictEqual({ amountMinor: expected, currencyCode: "EUR" });
  });
});

describe("cancelSaveReport", () => {
  const now = at("2025-06-20T12:00:00Z");
  const pauseShown = { id: "pause-1-month", kind: "pause" as const };
  const discountShown = { id: "discount-20-next-2", kind: "discount" as const };
  const attempts: CancelAttempt[] = [
    // 31 March 22:30 UTC is already 1 April in Warsaw.
    attempt({ at: at("2025-03-31T22:30:00Z"), reason: "not_using_it", offerShown: pauseShown, acceptedAt: at("2025-03-31T22:31:00Z") }),
    attempt({ at: at("2025-03-10T09:00:00Z"), reason: "too_expensive", offerShown: discountShown, cancelledAt: at("2025-03-10T09:01:00Z") }),
    attempt({ at: at("2025-03-12T09:00:00Z"), reason: null, cancelledAt: at("2025-03-12T09:00:30Z") }),
    attempt({
      at: at("2025-03-15T09:00:00Z"),
      reason: "too_much_product",
      offerShown: pauseShown,
      acceptedAt: at("2025-03-15T09:01:00Z"),
      pricePerCycle: { amountMinor: 1000, currencyCode: "USD" },
      billing: { interval: "WEEK", intervalCount: 2 },
    }),
    attempt({ at: at("2025-03-20T09:00:00Z"), reason: "too_expensive", offerShown: discountShown, acceptedAt: at("2025-03-20T09:01:00Z"), cancelledAt: at("2025-04-01T00:00:00Z") }),
    attempt({ at: at("2025-04-15T09:00:00Z"), reason: "moving", offerShown: pauseShown, acceptedAt: at("2025-06-01T00:00:00Z") }),
    attempt({ at: at("2025-04-16T09:00:00Z"), reason: "quality" }),
    // Outside the range.
    attempt({ at: at("2025-02-28T22:59:00Z"), reason: "quality", cancelledAt: at("2025-02-28T23:00:00Z") }),
    attempt({ at: at("2025-05-31T22:00:00Z"), reason: "quality", cancelledAt: at("2025-05-31T22:01:00Z") }),
  ];
  // March, April and May on the shop's wall clock.
  const report = cancelSaveReport(attempts, { from: at("2025-02-28T23:00:00Z"), to: at("2025-05-31T22:00:00Z"), period: "month", timeZone: "Europe/Warsaw", now });

  it("lists every month of the range on the shop's clock, the empty one too", () => {
    expect(report.periods.map((p) => [p.start.toISOString(), p.attempts])).toStrictEqual([
      ["2025-02-28T23:00:00.000Z", 4],
      ["2025-03-31T22:00:00.000Z", 3],
      ["2025-04-30T22:00:00.000Z", 0],
    ]);
  });

  it("counts March: reasons, a skipped survey, offers, saves, losses and revenue kept per currency", () => {
    const { start: _start, ...march } = report.periods[0];
    expect(march).toStrictEqual({
      attempts: 4,
      reasons: { too_expensive: 2, too_much_product: 1 },
      surveySkipped: 1,
      offersShown: 3,
      accepted: 2,
      saved: 1,
      savePending: 0,
      lostAfterAccepting: 1,
      cancelled: 2,
      abandoned: 0,
      byOfferKind: { discount: { shown: 2, accepted: 1, saved: 0 }, pause: { shown: 1, accepted: 1, saved: 1 } },
      // A fortnightly 10.00 USD subscription keeps 10.00 × 26 / 12 a month.
      revenueKept: [{ amountMinor: 2167, currencyCode: "USD" }],
    });
  });

  it("counts April: a save whose 30 days have not passed is pending, not saved", () => {
    expect(report.periods[1]).toMatchObject({ attempts: 3, accepted: 2, saved: 1, savePending: 1, abandoned: 1, revenueKept: [{ amountMinor: 2500, currencyCode: "EUR" }] });
  });

  it("totals the range", () => {
    expect(report.total).toMatchObject({
      attempts: 7,
      saved: 2,
      savePending: 1,
      revenueKept: [
        { amountMinor: 2500, currencyCode: "EUR" },
        { amountMinor: 2167, currencyCode: "USD" },
      ],
    });
  });

  it("groups by Monday-started weeks", () => {
    const weeks = cancelSaveReport([attempt({ at: at("2025-06-08T20:00:00Z") }), attempt({ at: at("2025-06-09T08:00:00Z") })], {
      from: at("2025-06-02T00:00:00Z"),
      to: at("2025-06-16T00:00:00Z"),
      period: "week",
      timeZone: "UTC",
      now,
    });
    expect(weeks.periods.map((p) => [p.start.toISOString(), p.attempts])).toStrictEqual([
      ["2025-06-02T00:00:00.000Z", 1],
      ["2025-06-09T00:00:00.000Z", 1],
    ]);
  });
});

describe("the pause-leads recommendation", () => {
  const range = { from: at("2025-01-01T00:00:00Z"), to: at("2025-02-01T00:00:00Z"), period: "month" as const, timeZone: "UTC", now: at("2025-03-01T00:00:00Z") };
  const answers = (pauseLike: number, other: number, skipped = 0) => [
    ...Array.from({ length: pauseLike }, (_, i) => attempt({ at: at("2025-01-05T00:00:00Z"), reason: i % 2 ? "not_using_it" : "too_much_product" })),
    ...Array.from({ length: other }, () => attempt({ at: at("2025-01-05T00:00:00Z"), reason: "too_expensive" })),
    ...Array.from({ length: skipped }, () => attempt({ at: at("2025-01-05T00:00:00Z"), reason: null })),
  ];
  const cases: [string, CancelAttempt[], object | null][] = [
    ["11 of 20 answers are not using it / too much product: lead with a pause", answers(11, 9), { leadWith: "pause", reasons: ["not_using_it", "too_much_product"], matching: 11, answered: 20 }],
    ["10 of 20 is not most", answers(10, 10), null],
    ["19 answers are too few to say", answers(19, 0), null],
    ["skipped surveys are not answers", answers(12, 7, 30), null],
  ];
  it.each(cases)("%s", (_name, attempts, expected) => {
    expect(cancelSaveReport(attempts, range).recommendation).toStrictEqual(expected);
  });
});
