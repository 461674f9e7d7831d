/**
 * What to change, as plain data, when a subscriber accepts an offer or manages a pause. The Shopify
 * adapter turns each plan into Admin API calls:
 *
 * - pause_contract → subscriptionContractPause. Shopify's pause has no end, so the app keeps `resumeOn`
 *   and carries out a resume_contract plan then.
 * - resume_contract → subscriptionContractActivate, then subscriptionContractSetNextBillingDate.
 * - skip_billing_cycle → subscriptionBillingCycleSkip with the cycle selected by its date.
 * - update_contract → subscriptionContractUpdate (a draft), the change (subscriptionDraftUpdate for the
 *   frequency, subscriptionDraftLineUpdate for a swap, subscriptionDraftDiscountAdd with
 *   recurringCycleLimit for a discount), then subscriptionDraftCommit.
 * - credit_points → one loyalty-ledger row; the idempotency key makes a retried acceptance credit once.
 * - extend_pause → the app's own record only; Shopify has nothing to change.
 */
import { applicableSwap, offerGuard } from "./chooseSaveOffer";
import type { CancelSaveSettings, SaveOffer } from "./settings";
import { addDaysUtc, addFrequency, addMonthsUtc } from "./time";
import type { Frequency, SubscriberFacts, SubscriptionContract } from "./types";

/** What a pause leaves untouched, for the confirmation screen and for whoever would otherwise change it. */
export type PauseKeeps = {
  /** Prices stay as they are: resuming bills the same lines at the same prices, never the current list price. */
  lines: { lineId: string; variantId: string; unitPriceMinor: number }[];
  currencyCode: string;
  /** A grandfathered price keeps its end date; the pause neither ends nor shortens it. */
  priceProtectedUntil: Date | null;
  /** The loyalty tier is held until the pause ends, though no orders come in meanwhile. */
  tier: string | null;
};

export type ContractDraftChange =
  | { kind: "set_frequency"; billing: Frequency; delivery: Frequency }
  | { kind: "swap_line"; lineId: string; fromVariantId: string; toVariantId: string; unitPriceMinor: number }
  /** One billing cycle is one order for the pay-per-delivery contracts discounts are offered on. */
  | { kind: "add_discount"; title: string; percent: number; billingCycles: number };

export type ResumePlan = { kind: "resume_contract"; contractId: string; nextBillingDate: Date };

export type OfferPlan =
  | { kind: "pause_contract"; contractId: string; pausedOn: Date; resumeOn: Date; keeps: PauseKeeps }
  | { kind: "skip_billing_cycle"; contractId: string; cycleDate: Date; nextBillingDateAfterSkip: Date }
  | { kind: "update_contract"; contractId: string; change: ContractDraftChange }
  | { kind: "credit_points"; customerId: string; points: number; idempotencyKey: string };

/**
 * The change that carries out an accepted offer. The offer's guard is checked again here, because the
 * contract may have changed since the offer was shown; a refusal means the subscriber is told nothing
 * changed and can still cancel.
 */
export function planAcceptedOffer(
  offer: SaveOffer,
  subscriber: SubscriberFacts,
  context: { attemptId: string; now: Date },
): { ok: true; plan: OfferPlan } | { ok: false; error: "discount_active" | "not_applicable" } {
  const guard = offerGuard(offer, subscriber);
  if (guard !== null) return { ok: false, error: guard };
  const contract = subscriber.contract;
  const contractId = contract.id;
  const { now, attemptId } = context;
  switch (offer.kind) {
    case "pause":
      return {
        ok: true,
        plan: { kind: "pause_contract", contractId, pausedOn: now, resumeOn: addMonthsUtc(now, offer.months), keeps: pauseKeeps(subscriber) },
      };
    case "skip_next_delivery": {
      // The guard has checked that an active contract has a next billing date.
      const cycleDate = contract.nextBillingDate as Date;
      return {
        ok: true,
        plan: { kind: "skip_billing_cycle", contractId, cycleDate, nextBillingDateAfterSkip: addFrequency(cycleDate, contract.billing) },
      };
    }
    case "change_frequency":
      return { ok: true, plan: { kind: "update_contract", contractId, change: { kind: "set_frequency", billing: offer.frequency, delivery: offer.frequency } } };
    case "swap_variant": {
      // The guard has found a swap that fits.
      const { line, swap } = applicableSwap(offer, contract) as NonNullable<ReturnType<typeof applicableSwap>>;
      return {
        ok: true,
        plan: {
          kind: "update_contract",
          contractId,
          change: { kind: "swap_line", lineId: line.id, fromVariantId: line.variantId, toVariantId: swap.toVariantId, unitPriceMinor: swap.toUnitPrice.amountMinor },
        },
      };
    }
    case "discount":
      return {
        ok: true,
        plan: {
          kind: "update_contract",
          contractId,
          change: { kind: "add_discount", title: `${offer.percent}% off for staying`, percent: offer.percent, billingCycles: offer.orders },
        },
      };
    case "bonus_points":
      return {
        ok: true,
        plan: { kind: "credit_points", customerId: subscriber.customerId, points: offer.points, idempotencyKey: `cancel-save:${attemptId}:bonus-points` },
      };
  }
}

