/**
 * Refit and score every customer of a shop: purchase histories from the order facts (one set-based query),
 * BG/NBD and Gamma-Gamma fitted on them, then per customer P(alive), expected purchases in 90 days, lifetime
 * value, risk with its reasons and RFM segment, written in batches. Histories are in days, so the fitted
 * parameters are stored with timeUnit "days".
 */
import type { Database } from "~/data/db.server";
import { customerPurchaseSummaries, type CustomerPurchaseSummary } from "~/data/churn/orders.server";
import { deleteScoresNotFromRun, upsertScores, type CustomerScoreRow } from "~/data/churn/scores.server";
import {
  customerLifetimeValue,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  groupHistories,
  probabilityAlive,
  rfmScores,
  rfmSegment,
  riskLevel,
  type BgNbdFit,
  type GammaGammaFit,
  type PurchaseHistory,
  type TimeUnit,
} from "~/domain/churn";
import { riskPolicyOf, type ChurnSettings } from "./settings.server";

export const SCORING_TIME_UNIT: TimeUnit = "days";
export const EXPECTED_PURCHASES_HORIZON_DAYS = 90;
const BATCH = 2_000;

export class NotEnoughHistoryError extends Error {
  override name = "NotEnoughHistoryError";
}

export interface FittedModels {
  timeUnit: TimeUnit;
  bgNbd: BgNbdFit;
  /** Null when no customer has a repeat purchase with a positive value, or the fit has no finite mean (q ≤ 1). */
  gammaGamma: GammaGammaFit | null;
}

export const historyOf = (summary: Pick<CustomerPurchaseSummary, "frequency" | "recencyDays" | "ageDays">): PurchaseHistory => ({
  frequency: summary.frequency,
  recency: summary.recencyDays,
  T: summary.ageDays,
});

export function fitModels(summaries: readonly CustomerPurchaseSummary[]): FittedModels {
  if (!summaries.some((s) => s.frequency > 0)) {
    throw new NotEnoughHistoryError(`no repeat purchases yet among ${summaries.length} customers: the model needs customers who bought on two different days`);
  }
  const bgNbd = fitBgNbd(groupHistories(summaries.map(historyOf)));
  const spenders = summaries.filter((s) => s.frequency > 0 && s.monetaryMinor > 0).map((s) => ({ frequency: s.frequency, averageOrderValueMinor: s.monetaryMinor }));
  const fitted = spenders.length > 0 ? fitGammaGamma(spenders) : null;
  return { timeUnit: SCORING_TIME_UNIT, bgNbd, gammaGamma: fitted && fitted.params.q > 1 ? fitted : null };
}

export interface ScoringOutcome {
  models: FittedModels;
  customers: number;
  removedScores: number;
}

/** Fits the shop's models at `now` and stores every customer's score; `onProgress` after each batch. */
export async function refitAndScore({
  database,
  shopId,
  runId,
  now,
  settings,
  onFitted,
  onProgress,
}: {
  database: Database;
  shopId: number;
  runId: number;
  now: Date;
  settings: ChurnSettings;
  onFitted?: (models: FittedModels, customers: number) => Promise<void>;
  onProgress?: (scored: number, total: number) => Promise<void>;
}): Promise<ScoringOutcome> {
  const summaries = await customerPurchaseSummaries(database.pool, shopId, now);
  const models = fitModels(summaries);
  await onFitted?.(models, summaries.length);
  const rfm = rfmScores(summaries.map((s) => ({ customerId: s.customerId, daysSinceLastOrder: s.ageDays - s.recencyDays, orders: s.orders, spentMinor: s.spentMinor })));
  const policy = riskPolicyOf(settings);
  for (let start = 0; start < summaries.length; start += BATCH) {
    const rows = summaries.slice(start, start + BATCH).map((summary, i) => scoreCustomer(summary, rfm[start + i], models, settings, policy));
    await upsertScores(database.pool, shopId, runId, now, rows);
    await onProgress?.(Math.min(start + BATCH, summaries.length), summaries.length);
  }
  const removedScores = await deleteScoresNotFromRun(database.pool, shopId, runId);
  return { models, customers: summaries.length, removedScores };
}

function scoreCustomer(
  summary: CustomerPurchaseSummary,
  rfm: { recency: number; frequency: number; monetary: number },
  { bgNbd, gammaGamma, timeUnit }: FittedModels,
  settings: ChurnSettings,
  policy: ReturnType<typeof riskPolicyOf>,
): CustomerScoreRow {
  const history = historyOf(summary);
  const alive = probabilityAlive(bgNbd.params, history);
  const risk = riskLevel({ probabilityAlive: alive, history, timeUnit, valueMinor: summary.spentMinor }, policy);
  return {
    customerId: summary.customerId,
    orders: summary.orders,
    spentMinor: summary.spentMinor,
    firstOrderAt: summary.firstOrderAt,
    lastOrderAt: summary.lastOrderAt,
    frequency: summary.frequency,
    recencyDays: summary.recencyDays,
    ageDays: summary.ageDays,
    probabilityAlive: alive,
    expectedPurchases90d: expectedPurchases(bgNbd.params, history, EXPECTED_PURCHASES_HORIZON_DAYS),
    lifetimeValueMinor: gammaGamma
      ? customerLifetimeValue({
          bgNbd: bgNbd.params,
          gammaGamma: gammaGamma.params,
          customer: { ...history, averageOrderValueMinor: summary.monetaryMinor },
          timeUnit,
          horizonMonths: settings.lifetimeValue.horizonMonths,
          monthlyDiscountRate: settings.lifetimeValue.monthlyDiscountRate,
        })
      : null,
    riskLevel: risk.level,
    riskReasons: risk.reasons,
    segment: rfmSegment(rfm),
    rfmRecency: rfm.recency,
    rfmFrequency: rfm.frequency,
    rfmMonetary: rfm.monetary,
  };
}
