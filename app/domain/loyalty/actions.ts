import { z } from "zod";
import { calendarDateIn } from "./dates";
import type { EarningAction, ProgramSettings } from "./settings";
import { tierPerks } from "./tiers";

export type ReferralRefusal = "self_referral" | "same_email" | "same_address";
export type ActionRefusal = "program_off" | "action_disabled" | "cap_reached" | "not_birthday_yet" | "not_first_order" | ReferralRefusal;

/**
 * An award decision. `key` is the ledger row's idempotency key (unique per shop), one per occurrence
 * of the action, so a repeated request for the same occurrence can never award twice.
 */
export type ActionAward = { award: true; points: number; key: string } | { award: false; reason: ActionRefusal };

/** Occurrences of the actions that need no rule beyond the switch and the cap. */
export type SimpleActionOccurrence =
  | { action: "signup" }
  | { action: "review"; reviewId: string }
  | { action: "social_follow"; network: string }
  | { action: "survey"; surveyId: string };

function simpleActionKey(customerId: string, occurrence: SimpleActionOccurrence): string {
  switch (occurrence.action) {
    case "signup":
      return `signup:${customerId}`;
    case "review":
      return `review:${occurrence.reviewId}`;
    case "social_follow":
      return `social_follow:${customerId}:${occurrence.network}`;
    case "survey":
      return `survey:${occurrence.surveyId}:${customerId}`;
  }
}

/** `awardsSoFar`: how many times this customer has already been awarded for this action. */
function awardAction(program: ProgramSettings, action: EarningAction, awardsSoFar: number, points: number, key: string): ActionAward {
  const settings = program.actions[action];
  if (!program.enabled) return { award: false, reason: "program_off" };
  if (!settings.enabled) return { award: false, reason: "action_disabled" };
  if (settings.capPerCustomer !== null && awardsSoFar >= settings.capPerCustomer) return { award: false, reason: "cap_reached" };
  return { award: true, points, key };
}

/** Sign-up, review, social follow or survey: awarded when switched on and under the customer's cap. */
export function decideActionAward(
  input: { customerId: string; occurrence: SimpleActionOccurrence; awardsSoFar: number },
  program: ProgramSettings
): ActionAward {
  const { action } = input.occurrence;
  return awardAction(
    program,
    action,
    input.awardsSoFar,
    program.actions[action].points,
    simpleActionKey(input.customerId, input.occurrence)
  );
}

/** A birthday without a year (only month and day are asked for). 29 February is kept. */
export const birthdaySchema = z
  .object({ month: z.int().min(1).max(12), day: z.int().min(1).max(31) })
  .refine((b) => b.day <= new Date(Date.UTC(2000, b.month, 0)).getUTCDate(), { message: "No such day in that month", path: ["day"] });
export type Birthday = z.output<typeof birthdaySchema>;

/**
 * The birthday award, once per calendar year on or after the birthday, on the shop's calendar
 * (`timeZone`, IANA). In a year without 29 February that birthday falls on 28 February. The
 * customer's tier adds its birthday bonus.
 */
export function decideBirthdayAward(
  input: { customerId: string; birthday: Birthday; tierId: string | null; awardsSoFar: number; timeZone: string },
  program: ProgramSettings,
  now: Date
): ActionAward {
  const today = calendarDateIn(now, input.timeZone);
  const leapYear = new Date(Date.UTC(today.year, 1, 29)).getUTCMonth() === 1;
  const day = input.birthday.month === 2 && input.birthday.day === 29 && !leapYear ? 28 : input.birthday.day;
  const reached = today.month > input.birthday.month || (today.month === input.birthday.month && today.day >= day);
  if (!reached) return { award: false, reason: "not_birthday_yet" };
  const points = program.actions.birthday.points + (tierPerks(input.tierId, program.tiers)?.birthdayBonusPoints ?? 0);
  return awardAction(program, "birthday", input.awardsSoFar, points, `birthday:${input.customerId}:${today.year}`);
}

export type PostalAddress = {
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  countryCode: string | null;
};

/** A referrer or referred friend as the referral rules see them: every address they have used. */
export type ReferralParty = { customerId: string; email: string | null; addresses: readonly PostalAddress[] };

/**
 * The mailbox an address delivers to: case and surrounding spaces dropped, "+tag" sub-addresses
 * removed, and for Gmail the dots too (Gmail ignores them), so one person's variants compare equal.
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return trimmed;
  let local = trimmed.slice(0, at).split("+")[0];
  let domain = trimmed.slice(at + 1);
  if (domain === "gmail.com" || domain === "googlemail.com") {
    local = local.replaceAll(".", "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
}

function simplify(part: string | null): string {
  return (part ?? "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * A comparable form of a postal address (accents, case, punctuation and spacing ignored), or null
 * when it has no street line to compare.
 */
export function normalizeAddress(address: PostalAddress): string | null {
  const street = simplify(address.address1);
  if (street === "") return null;
  const zip = simplify(address.zip).replaceAll(" ", "");
  return [street, simplify(address.address2), simplify(address.city), zip, simplify(address.countryCode)].join("|");
}

/** Why a referral must be refused, or null when it is allowed: someone referring themselves. */
export function referralRefusal(referrer: ReferralParty, friend: ReferralParty): ReferralRefusal | null {
  if (referrer.customerId === friend.customerId) return "self_referral";
  if (referrer.email && friend.email && normalizeEmail(referrer.email) === normalizeEmail(friend.email)) return "same_email";
  const referrerAddresses = new Set(referrer.addresses.map(normalizeAddress).filter((a) => a !== null));
  if (friend.addresses.some((a) => referrerAddresses.has(normalizeAddress(a) ?? ""))) return "same_address";
  return null;
}

/**
 * The referrer's award when a referred friend's order is paid: only for the friend's first paid order
 * (`friendPriorPaidOrders` = 0), once per friend, with the refusals re-checked against the addresses
 * known by then (include the order's shipping address in the friend's addresses).
 */
export function decideReferrerAward(
  input: { referrer: ReferralParty; friend: ReferralParty; friendPriorPaidOrders: number; referrerAwardsSoFar: number },
  program: ProgramSettings
): ActionAward {
  const refusal = referralRefusal(input.referrer, input.friend);
  if (refusal) return { award: false, reason: refusal };
  if (input.friendPriorPaidOrders > 0) return { award: false, reason: "not_first_order" };
  return awardAction(
    program,
    "referral",
    input.referrerAwardsSoFar,
    program.actions.referral.points,
    `referral:${input.friend.customerId}`
  );
}
