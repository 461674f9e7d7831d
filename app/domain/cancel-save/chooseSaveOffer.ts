import type { CancelSaveSettings, DefaultReasonCode, SaveOffer, SaveOfferKind, SaveRule } from "./settings";
import { addDaysUtc, wholeDaysBetween } from "./time";
import { isPayPerDelivery, type ContractLine, type SubscriberFacts, type SubscriptionContract } from "./types";

/** Why an offer that a rule (or a default) named was passed over for the next one. */
export type OfferGuard = "discount_active" | "not_applicable";

/** Why no offer is shown. */
export type NoOfferReason =
  | "flow_off"
  | "cooldown"
  /** Every matching offer was stopped by a guard; the first one's guard is given. */
  | OfferGuard
  /** A matching rule, reached before any offer could be made, says "no offer". */
  | "rule_without_offer"
  /** No rule matched and the built-in defaults have nothing for this reason. */
  | "no_offer_for_reason";

export type PassedOverOffer = { offerId: string; ruleId: string | null; guard: OfferGuard };

export type SaveOfferChoice =
  /** `ruleId` is null when the offer came from the built-in defaults. */
  | { offer: SaveOffer; ruleId: string | null; passedOver: PassedOverOffer[] }
  | { offer: null; stoppedBy: NoOfferReason; passedOver: PassedOverOffer[] };

/**
 * What is offered when no rule matches, by reason, in order of preference: most people who say "not using
 * it" or "too much product" need a break rather than a goodbye, so a pause leads and a skip follows; price
 * is answered with a discount; a move with a pause. Quality and "other" get no offer: a pause or a
 * discount does not answer a complaint about the product. Each kind is looked up in the merchant's
 * catalogue (shortest pause first), so a kind the merchant removed is simply not offered.
 */
export const DEFAULT_OFFER_KINDS: Readonly<Record<DefaultReasonCode, readonly SaveOfferKind[]>> = {
  not_using_it: ["pause", "skip_next_delivery"],
  too_much_product: ["pause", "skip_next_delivery"],
  too_expensive: ["discount"],
  moving: ["pause"],
  quality: [],
  other: [],
};

/**
 * The one offer to show a subscriber who gave `reason` for cancelling, or none and why.
 *
 * Flow switched off → none. Accepted an offer less than `cooldownDays` ago → none. Otherwise the rules
 * are tried in order and the first whose conditions all hold decides; if its offer cannot be made
 * (a discount while a discount is active, or an offer that does not fit the contract) the next matching
 * rule is tried, then the built-in defaults (DEFAULT_OFFER_KINDS). A matching rule without an offer ends
 * the search with none, defaults included.
 */
export function chooseSaveOffer(settings: CancelSaveSettings, reason: string, subscriber: SubscriberFacts, now: Date): SaveOfferChoice {
  const passedOver: PassedOverOffer[] = [];
  const none = (stoppedBy: NoOfferReason): SaveOfferChoice => ({ offer: null, stoppedBy, passedOver });
  if (!settings.enabled) return none("flow_off");
  if (inCooldown(subscriber.lastOfferAcceptedAt, settings.cooldownDays, now)) return none("cooldown");

  const tryOffer = (offer: SaveOffer, ruleId: string | null): SaveOfferChoice | null => {
    const guard = offerGuard(offer, subscriber);
    if (guard === null) return { offer, ruleId, passedOver };
    passedOver.push({ offerId: offer.id, ruleId, guard });
    return null;
  };
  for (const rule of settings.rules) {
    if (!ruleMatches(rule, reason, subscriber, now)) continue;
    if (rule.offerId === null) return none("rule_without_offer");
    const chosen = tryOffer(offerById(settings.offers, rule.offerId), rule.id);
    if (chosen) return chosen;
  }
  for (const offer of defaultOffers(settings.offers, reason)) {
    const chosen = tryOffer(offer, null);
    if (chosen) return chosen;
  }
  return none(passedOver[0]?.guard ?? "no_offer_for_reason");
}

function inCooldown(lastOfferAcceptedAt: Date | null, cooldownDays: number, now: Date): boolean {
  return lastOfferAcceptedAt !== null && now < addDaysUtc(lastOfferAcceptedAt, cooldownDays);
}