function pauseKeeps(subscriber: SubscriberFacts): PauseKeeps {
  const { contract } = subscriber;
  return {
    lines: contract.lines.map((l) => ({ lineId: l.id, variantId: l.variantId, unitPriceMinor: l.unitPriceMinor })),
    currencyCode: contract.currencyCode,
    priceProtectedUntil: contract.priceProtectedUntil,
    tier: subscriber.tier,
  };
}

function appPause(contract: SubscriptionContract): { pausedOn: Date; resumeOn: Date } | null {
  return contract.status === "PAUSED" ? contract.pause : null;
}

/**
 * The "your pause ends soon" reminder (a Flow trigger) when it is due: from `reminderDaysBeforeResume`
 * days before the resume date until the resume date. A daily job may ask every day; the idempotency key
 * names the resume date, so the reminder goes out once per pause end, and again after an extension.
 */
export function pauseReminderDue(
  contract: SubscriptionContract,
  now: Date,
  settings: CancelSaveSettings,
): { contractId: string; resumeOn: Date; idempotencyKey: string } | null {
  const pause = appPause(contract);
  const days = settings.pause.reminderDaysBeforeResume;
  if (!pause || days === 0) return null;
  if (now < addDaysUtc(pause.resumeOn, -days) || now >= pause.resumeOn) return null;
  return { contractId: contract.id, resumeOn: pause.resumeOn, idempotencyKey: `pause-reminder:${contract.id}:${pause.resumeOn.toISOString()}` };
}

/** The scheduled end of a pause the app made, once its resume date has come. */
export function resumeDue(contract: SubscriptionContract, now: Date): ResumePlan | null {
  const pause = appPause(contract);
  return pause && now >= pause.resumeOn ? { kind: "resume_contract", contractId: contract.id, nextBillingDate: now } : null;
}

/** The subscriber ends a pause now; the next order is billed now rather than on the old resume date. */
export function resumeEarly(contract: SubscriptionContract, now: Date): { ok: true; plan: ResumePlan } | { ok: false; error: "not_paused" } {
  if (contract.status !== "PAUSED") return { ok: false, error: "not_paused" };
  return { ok: true, plan: { kind: "resume_contract", contractId: contract.id, nextBillingDate: now } };
}

export type ExtendPausePlan = { kind: "extend_pause"; contractId: string; pausedOn: Date; resumeOn: Date };

/**
 * Moves the resume date `months` later. Refused once the pause has ended, and when the pause would then
 * last longer than `settings.pause.maxMonths` from its start.
 */
export function extendPause(
  contract: SubscriptionContract,
  months: number,
  now: Date,
  settings: CancelSaveSettings,
): { ok: true; plan: ExtendPausePlan } | { ok: false; error: "not_paused" | "pause_ended" | "pause_too_long" } {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`extend a pause by whole months, not ${months}`);
  const pause = appPause(contract);
  if (!pause) return { ok: false, error: "not_paused" };
  if (now >= pause.resumeOn) return { ok: false, error: "pause_ended" };
  const resumeOn = addMonthsUtc(pause.resumeOn, months);
  if (resumeOn > addMonthsUtc(pause.pausedOn, settings.pause.maxMonths)) return { ok: false, error: "pause_too_long" };
  return { ok: true, plan: { kind: "extend_pause", contractId: contract.id, pausedOn: pause.pausedOn, resumeOn } };
}
