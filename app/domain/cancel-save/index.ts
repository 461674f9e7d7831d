/**
 * Cancel-save: what a subscriber who presses Cancel is offered, how the two-step flow runs, what an
 * accepted offer changes, and how well the flow keeps subscribers. Pure functions over plain data; the
 * clock comes in as `now`, money as integer minor units with a currency code. Why the flow is shaped
 * this way: docs/decisions/030-cancel-save.md.
 */

/** Shared shapes: the contract mirror, the facts about a subscriber, frequencies, risk levels. */
export {
  BILLING_INTERVALS,
  CHURN_RISK_LEVELS,
  CONTRACT_STATUSES,
  isLiveContract,
  isPayPerDelivery,
  pricePerCycle,
  type BillingInterval,
  type ChurnRiskLevel,
  type ContractLine,
  type ContractStatus,
  type Frequency,
  type SubscriberFacts,
  type SubscriptionContract,
} from "./types";

/** The merchant's settings: flow switch, survey reasons (en/pl/ru/fi), offer catalogue, rules, cooldown, pause. */
export {
  CANCEL_FLOW_LANGUAGES,
  DEFAULT_OFFERS,
  DEFAULT_REASON_CODES,
  DEFAULT_REASONS,
  cancelSaveSettingsSchema,
  reasonLabel,
  type CancelFlowLanguage,
  type CancelReason,
  type CancelSaveSettings,
  type CancelSaveSettingsInput,
  type DefaultReasonCode,
  type SaveOffer,
  type SaveOfferKind,
  type SaveRule,
} from "./settings";

/** The one offer for a reason and a subscriber, or none and the guard that stopped it. */
export {
  DEFAULT_OFFER_KINDS,
  applicableSwap,
  chooseSaveOffer,
  offerGuard,
  type NoOfferReason,
  type OfferGuard,
  type PassedOverOffer,
  type SaveOfferChoice,
} from "./chooseSaveOffer";

/** The flow as a state machine: start → survey → offer → accepted | cancelled; Cancel within two actions. */
export {
  FREE_TEXT_MAX_LENGTH,
  advanceCancelFlow,
  availableEvents,
  startCancelFlow,
  type CancelFlowContext,
  type CancelFlowError,
  type CancelFlowEvent,
  type CancelFlowEventType,
  type CancelFlowResult,
  type CancelFlowState,
  type CancelFlowStep,
} from "./cancelFlow";

/** The Admin API changes for an accepted offer, and the pause's reminder, resume and extension. */
export {
  extendPause,
  pauseReminderDue,
  planAcceptedOffer,
  resumeDue,
  resumeEarly,
  type ContractDraftChange,
  type ExtendPausePlan,
  type OfferPlan,
  type PauseKeeps,
  type ResumePlan,
} from "./offerPlan";

/** Who keeps the old price when a plan's price rises, and until when. */
export {
  grandfatherPriceRise,
  grandfatheringRuleSchema,
  type GrandfatheringCandidate,
  type GrandfatheringRule,
  type LineRepricing,
  type PriceRise,
  type ProtectedSubscriber,
} from "./grandfathering";

/** Paid VIP membership: a tier held while the membership runs, and the move down when it lapses. */
export {
  effectiveTier,
  membershipSettingsSchema,
  membershipStanding,
  type EffectiveTier,
  type MembershipContract,
  type MembershipSettings,
  type MembershipStanding,
} from "./membership";

/** The cancel-save report: attempts, reasons, offers, saves, revenue kept, and the pause-leads evidence. */
export {
  PAUSE_LEADING_REASONS,
  RECOMMENDATION_MIN_ANSWERS,
  SAVE_WINDOW_DAYS,
  attemptOutcome,
  cancelSaveReport,
  monthlyRecurringRevenue,
  type AttemptOutcome,
  type CancelAttempt,
  type CancelSaveFigures,
  type CancelSaveReport,
  type OfferKindFigures,
  type PauseRecommendation,
  type ReportPeriod,
} from "./report";

/** Involuntary churn: failed billing attempts put a subscriber at risk. */
export { billingFailureRisk, type BillingAttempt, type BillingFailureRisk } from "./billingFailureRisk";
