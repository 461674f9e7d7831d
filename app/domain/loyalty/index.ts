/**
 * The loyalty engine's rules: pure functions over plain data. Money is integer minor units with a
 * currency code, points are integers, the clock is passed in as `now`. Nothing here reads a database
 * or calls Shopify; docs/decisions/020-loyalty-ledger.md explains how the ledger uses these rules.
 */

// Program settings: zod schema with the defaults of a new shop, storefront texts per language.
export {
  EARNING_ACTIONS,
  STOREFRONT_LANGUAGES,
  currencyUnitMinor,
  defaultProgramSettings,
  formatPoints,
  programSettingsSchema,
  setProgramEnabled,
} from "./settings";
export type {
  ActionSettings,
  DiscountValue,
  EarningAction,
  EarningSettings,
  ExpirySettings,
  ProgramSettings,
  ProgramSettingsInput,
  ReferralSettings,
  StorefrontLanguage,
  StorefrontTextSet,
  Tier,
  TierPerks,
  TierRules,
} from "./settings";

// Earning from a paid order.
export { BASE_MULTIPLIER_BPS, decideOrderEarning, earningBaseMinor, pointsForAmount } from "./earning";
export type { EarningDecision, NoEarningReason, OrderEarning, OrderMoney, PaidOrder } from "./earning";

// An order's points under duplicate and out-of-order webhooks: convergent state, target, correction row.
export {
  NEW_ORDER_POINTS,
  applyCancel,
  applyOrderEvent,
  applyOrderPaid,
  applyRefund,
  orderEventCause,
  orderPointsCorrection,
  targetPointsForOrder,
} from "./orderPoints";
export type { OrderPointsEvent, OrderPointsState } from "./orderPoints";

// Balance derived from ledger rows; who may overdraw.
export { ACTIVITY_KINDS, LEDGER_ENTRY_KINDS, canPostEntry, canRedeem, pointsBalance } from "./balance";
export type { LedgerEntry, LedgerEntryKind, PointsBalance } from "./balance";

// Inactivity expiry and its reminder.
export { checkExpiry, expiryEntryKey } from "./expiry";
export type { ExpiryCheck } from "./expiry";

// Points for actions, referral rules.
export {
  birthdaySchema,
  decideActionAward,
  decideBirthdayAward,
  decideReferrerAward,
  normalizeAddress,
  normalizeEmail,
  referralRefusal,
} from "./actions";
export type {
  ActionAward,
  ActionRefusal,
  Birthday,
  PostalAddress,
  ReferralParty,
  ReferralRefusal,
  SimpleActionOccurrence,
} from "./actions";

// VIP tiers: qualification, assignment with retention, preview of a rule change.
export {
  POINTS_EARNED_KINDS,
  nextTierAssignment,
  previewTierChanges,
  qualifiedTier,
  qualifyingAmount,
  renamedTiers,
  rollingWindowStart,
  tierMultiplierBps,
  tierPerks,
} from "./tiers";
export type { TierAssignment, TierChange, TierChangePreview, TierStanding } from "./tiers";

// Rewards catalogue, redemption quote, single-use codes, what to create in Shopify.
export { describeRedemption, generateRewardCode, quoteRedemption, rewardSchema } from "./rewards";
export type { IssueContext, Money, RedemptionQuote, RedemptionRefusal, Reward, RewardInput, RewardIssue } from "./rewards";

// Referral codes and the referred friend's discount.
export { describeReferralDiscount, parseReferralCode, referralCode } from "./referral";

// The tier-perks discount Function's configuration (extensions/tier-perks).
export { tierPerkFunctionConfiguration } from "./tier-perk-function";
export type { TierPerkFunctionConfiguration } from "./tier-perk-function";
