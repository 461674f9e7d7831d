/**
 * The subscriber's cancel flow, for both ways in (the customer-account extension and the theme's App Proxy page):
 * press Cancel → survey → at most one offer → accept or decline, with Cancel never more than two actions away
 * (app/domain/cancel-save/cancelFlow.ts). An attempt row carries the flow between requests and is the report's
 * record. An accepted offer or a cancellation is confirmed only once Shopify has made it; when the Admin API call
 * fails the attempt stays on its step, with the error and the button that cancels.
 */
import {
  advanceCancelFlow,
  chooseSaveOffer,
  extendPause,
  planAcceptedOffer,
  pricePerCycle,
  resumeEarly,
  startCancelFlow,
  type CancelFlowEvent,
  type CancelFlowLanguage,
  type CancelSaveSettings,
  type SubscriberFacts,
} from "~/domain/cancel-save";
import {
  claimAttempt,
  createAttempt,
  findAttempt,
  markAcceptedAttemptsCancelled,
  openAttempt,
  releaseAttempt,
  saveAttempt,
  type AttemptChannel,
  type AttemptRecord,
} from "~/data/cancel-save/attempts.server";
import { contractsOfCustomer, findContract, moveResumeDate, type MirroredContract } from "~/data/cancel-save/contracts.server";
import type { Database } from "~/data/db.server";
import { logger } from "~/config/logger.server";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { carryOutOnShopify, mirrorConfirmedChange, type ShopifyPlan } from "./contract-changes.server";
import { refreshContract } from "./contract-mirror.server";
import { loadCancelSaveSettings } from "./settings.server";
import { subscriberFacts } from "./subscriber-facts.server";
import { flowStateOf, flowView, subscriptionView, type FlowView, type SubscriptionView } from "./views";

/** Credits points on the loyalty ledger once per idempotency key; false when the customer has no loyalty account. */
export type CreditPoints = (credit: { shopId: number; customerId: string; points: number; idempotencyKey: string; now: Date }) => Promise<boolean>;

export interface FlowContext {
  database: Database;
  admin: AdminClient;
  shopId: number;
  now: Date;
  /** Without it (no loyalty program), a bonus-points offer cannot be accepted and says so. */
  creditPoints?: CreditPoints;
}

/** What reading needs; only changes need the Admin API. */
type ReadContext = Pick<FlowContext, "database" | "shopId" | "now">;

export type Refusal<T> = { ok: false; status: number; code: string; message: string; body?: T };
export type Outcome<T> = { ok: true; body: T } | Refusal<T>;

/** Pressing Cancel again within this time goes on with the same attempt instead of counting a new one. */
const OPEN_ATTEMPT_HOURS = 24;
/** Longer than the Admin API client's retries take; a request that died holding an attempt frees it after this. */
const CLAIM_MS = 2 * 60_000;

const MESSAGES = {
  not_found: "We couldn't find this subscription.",
  contract_not_cancellable: "This subscription has already ended.",
  unknown_reason: "Please choose one of the reasons, or cancel without giving one.",
  not_allowed_now: "This step is already done.",
  busy: "We're still working on your last request. Please wait a moment.",
  offer_unavailable: "This offer can no longer be made, so nothing has changed. You can still cancel your subscription.",
  change_failed: "We couldn't make this change, so nothing has changed. Please try again, or cancel your subscription.",
  cancel_failed: "We couldn't cancel your subscription just now, so it has not been cancelled. Please try again.",
  not_paused: "This subscription is not paused.",
  pause_ended: "This pause has already ended.",
  pause_too_long: "A pause can't be extended that far.",
  resume_failed: "We couldn't resume your subscription just now, so it is still paused. Please try again.",
} as const;

function refuse<T>(status: number, code: keyof typeof MESSAGES, body?: T): Refusal<T> {
  return { ok: false, status, code, message: MESSAGES[code], body };
}

interface Loaded {
  settings: CancelSaveSettings;
  mirrored: MirroredContract;
  facts: SubscriberFacts;
}

async function loadContract(context: ReadContext, customerId: string, contractId: string): Promise<Loaded | null> {
  const mirrored = await findContract(context.database.pool, context.shopId, contractId);
  // Another customer's contract is answered exactly like a missing one.
  if (!mirrored || mirrored.customerId !== customerId) return null;
  const [settings, facts] = await Promise.all([
    loadCancelSaveSettings(context.database.pool, context.shopId),
    subscriberFacts(context.database.pool, context.shopId, mirrored, context.now),
  ]);
  return { settings, mirrored, facts };
}

/** The customer's subscriptions, running ones first. */
export async function listSubscriptions(context: ReadContext, customerId: string): Promise<SubscriptionView[]> {
  const [contracts, settings] = await Promise.all([
    contractsOfCustomer(context.database.pool, context.shopId, customerId),
    loadCancelSaveSettings(context.database.pool, context.shopId),
  ]);
  return contracts.filter((c) => c.detailsSynced).map((c) => subscriptionView(c.contractId, c.contract, settings, context.now));
}

