import { tz } from "@date-fns/tz";
import { addDays, addMonths, addWeeks, startOfDay, startOfMonth, startOfWeek } from "date-fns";
import type { Money } from "~/domain/money";
import type { SaveOfferKind } from "./settings";
import { addDaysUtc } from "./time";
import type { Frequency } from "./types";

/** A save counts once the subscriber has stayed this many days after accepting. */
export const SAVE_WINDOW_DAYS = 30;

/** Reasons that a pause answers best. */
export const PAUSE_LEADING_REASONS = ["not_using_it", "too_much_product"] as const;

/** Fewer answered surveys than this make no recommendation: a handful of answers is not evidence. */
export const RECOMMENDATION_MIN_ANSWERS = 20;

/** One press of Cancel and what came of it. */
export type CancelAttempt = {
  id: string;
  at: Date;
  /** Null when the survey was skipped. */
  reason: string | null;
  offerShown: { id: string; kind: SaveOfferKind } | null;
  acceptedAt: Date | null;
  /** When the contract was cancelled: in the flow, or later after accepting; null while it runs. */
  cancelledAt: Date | null;
  /** The contract's price per billing cycle and its billing frequency. */
  pricePerCycle: Money;
  billing: Frequency;
};

export type AttemptOutcome =
  | "cancelled"
  /** Left the flow without cancelling or accepting. */
  | "abandoned"
  /** Accepted, and the save window has not passed yet. */
  | "save_pending"
  | "saved"
  /** Accepted, then cancelled within the save window. */
  | "lost_after_accepting";

/** Saved = accepted and not cancelled within SAVE_WINDOW_DAYS after accepting, known only once they have passed. */
export function attemptOutcome(attempt: CancelAttempt, now: Date): AttemptOutcome {
  if (attempt.acceptedAt === null) return attempt.cancelledAt === null ? "abandoned" : "cancelled";
  const windowEnds = addDaysUtc(attempt.acceptedAt, SAVE_WINDOW_DAYS);
  if (attempt.cancelledAt !== null && attempt.cancelledAt < windowEnds) return "lost_after_accepting";
  return now >= windowEnds ? "saved" : "save_pending";
}

/**
 * A contract's recurring revenue per month, rounded to the minor unit: weeks as 52/12 a month, days as
 * 365/12. Revenue kept is measured this way because a save is a subscription that goes on: counting only
 * the cycles billed inside the 30-day window would value a saved pause at nothing.
 */
export function monthlyRecurringRevenue(pricePerCycle: Money, billing: Frequency): Money {
  const cyclesPerYear = { DAY: 365, WEEK: 52, MONTH: 12, YEAR: 1 }[billing.interval] / billing.intervalCount;
  return { amountMinor: Math.round((pricePerCycle.amountMinor * cyclesPerYear) / 12), currencyCode: pricePerCycle.currencyCode };
}

export type OfferKindFigures = { shown: number; accepted: number; saved: number };

export type CancelSaveFigures = {
  attempts: number;
  /** Answers by reason code. */
  reasons: Record<string, number>;
  surveySkipped: number;
  offersShown: number;
  accepted: number;
  saved: number;
  savePending: number;
  lostAfterAccepting: number;
  /** Cancelled in the flow: skipped the survey, had no offer, or declined it. */
  cancelled: number;
  abandoned: number;
  byOfferKind: Partial<Record<SaveOfferKind, OfferKindFigures>>;
  /** Monthly recurring revenue of the saved subscriptions, one entry per currency, by currency code. */
  revenueKept: Money[];
};

/** "Most cancels are not_using_it / too_much_product, so lead with a pause", with the counts behind it. */
export type PauseRecommendation = { leadWith: "pause"; reasons: readonly string[]; matching: number; answered: number };

export type CancelSaveReport = {
  periods: ({ start: Date } & CancelSaveFigures)[];
  total: CancelSaveFigures;
  recommendation: PauseRecommendation | null;
};

