/**
 * Points from orders (docs/decisions/020-loyalty-ledger.md §3–4): every order webhook is reduced to facts
 * (paid, refunds, cancelled), each fact is applied to the order's convergent state under the order's row lock,
 * and the ledger gets the one row that brings the order to its target, under the fact's own key. Duplicates,
 * retries and any arrival order end in the same rows.
 */
import { lockCustomer, upsertAndLockCustomer, upsertAndLockCustomers, type CustomerFacts, type LoyaltyCustomer } from "~/data/loyalty/customers.server";
import type { NewLedgerEntry } from "~/data/loyalty/ledger.server";
import { insertOrderPoints, insertOrdersPoints, lockOrderPoints, orderCustomerId, saveOrderPoints, type OrderPointsRow } from "~/data/loyalty/orders.server";
import type { Queryable } from "~/data/loyalty/queryable";
import {
  applyOrderEvent,
  decideOrderEarning,
  earningBaseMinor,
  NEW_ORDER_POINTS,
  orderEventCause,
  orderPointsCorrection,
  tierMultiplierBps,
  type OrderMoney,
  type OrderPointsEvent,
  type OrderPointsState,
  type PostalAddress,
} from "~/domain/loyalty";
import { postEntries, postEntriesForCustomers } from "./posting.server";
import type { LoadedProgram } from "./program.server";
import { completeReferral } from "./referrals.server";

/** A refund's money; whether prices include tax is the order's, which a refund's payload does not carry. */
export type RefundMoney = Omit<OrderMoney, "taxesIncluded">;

/** What one order webhook says about an order, in the shop's currency. */
export interface OrderFacts {
  orderId: string;
  /** null for a guest checkout. */
  customer: CustomerFacts | null;
  createdAt: Date | null;
  /** null when the delivery does not say (refunds/create). */
  taxesIncluded: boolean | null;
  paid: { paidAt: Date; money: Omit<OrderMoney, "taxesIncluded"> } | null;
  refunds: { refundId: string; refundedAt: Date; money: RefundMoney }[];
  cancelledAt: Date | null;
  /** For the referral rules: a friend's order shipping to the referrer's address is refused. */
  shippingAddress: PostalAddress | null;
}

/** What the order counts as spend for tiers: its locked earning base net of refunds; nothing when cancelled. */
function orderSpendMinor(state: OrderPointsState): number {
  if (!state.paid || state.cancelled) return 0;
  let refunded = 0;
  for (const money of Object.values(state.refunds)) refunded += earningBaseMinor(money, state.paid.base);
  return state.paid.baseMinor - Math.min(refunded, state.paid.baseMinor);
}

interface OrderOutcome {
  next: OrderPointsRow;
  entries: NewLedgerEntry[];
}

/** The order's row after the facts, and the ledger rows that bring it to its target (under each fact's key). */
function applyFacts(program: LoadedProgram, facts: OrderFacts, row: OrderPointsRow, customer: LoyaltyCustomer | null, now: Date): OrderOutcome {
  const taxesIncluded = facts.taxesIncluded ?? row.taxesIncluded ?? false;
  const events: { event: OrderPointsEvent; occurredAt: Date }[] = [];
  if (facts.paid && customer && !row.state.paid) {
    const decision = decideOrderEarning(
      {
        orderId: facts.orderId,
        customerId: customer.id,
        createdAt: facts.createdAt ?? facts.paid.paidAt,
        paidAt: facts.paid.paidAt,
        money: { ...facts.paid.money, taxesIncluded },
      },
      program.settings,
      { shopCurrencyCode: program.currencyCode, multiplierBps: tierMultiplierBps(customer.tierId, program.settings.tiers) },
    );
    if (decision.earns) {
      const { earns: _, ...earning } = decision;
      events.push({ event: { type: "paid", orderId: facts.orderId, earning }, occurredAt: facts.paid.paidAt });
    }
  }
  for (const refund of facts.refunds) {
    events.push({ event: { type: "refund", orderId: facts.orderId, refundId: refund.refundId, money: { ...refund.money, taxesIncluded } }, occurredAt: refund.refundedAt });
  }
  if (facts.cancelledAt) events.push({ event: { type: "cancelled", orderId: facts.orderId }, occurredAt: facts.cancelledAt });

  let state = row.state;
  let postedPoints = row.postedPoints;
  const entries: NewLedgerEntry[] = [];
  for (const { event, occurredAt } of events) {
    const next = applyOrderEvent(state, event);
    if (next === state) continue;
    state = next;
    const correction = orderPointsCorrection(state, postedPoints, now);
    if (!correction) continue;
    // Only a paid order holds points, and only a known customer's order is paid.
    if (!customer) throw new Error(`order ${facts.orderId} has points but no customer`);
    const cause = orderEventCause(event);
    entries.push({ customerId: customer.id, kind: cause.kind, points: correction.points, availableAt: correction.availableAt, occurredAt, idempotencyKey: cause.key, orderId: facts.orderId });
    postedPoints += correction.points;
  }
  return {
    next: {
      customerId: row.customerId ?? customer?.id ?? null,
      state,
      postedPoints,
      spendMinor: orderSpendMinor(state),
      paidAt: row.paidAt ?? (customer ? (facts.paid?.paidAt ?? null) : null),
      taxesIncluded: facts.taxesIncluded ?? row.taxesIncluded,
    },
    entries,
  };
}

