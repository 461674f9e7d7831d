/**
 * Churn radar domain: who is likely to stop buying, what they are worth, and whether win-back works.
 * Pure functions over plain data; times are in one unit per model (days or weeks, see TimeUnit);
 * money is integer minor units. Reasons behind the choices: docs/decisions/010-churn-models.md.
 */
export {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesOfNewCustomer,
  fitBgNbd,
  groupHistories,
  probabilityAlive,
  type BgNbdFit,
  type BgNbdParams,
  type PurchaseHistory,
  type WeightedHistory,
} from "./bg-nbd";
export {
  expectedAverageValue,
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaParams,
  type SpendHistory,
} from "./gamma-gamma";
export {
  customerLifetimeValue,
  DAYS_PER_MONTH,
  lifetimeValueBySegment,
  type LifetimeValueInput,
  type SegmentValue,
} from "./lifetime-value";
export {
  summarizeTransactions,
  type CustomerSummary,
  type OrderRecord,
  type TimeUnit,
} from "./transactions";
export { DEFAULT_RISK_POLICY, describeDuration, riskLevel, type RiskInput, type RiskLevel, type RiskPolicy } from "./risk";
export { RFM_SEGMENT_RULES, rfmScores, rfmSegment, type RfmInput, type RfmScore, type RfmSegment } from "./rfm";
export {
  churnHealth,
  churnRate,
  cohortRetention,
  describeLostDefinition,
  measureChurn,
  purchaseMetrics,
  retentionRate,
  type ChurnHealth,
  type ChurnMeasurement,
  type CohortRow,
  type CustomerActivity,
  type LostDefinition,
  type Order,
  type PurchaseMetrics,
} from "./retention";
export {
  holdoutAssignment,
  liftWithConfidence,
  type CampaignLift,
  type GroupOutcome,
  type HoldoutGroup,
} from "./win-back";