/** The first press of Cancel: the survey (or the flow already under way for this contract). */
export async function pressCancel(
  context: FlowContext,
  input: { customerId: string; contractId: string; channel: AttemptChannel; language: CancelFlowLanguage },
): Promise<Outcome<FlowView>> {
  const loaded = await loadContract(context, input.customerId, input.contractId);
  if (!loaded) return refuse(404, "not_found");
  const { settings, mirrored, facts } = loaded;
  const since = new Date(context.now.getTime() - OPEN_ATTEMPT_HOURS * 3_600_000);
  const open = await openAttempt(context.database, context.shopId, input.customerId, input.contractId, since);
  if (open) return { ok: true, body: flowView(open, facts, settings, input.language, context.now) };
  const started = advanceCancelFlow(startCancelFlow(mirrored.contract.id), { type: "press_cancel" }, { settings, subscriber: facts, now: context.now });
  if (!started.ok) return refuse(409, "contract_not_cancellable");
  const attempt = await createAttempt(context.database, context.shopId, {
    customerId: input.customerId,
    contractId: input.contractId,
    channel: input.channel,
    price: pricePerCycle(mirrored.contract),
    billing: mirrored.contract.billing,
    startedAt: context.now,
  });
  return { ok: true, body: flowView(attempt, facts, settings, input.language, context.now) };
}

/** Where an attempt stands now (e.g. after a page reload), or not_found when it is not this customer's. */
export async function viewAttempt(
  context: ReadContext,
  input: { customerId: string; attemptId: string; language: CancelFlowLanguage },
): Promise<Outcome<FlowView>> {
  const attempt = await findAttempt(context.database, context.shopId, input.customerId, input.attemptId);
  const loaded = attempt && (await loadContract(context, input.customerId, attempt.contractId));
  if (!attempt || !loaded) return refuse(404, "not_found");
  return { ok: true, body: flowView(attempt, loaded.facts, loaded.settings, input.language, context.now) };
}

/** The subscriber's next action in the flow: a reason, Cancel now, Accept or Decline. */
export async function answerCancelFlow(
  context: FlowContext,
  input: { customerId: string; attemptId: string; event: Exclude<CancelFlowEvent, { type: "press_cancel" }>; language: CancelFlowLanguage },
): Promise<Outcome<FlowView>> {
  const attempt = await findAttempt(context.database, context.shopId, input.customerId, input.attemptId);
  const loaded = attempt && (await loadContract(context, input.customerId, attempt.contractId));
  if (!attempt || !loaded) return refuse(404, "not_found");
  const { settings, facts } = loaded;
  const view = (record: AttemptRecord) => flowView(record, facts, settings, input.language, context.now);
  const advanced = advanceCancelFlow(flowStateOf(attempt, facts.contract.id), input.event, { settings, subscriber: facts, now: context.now });
  if (!advanced.ok) return refuse(advanced.error === "unknown_reason" ? 400 : 409, advanced.error, view(attempt));
  const next = advanced.state;

  if (next.step === "offer") {
    const choice = chooseSaveOffer(settings, next.reason, facts, context.now);
    const saved = await saveAttempt(context.database, context.shopId, attempt.id, {
      step: "offer",
      reason: next.reason,
      freeText: next.freeText,
      offer: next.offer,
      ruleId: next.ruleId,
      passedOver: choice.passedOver,
    });
    return { ok: true, body: view(saved) };
  }

  if (next.step === "accepted") {
    const planned = planAcceptedOffer(next.offer, facts, { attemptId: attempt.id, now: context.now });
    if (!planned.ok || (planned.plan.kind === "credit_points" && !context.creditPoints)) return refuse(409, "offer_unavailable", view(attempt));
    const plan = planned.plan;
    const done = await underClaim(context, attempt, async () => {
      if (plan.kind === "credit_points") {
        const credit = { shopId: context.shopId, customerId: plan.customerId, points: plan.points, idempotencyKey: plan.idempotencyKey, now: context.now };
        return (await context.creditPoints!(credit)) ? "done" : "failed";
      }
      await carryOutOnShopify(context.admin, plan, loaded.mirrored);
      await mirrorConfirmedChange(context.database.pool, context.admin, context.shopId, plan, context.now);
      return "done";
    });
    if (done !== "done") return refuse(done === "busy" ? 409 : 502, done === "busy" ? "busy" : "change_failed", view(await current(context, attempt)));
    const saved = await saveAttempt(context.database, context.shopId, attempt.id, { step: "accepted", acceptedAt: context.now });
    return { ok: true, body: flowView(saved, await refreshedFacts(context, attempt.contractId, facts), settings, input.language, context.now) };
  }

  if (next.step === "cancelled") {
    const plan: ShopifyPlan = { kind: "cancel_contract", contractId: facts.contract.id };
    const done = await underClaim(context, attempt, async () => {
      try {
        await carryOutOnShopify(context.admin, plan, loaded.mirrored);
      } catch (error) {
        // A lost answer (a timeout) or a refusal of a second try can hide a cancellation Shopify did make:
        // Shopify's own word on the contract decides.
        if (!(error instanceof AdminApiError) || !(await cancelledOnShopify(context, attempt.contractId))) throw error;
      }
      await mirrorConfirmedChange(context.database.pool, context.admin, context.shopId, plan, context.now);
      // An offer accepted earlier on this contract did not keep it.
      await markAcceptedAttemptsCancelled(context.database.pool, context.shopId, attempt.contractId, context.now);
      return "done";
    });
    if (done !== "done") return refuse(done === "busy" ? 409 : 502, done === "busy" ? "busy" : "cancel_failed", view(await current(context, attempt)));
    const saved = await saveAttempt(context.database, context.shopId, attempt.id, {
      step: "cancelled",
      reason: next.reason,
      freeText: next.freeText,
      cancelledVia: next.via,
      noOfferBecause: next.via === "no_offer" ? next.noOfferBecause : null,
      cancelledAt: context.now,
      ...(next.via === "no_offer" ? { passedOver: chooseSaveOffer(settings, next.reason, facts, context.now).passedOver } : {}),
    });
    return { ok: true, body: flowView(saved, await refreshedFacts(context, attempt.contractId, facts), settings, input.language, context.now) };
  }

  return refuse(409, "not_allowed_now", view(attempt));
}