const NEW_ORDER: OrderPointsRow = { customerId: null, state: NEW_ORDER_POINTS, postedPoints: 0, spendMinor: 0, paidAt: null, taxesIncluded: null };

/** Applies one delivery's facts about an order, inside the webhook's transaction. */
export async function applyOrderFacts(tx: Queryable, program: LoadedProgram, facts: OrderFacts, now: Date): Promise<void> {
  const shopId = program.shopId;
  // A guest's payment earns nothing and needs no record; a guest order's refund might be the first news of an order.
  if (!facts.customer && facts.refunds.length === 0 && !facts.cancelledAt) return;
  // Lock order: the customer first, then the order (a refund learns its customer from the order's row).
  let customer: LoyaltyCustomer | null = facts.customer ? await upsertAndLockCustomer(tx, shopId, facts.customer) : null;
  if (!customer) {
    const known = await orderCustomerId(tx, shopId, facts.orderId);
    if (known) customer = await lockCustomer(tx, shopId, known);
  }

  // Most deliveries are an order's first news (its payment): one insert. Otherwise the row is locked and updated.
  let row = NEW_ORDER;
  let outcome = applyFacts(program, facts, row, customer, now);
  if (!(await insertOrderPoints(tx, shopId, facts.orderId, outcome.next))) {
    row = (await lockOrderPoints(tx, shopId, facts.orderId))!;
    // The points belong to whoever the order was first paid by; this delivery may name someone else, or (a
    // refund that arrived first) the payment may have committed since the customer was looked up.
    if (row.customerId && row.customerId !== customer?.id) customer = await lockCustomer(tx, shopId, row.customerId);
    outcome = applyFacts(program, facts, row, customer, now);
    const { next } = outcome;
    if (next.state === row.state && next.customerId === row.customerId && next.paidAt === row.paidAt && next.taxesIncluded === row.taxesIncluded) return;
    await saveOrderPoints(tx, shopId, facts.orderId, next);
  }
  if (!customer) return;
  await postEntries(tx, program, customer, outcome.entries, now, { standingChanged: outcome.next.spendMinor !== row.spendMinor });
  if (outcome.next.paidAt !== row.paidAt && customer.referralPending) {
    await completeReferral(tx, program, customer, { orderId: facts.orderId, shippingAddress: facts.shippingAddress }, now);
  }
}

/**
 * applyOrderFacts for a batch of deliveries, set-based (one statement per table), for the common case: an order's
 * first news, its payment, from a known customer with no referral waiting. It applies those (each customer and
 * order once) and guest payments, exactly as applyOrderFacts would one at a time, and returns their indexes in
 * `batch`; anything else (refunds or a cancellation in the payload, an order or customer already in the batch, an
 * order already recorded, a pending referral, a redacted customer) is left for applyOrderFacts.
 */
export async function applyFirstPayments(tx: Queryable, program: LoadedProgram, batch: readonly OrderFacts[], now: Date): Promise<Set<number>> {
  const applied = new Set<number>();
  const customerIds = new Set<string>();
  const orderIds = new Set<string>();
  const candidates: { index: number; facts: OrderFacts & { customer: CustomerFacts } }[] = [];
  batch.forEach((facts, index) => {
    if (facts.refunds.length > 0 || facts.cancelledAt) return;
    if (!facts.customer) return void applied.add(index); // a guest's payment earns nothing and needs no record
    if (!facts.paid || customerIds.has(facts.customer.shopifyCustomerId) || orderIds.has(facts.orderId)) return;
    customerIds.add(facts.customer.shopifyCustomerId);
    orderIds.add(facts.orderId);
    candidates.push({ index, facts: { ...facts, customer: facts.customer } });
  });
  if (candidates.length === 0) return applied;

  const customers = await upsertAndLockCustomers(tx, program.shopId, candidates.map(({ facts }) => facts.customer));
  const payments = candidates.flatMap(({ index, facts }) => {
    const customer = customers.get(facts.customer.shopifyCustomerId)!;
    if (customer.referralPending || customer.redactedAt) return [];
    return [{ index, orderId: facts.orderId, customer, outcome: applyFacts(program, facts, NEW_ORDER, customer, now) }];
  });
  const inserted = await insertOrdersPoints(tx, program.shopId, payments.map(({ orderId, outcome }) => ({ orderId, row: outcome.next })));
  const firsts = payments.filter(({ orderId }) => inserted.has(orderId));
  await postEntriesForCustomers(
    tx,
    program,
    firsts.map(({ customer, outcome }) => ({ customer, entries: outcome.entries, standingChanged: outcome.next.spendMinor !== NEW_ORDER.spendMinor })),
    now,
  );
  for (const { index } of firsts) applied.add(index);
  return applied;
}
