import { encodeCode, normalizeCode } from "./codes";
import { describeDiscountCode, type IssueContext, type RewardIssue } from "./rewards";
import type { ReferralSettings } from "./settings";

/** 60 bits: among a million customers of one shop, two share a code with odds of about 1 in 2 million. */
const REFERRAL_CODE_LENGTH = 12;

/**
 * A customer's referral code: the same every time for the same customer, and not guessable from the
 * customer id without the secret inside `keyedHash` (e.g. HMAC-SHA256 under the app secret, from
 * node:crypto, at least 12 bytes out). Store it with a unique index to look the referrer up.
 */
export function referralCode(customerId: string, keyedHash: (message: string) => Uint8Array): string {
  return encodeCode(keyedHash(`referral:${customerId}`), REFERRAL_CODE_LENGTH);
}

/** A referral code as typed or pasted (any case, spaces, dashes), or null if it cannot be one. */
export function parseReferralCode(input: string): string | null {
  return normalizeCode(input, REFERRAL_CODE_LENGTH);
}

/** The single-use discount code the referred friend receives. */
export function describeReferralDiscount(referral: ReferralSettings, context: IssueContext): RewardIssue {
  const { value, minimumOrderMinor, expiresAfterDays } = referral.friendDiscount;
  return describeDiscountCode("Referral discount", value, { minimumOrderMinor, expiresAfterDays }, context);
}
