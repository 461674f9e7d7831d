/**
 * What a subscriber is shown, as plain JSON: the same shapes answer the customer-account extension
 * (/api/subscriptions/*) and fill the theme's App Proxy page (/proxy/subscriptions). Dates are ISO strings,
 * money is integer minor units with a currency code.
 */
import {
  availableEvents,
  extendPause,
  isLiveContract,
  planAcceptedOffer,
  pricePerCycle,
  reasonLabel,
  type CancelFlowEventType,
  type CancelFlowLanguage,
  type CancelFlowState,
  type CancelSaveSettings,
  type ContractStatus,
  type Frequency,
  type SaveOffer,
  type SubscriberFacts,
  type SubscriptionContract,
} from "~/domain/cancel-save";
import type { Money } from "~/domain/money";
import type { AttemptRecord, CancelledVia, StoredStep } from "~/data/cancel-save/attempts.server";

export interface SubscriptionView {
  /** Shopify's numeric contract id. */
  id: string;
  status: ContractStatus;
  title: string;
  lines: { title: string; quantity: number; unitPrice: Money }[];
  pricePerCycle: Money;
  billing: Frequency;
  nextBillingDate: string | null;
  /** A pause the app made: when it ends, and by how many months it can still be extended. */
  pause: { resumeOn: string; extendableByMonths: number[] } | null;
  canCancel: boolean;
  canResume: boolean;
}

export type OfferView =
  | { kind: "pause"; months: number; resumeOn: string | null }
  | { kind: "skip_next_delivery"; skippedDate: string | null; nextBillingDateAfterSkip: string | null }
  | { kind: "change_frequency"; frequency: Frequency }
  | { kind: "swap_variant"; fromTitle: string | null; toTitle: string; toUnitPrice: Money }
  | { kind: "discount"; percent: number; orders: number }
  | { kind: "bonus_points"; points: number };

export interface FlowView {
  attemptId: string;
  contractId: string;
  step: StoredStep;
  /** The buttons to show; every screen before the end has one that cancels. */
  actions: readonly CancelFlowEventType[];
  /** The survey's reasons in the subscriber's language (at the survey only). */
  reasons: { code: string; label: string; asksFreeText: boolean }[];
  reason: string | null;
  offer: OfferView | null;
  cancelledVia: CancelledVia | null;
  subscription: SubscriptionView;
}

/** The domain's flow state held by an attempt record. */
export function flowStateOf(attempt: AttemptRecord, contractGid: string): CancelFlowState {
  const answer = { reason: attempt.reason ?? "", freeText: attempt.freeText };
  switch (attempt.step) {
    case "survey":
      return { step: "survey", contractId: contractGid };
    case "offer":
    case "accepted":
      return { step: attempt.step, contractId: contractGid, offer: attempt.offer!, ruleId: attempt.ruleId, ...answer };
    case "cancelled":
      if (attempt.cancelledVia === "declined_offer") return { step: "cancelled", contractId: contractGid, via: "declined_offer", declinedOffer: attempt.offer!, ...answer };
      if (attempt.cancelledVia === "no_offer") return { step: "cancelled", contractId: contractGid, via: "no_offer", noOfferBecause: attempt.noOfferBecause!, ...answer };
      return { step: "cancelled", contractId: contractGid, via: "cancel_now", reason: null, freeText: null };
  }
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function subscriptionView(contractId: string, contract: SubscriptionContract, settings: CancelSaveSettings, now: Date): SubscriptionView {
  const pause = contract.status === "PAUSED" ? contract.pause : null;
  return {
    id: contractId,
    status: contract.status,
    title: contract.lines.map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.title}` : line.title)).join(", "),
    lines: contract.lines.map((line) => ({ title: line.title, quantity: line.quantity, unitPrice: { amountMinor: line.unitPriceMinor, currencyCode: contract.currencyCode } })),
    pricePerCycle: pricePerCycle(contract),
    billing: contract.billing,
    nextBillingDate: iso(contract.nextBillingDate),
    pause: pause && {
      resumeOn: pause.resumeOn.toISOString(),
      extendableByMonths: Array.from({ length: settings.pause.maxMonths }, (_, i) => i + 1).filter((months) => extendPause(contract, months, now, settings).ok),
    },
    canCancel: isLiveContract(contract),
    canResume: contract.status === "PAUSED",
  };
}

/**
 * The offer as the subscriber reads it. While it is on offer the dates come from the plan it would carry out;
 * once accepted, the subscription's own view shows the outcome (the pause's end, the next billing date).
 */
export function offerView(offer: SaveOffer, subscriber: SubscriberFacts, attemptId: string, now: Date): OfferView {
  const planned = planAcceptedOffer(offer, subscriber, { attemptId, now });
  const plan = planned.ok ? planned.plan : null;
  switch (offer.kind) {
    case "pause":
      return { kind: "pause", months: offer.months, resumeOn: plan?.kind === "pause_contract" ? iso(plan.resumeOn) : iso(subscriber.contract.pause?.resumeOn) };
    case "skip_next_delivery":
      return plan?.kind === "skip_billing_cycle"
        ? { kind: "skip_next_delivery", skippedDate: iso(plan.cycleDate), nextBillingDateAfterSkip: iso(plan.nextBillingDateAfterSkip) }
        : { kind: "skip_next_delivery", skippedDate: null, nextBillingDateAfterSkip: iso(subscriber.contract.nextBillingDate) };
    case "change_frequency":
      return { kind: "change_frequency", frequency: offer.frequency };
    case "swap_variant": {
      const swap = plan?.kind === "update_contract" && plan.change.kind === "swap_line" ? plan.change : null;
      const chosen = offer.swaps.find((s) => s.toVariantId === swap?.toVariantId) ?? offer.swaps[0];
      const from = swap && subscriber.contract.lines.find((line) => line.id === swap.lineId);
      return { kind: "swap_variant", fromTitle: from?.title ?? null, toTitle: chosen.toVariantTitle, toUnitPrice: chosen.toUnitPrice };
    }
    case "discount":
      return { kind: "discount", percent: offer.percent, orders: offer.orders };
    case "bonus_points":
      return { kind: "bonus_points", points: offer.points };
  }
}

export function flowView(
  attempt: AttemptRecord,
  subscriber: SubscriberFacts,
  settings: CancelSaveSettings,
  language: CancelFlowLanguage,
  now: Date,
): FlowView {
  return {
    attemptId: attempt.id,
    contractId: attempt.contractId,
    step: attempt.step,
    actions: availableEvents(flowStateOf(attempt, subscriber.contract.id)),
    reasons:
      attempt.step === "survey"
        ? settings.reasons.map((reason) => ({ code: reason.code, label: reasonLabel(reason, language), asksFreeText: reason.asksFreeText }))
        : [],
    reason: attempt.reason,
    offer: attempt.offer && (attempt.step === "offer" || attempt.step === "accepted") ? offerView(attempt.offer, subscriber, attempt.id, now) : null,
    cancelledVia: attempt.cancelledVia,
    subscription: subscriptionView(attempt.contractId, subscriber.contract, settings, now),
  };
}
