/**
 * The subscriber's side of cancelling, as a state machine:
 *
 *   start ──press_cancel──▶ survey ──cancel_now──────────────────────────▶ cancelled
 *                             │
 *                             └──give_reason──▶ offer ──decline_offer──▶ cancelled
 *                                  │              └────accept_offer───▶ accepted
 *                                  └─(no offer)───────────────────────▶ cancelled
 *
 * After the first press, Cancel is one action away (cancel_now, or giving a reason when there is no
 * offer) or two (giving a reason, then declining the one offer). There is no second offer, no "are you
 * sure?" and no required field.
 *
 * `accepted` and `cancelled` are decisions to carry out through the Admin API. The caller keeps a
 * transition only once that call succeeded; when it fails, the flow stays where it was (the offer, with
 * Decline still there), so a subscriber never sees a change confirmed that was not made.
 */
import { chooseSaveOffer, type NoOfferReason } from "./chooseSaveOffer";
import type { CancelSaveSettings, SaveOffer } from "./settings";
import { isLiveContract, type SubscriberFacts } from "./types";

/** Longer free text is cut rather than refused: the survey must never stand between a subscriber and Cancel. */
export const FREE_TEXT_MAX_LENGTH = 500;

type Answer = { reason: string; freeText: string | null };

export type CancelFlowState =
  | { step: "start"; contractId: string }
  | { step: "survey"; contractId: string }
  | ({ step: "offer"; contractId: string; offer: SaveOffer; ruleId: string | null } & Answer)
  | ({ step: "accepted"; contractId: string; offer: SaveOffer; ruleId: string | null } & Answer)
  | { step: "cancelled"; contractId: string; via: "cancel_now"; reason: null; freeText: null }
  | ({ step: "cancelled"; contractId: string; via: "no_offer"; noOfferBecause: NoOfferReason } & Answer)
  | ({ step: "cancelled"; contractId: string; via: "declined_offer"; declinedOffer: SaveOffer } & Answer);

export type CancelFlowStep = CancelFlowState["step"];

export type CancelFlowEvent =
  | { type: "press_cancel" }
  /** Skip the survey and cancel. */
  | { type: "cancel_now" }
  | { type: "give_reason"; reason: string; freeText?: string | null }
  | { type: "accept_offer" }
  | { type: "decline_offer" };

export type CancelFlowEventType = CancelFlowEvent["type"];

export type CancelFlowError = "not_allowed_now" | "contract_not_cancellable" | "unknown_reason";

export type CancelFlowContext = { settings: CancelSaveSettings; subscriber: SubscriberFacts; now: Date };

export type CancelFlowResult = { ok: true; state: CancelFlowState } | { ok: false; error: CancelFlowError };

const EVENTS_BY_STEP: Record<CancelFlowStep, readonly CancelFlowEventType[]> = {
  start: ["press_cancel"],
  survey: ["cancel_now", "give_reason"],
  offer: ["accept_offer", "decline_offer"],
  accepted: [],
  cancelled: [],
};

export function startCancelFlow(contractId: string): CancelFlowState {
  return { step: "start", contractId };
}

/** What the subscriber can do in `state`: the buttons to show. None once the flow has ended. */
export function availableEvents(state: CancelFlowState): readonly CancelFlowEventType[] {
  return EVENTS_BY_STEP[state.step];
}

/** The next state after `event`, or why the event is refused (the state is then unchanged). */
export function advanceCancelFlow(state: CancelFlowState, event: CancelFlowEvent, context: CancelFlowContext): CancelFlowResult {
  const { settings, subscriber, now } = context;
  if (subscriber.contract.id !== state.contractId) {
    throw new Error(`cancel flow for contract ${state.contractId} was given facts about ${subscriber.contract.id}`);
  }
  const contractId = state.contractId;
  const ok = (next: CancelFlowState): CancelFlowResult => ({ ok: true, state: next });
  if (!availableEvents(state).includes(event.type)) return { ok: false, error: "not_allowed_now" };

  switch (event.type) {
    case "press_cancel":
      if (!isLiveContract(subscriber.contract)) return { ok: false, error: "contract_not_cancellable" };
      return ok({ step: "survey", contractId });
    case "cancel_now":
      return ok({ step: "cancelled", contractId, via: "cancel_now", reason: null, freeText: null });
    case "give_reason": {
      const reason = settings.reasons.find((r) => r.code === event.reason);
      if (!reason) return { ok: false, error: "unknown_reason" };
      const answer: Answer = { reason: reason.code, freeText: reason.asksFreeText ? cleanFreeText(event.freeText) : null };
      const choice = chooseSaveOffer(settings, reason.code, subscriber, now);
      if (choice.offer === null) return ok({ step: "cancelled", contractId, via: "no_offer", noOfferBecause: choice.stoppedBy, ...answer });
      return ok({ step: "offer", contractId, offer: choice.offer, ruleId: choice.ruleId, ...answer });
    }
    case "accept_offer":
    case "decline_offer": {
      if (state.step !== "offer") return { ok: false, error: "not_allowed_now" };
      const { offer, ruleId, reason, freeText } = state;
      return event.type === "accept_offer"
        ? ok({ step: "accepted", contractId, offer, ruleId, reason, freeText })
        : ok({ step: "cancelled", contractId, via: "declined_offer", declinedOffer: offer, reason, freeText });
    }
  }
}

function cleanFreeText(text: string | null | undefined): string | null {
  // Cut by code points so an emoji at the limit is not split in half.
  const kept = [...(text ?? "").trim()].slice(0, FREE_TEXT_MAX_LENGTH).join("").trimEnd();
  return kept === "" ? null : kept;
}