export type ReportPeriod = "day" | "week" | "month";

/**
 * Cancel attempts made in [from, to), grouped by the period they were made in on the shop's wall clock
 * (weeks start on Monday). Every period in the range is listed, empty ones too, so a chart has no gaps.
 */
export function cancelSaveReport(
  attempts: CancelAttempt[],
  options: { from: Date; to: Date; period: ReportPeriod; timeZone: string; now: Date },
): CancelSaveReport {
  const { from, to, period, now } = options;
  const zone = { in: tz(options.timeZone) };
  const periodStart = (d: Date) =>
    (period === "day" ? startOfDay(d, zone) : period === "week" ? startOfWeek(d, { ...zone, weekStartsOn: 1 }) : startOfMonth(d, zone)).getTime();
  const nextPeriod = (t: number) => (period === "day" ? addDays(t, 1, zone) : period === "week" ? addWeeks(t, 1, zone) : addMonths(t, 1, zone)).getTime();

  const inRange = attempts.filter((a) => a.at >= from && a.at < to);
  const byPeriod = new Map<number, CancelAttempt[]>();
  for (let start = periodStart(from); start < to.getTime(); start = nextPeriod(start)) byPeriod.set(start, []);
  for (const attempt of inRange) byPeriod.get(periodStart(attempt.at))?.push(attempt);

  return {
    periods: [...byPeriod].map(([start, group]) => ({ start: new Date(start), ...figures(group, now) })),
    total: figures(inRange, now),
    recommendation: pauseRecommendation(inRange),
  };
}

function figures(attempts: CancelAttempt[], now: Date): CancelSaveFigures {
  const result: CancelSaveFigures = {
    attempts: attempts.length,
    reasons: {},
    surveySkipped: 0,
    offersShown: 0,
    accepted: 0,
    saved: 0,
    savePending: 0,
    lostAfterAccepting: 0,
    cancelled: 0,
    abandoned: 0,
    byOfferKind: {},
    revenueKept: [],
  };
  const kept = new Map<string, number>();
  for (const attempt of attempts) {
    if (attempt.reason === null) result.surveySkipped += 1;
    else result.reasons[attempt.reason] = (result.reasons[attempt.reason] ?? 0) + 1;
    const outcome = attemptOutcome(attempt, now);
    if (attempt.acceptedAt !== null) result.accepted += 1;
    if (outcome === "saved") {
      result.saved += 1;
      const monthly = monthlyRecurringRevenue(attempt.pricePerCycle, attempt.billing);
      kept.set(monthly.currencyCode, (kept.get(monthly.currencyCode) ?? 0) + monthly.amountMinor);
    }
    if (outcome === "save_pending") result.savePending += 1;
    if (outcome === "lost_after_accepting") result.lostAfterAccepting += 1;
    if (outcome === "cancelled") result.cancelled += 1;
    if (outcome === "abandoned") result.abandoned += 1;
    if (attempt.offerShown !== null) {
      result.offersShown += 1;
      const kind = (result.byOfferKind[attempt.offerShown.kind] ??= { shown: 0, accepted: 0, saved: 0 });
      kind.shown += 1;
      if (attempt.acceptedAt !== null) kind.accepted += 1;
      if (outcome === "saved") kind.saved += 1;
    }
  }
  result.revenueKept = [...kept]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currencyCode, amountMinor]) => ({ amountMinor, currencyCode }));
  return result;
}

function pauseRecommendation(attempts: CancelAttempt[]): PauseRecommendation | null {
  const answered = attempts.filter((a) => a.reason !== null);
  const matching = answered.filter((a) => (PAUSE_LEADING_REASONS as readonly (string | null)[]).includes(a.reason)).length;
  if (answered.length < RECOMMENDATION_MIN_ANSWERS || matching * 2 <= answered.length) return null;
  return { leadWith: "pause", reasons: PAUSE_LEADING_REASONS, matching, answered: answered.length };
}