function ruleMatches(rule: SaveRule, reason: string, subscriber: SubscriberFacts, now: Date): boolean {
  const { reasons, tenureDays, lifetimeValue, tiers, churnRisk } = rule.when;
  if (reasons && !reasons.includes(reason)) return false;
  if (tenureDays) {
    const tenure = wholeDaysBetween(subscriber.subscriberSince, now);
    if (tenureDays.atLeast !== undefined && tenure < tenureDays.atLeast) return false;
    if (tenureDays.below !== undefined && tenure >= tenureDays.below) return false;
  }
  if (lifetimeValue) {
    // A bound in another currency says nothing about this subscriber, so it does not match.
    const ltv = subscriber.lifetimeValue;
    const { atLeast, below } = lifetimeValue;
    if (atLeast && (atLeast.currencyCode !== ltv.currencyCode || ltv.amountMinor < atLeast.amountMinor)) return false;
    if (below && (below.currencyCode !== ltv.currencyCode || ltv.amountMinor >= below.amountMinor)) return false;
  }
  if (tiers && (subscriber.tier === null || !tiers.includes(subscriber.tier))) return false;
  if (churnRisk && (subscriber.churnRisk === null || !churnRisk.includes(subscriber.churnRisk))) return false;
  return true;
}

function offerById(offers: SaveOffer[], id: string): SaveOffer {
  const offer = offers.find((o) => o.id === id);
  // The settings schema refuses a rule naming a missing offer, so this is a bug, not a merchant's mistake.
  if (!offer) throw new Error(`cancel-save rule names unknown offer "${id}"`);
  return offer;
}

function isDefaultReason(reason: string): reason is DefaultReasonCode {
  return Object.hasOwn(DEFAULT_OFFER_KINDS, reason);
}

function defaultOffers(offers: SaveOffer[], reason: string): SaveOffer[] {
  if (!isDefaultReason(reason)) return [];
  return DEFAULT_OFFER_KINDS[reason].flatMap((kind) => {
    const ofKind = offers.filter((o) => o.kind === kind);
    return kind === "pause" ? ofKind.toSorted((a, b) => pauseMonths(a) - pauseMonths(b)) : ofKind;
  });
}

function pauseMonths(offer: SaveOffer): number {
  return offer.kind === "pause" ? offer.months : 0;
}

/**
 * Null when `offer` can be made to this subscriber now; otherwise the guard that stops it. Checked again
 * when the offer is accepted, because the contract may have changed in between.
 */
export function offerGuard(offer: SaveOffer, subscriber: SubscriberFacts): OfferGuard | null {
  const contract = subscriber.contract;
  switch (offer.kind) {
    case "discount":
      return subscriber.hasActiveDiscount ? "discount_active" : null;
    case "pause":
      return contract.status === "ACTIVE" ? null : "not_applicable";
    case "skip_next_delivery":
      return contract.status === "ACTIVE" && contract.nextBillingDate !== null ? null : "not_applicable";
    case "change_frequency": {
      const same = contract.billing.interval === offer.frequency.interval && contract.billing.intervalCount === offer.frequency.intervalCount;
      return isPayPerDelivery(contract) && !same ? null : "not_applicable";
    }
    case "swap_variant":
      return applicableSwap(offer, contract) ? null : "not_applicable";
    case "bonus_points":
      return null;
  }
}

type Swap = Extract<SaveOffer, { kind: "swap_variant" }>["swaps"][number];

/** The first swap in the offer that fits a line of the contract without raising its price. */
export function applicableSwap(
  offer: Extract<SaveOffer, { kind: "swap_variant" }>,
  contract: SubscriptionContract,
): { line: ContractLine; swap: Swap } | null {
  for (const swap of offer.swaps) {
    const line = contract.lines.find(
      (l) =>
        l.variantId === swap.fromVariantId &&
        swap.toVariantId !== l.variantId &&
        swap.toUnitPrice.currencyCode === contract.currencyCode &&
        swap.toUnitPrice.amountMinor <= l.unitPriceMinor,
    );
    if (line) return { line, swap };
  }
  return null;
}