/**
 * Runs the attempt's Admin API work once: "busy" when another request holds the attempt, "failed" when Shopify
 * refused or could not be reached (the attempt keeps its step, with the error recorded).
 */
async function underClaim(context: FlowContext, attempt: AttemptRecord, work: () => Promise<"done" | "failed">): Promise<"done" | "busy" | "failed"> {
  if (!(await claimAttempt(context.database, context.shopId, attempt.id, attempt.step, context.now, CLAIM_MS))) return "busy";
  try {
    const outcome = await work();
    if (outcome === "failed") await releaseAttempt(context.database, context.shopId, attempt.id, "the change could not be made");
    return outcome;
  } catch (error) {
    if (!(error instanceof AdminApiError)) {
      await releaseAttempt(context.database, context.shopId, attempt.id, error instanceof Error ? error.message : String(error));
      throw error;
    }
    logger.warn({ err: error, attemptId: attempt.id, kind: error.kind }, "cancel flow: Shopify did not make the change");
    await releaseAttempt(context.database, context.shopId, attempt.id, error.message);
    return "failed";
  }
}

async function cancelledOnShopify(context: FlowContext, contractId: string): Promise<boolean> {
  const contract = await refreshContract(context.database.pool, context.admin, context.shopId, contractId, context.now).catch(() => null);
  return contract?.contract.status === "CANCELLED";
}

async function current(context: FlowContext, attempt: AttemptRecord): Promise<AttemptRecord> {
  return (await findAttempt(context.database, context.shopId, attempt.customerId, attempt.id)) ?? attempt;
}

/** The facts with the contract as it is after the change, for the confirmation. */
async function refreshedFacts(context: ReadContext, contractId: string, facts: SubscriberFacts): Promise<SubscriberFacts> {
  const mirrored = await findContract(context.database.pool, context.shopId, contractId);
  return mirrored ? { ...facts, contract: mirrored.contract } : facts;
}

/** Ends the app's pause now: the contract is billed again from today. */
export async function resumeSubscription(context: FlowContext, input: { customerId: string; contractId: string }): Promise<Outcome<SubscriptionView>> {
  const loaded = await loadContract(context, input.customerId, input.contractId);
  if (!loaded) return refuse(404, "not_found");
  const resumed = resumeEarly(loaded.mirrored.contract, context.now);
  if (!resumed.ok) return refuse(409, resumed.error);
  try {
    await carryOutOnShopify(context.admin, resumed.plan, loaded.mirrored);
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    logger.warn({ err: error, contractId: input.contractId }, "resuming a paused subscription failed");
    return refuse(502, "resume_failed");
  }
  await mirrorConfirmedChange(context.database.pool, context.admin, context.shopId, resumed.plan, context.now);
  return viewContract(context, loaded.settings, input.contractId);
}

/** Moves the app's pause end later (within the longest pause allowed); Shopify has nothing to change. */
export async function extendSubscriptionPause(
  context: ReadContext,
  input: { customerId: string; contractId: string; months: number },
): Promise<Outcome<SubscriptionView>> {
  const loaded = await loadContract(context, input.customerId, input.contractId);
  if (!loaded) return refuse(404, "not_found");
  const extended = extendPause(loaded.mirrored.contract, input.months, context.now, loaded.settings);
  if (!extended.ok) return refuse(409, extended.error);
  await moveResumeDate(context.database.pool, context.shopId, input.contractId, extended.plan.resumeOn);
  return viewContract(context, loaded.settings, input.contractId);
}

async function viewContract(context: ReadContext, settings: CancelSaveSettings, contractId: string): Promise<Outcome<SubscriptionView>> {
  const mirrored = await findContract(context.database.pool, context.shopId, contractId);
  if (!mirrored) return refuse(404, "not_found");
  return { ok: true, body: subscriptionView(contractId, mirrored.contract, settings, context.now) };
}
