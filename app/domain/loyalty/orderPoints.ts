import type { LedgerEntryKind } from "./balance";
import { earningBaseMinor, type OrderEarning, type OrderMoney } from "./earning";
import { scaleRounded } from "./ratio";

/**
 * An order's loyalty state as plain data. Each apply* function is idempotent (the same event twice
 * changes nothing) and the three commute (any arrival order ends in the same state), so duplicate,
 * late and out-of-order webhooks all converge. An apply* that changes nothing returns the same object.
 */
export type OrderPointsState = {
  /** Locked at the first award: later deliveries never re-price the order. */
  paid: OrderEarning | null;
  /** Refunds by Shopify refund id, with the refund's money; measured against the order's locked base. */
  refunds: Readonly<Record<string, OrderMoney>>;
  cancelled: boolean;
};

export const NEW_ORDER_POINTS: OrderPointsState = { paid: null, refunds: {}, cancelled: false };

export function applyOrderPaid(state: OrderPointsState, earning: OrderEarning): OrderPointsState {
  return state.paid ? state : { ...state, paid: earning };
}

export function applyRefund(state: OrderPointsState, refundId: string, money: OrderMoney): OrderPointsState {
  return Object.hasOwn(state.refunds, refundId) ? state : { ...state, refunds: { ...state.refunds, [refundId]: money } };
}

export function applyCancel(state: OrderPointsState): OrderPointsState {
  return state.cancelled ? state : { ...state, cancelled: true };
}

/**
 * The points the order should hold in the ledger now: what it earned, less a claw-back proportional to
 * the refunded share of its base (rounded to the nearest point, so a full refund takes back exactly
 * what was earned), and nothing once cancelled. Never below zero: refunds beyond the base count as the base.
 */
export function targetPointsForOrder(state: OrderPointsState): number {
  if (!state.paid || state.cancelled) return 0;
  const { points, base, baseMinor } = state.paid;
  if (points === 0) return 0;
  let refundedMinor = 0;
  for (const money of Object.values(state.refunds)) refundedMinor += earningBaseMinor(money, base);
  return points - scaleRounded(points, Math.min(refundedMinor, baseMinor), baseMinor, "nearest");
}

export type OrderPointsEvent =
  | { type: "paid"; orderId: string; earning: OrderEarning }
  | { type: "refund"; orderId: string; refundId: string; money: OrderMoney }
  | { type: "cancelled"; orderId: string };

export function applyOrderEvent(state: OrderPointsState, event: OrderPointsEvent): OrderPointsState {
  switch (event.type) {
    case "paid":
      return applyOrderPaid(state, event.earning);
    case "refund":
      return applyRefund(state, event.refundId, event.money);
    case "cancelled":
      return applyCancel(state);
  }
}

/**
 * The ledger row's idempotency key (unique per shop) and kind for an event. An event changes the state
 * at most once, so each key is needed for at most one row.
 */
export function orderEventCause(event: OrderPointsEvent): { key: string; kind: LedgerEntryKind } {
  switch (event.type) {
    case "paid":
      return { key: `order:${event.orderId}:paid`, kind: "order_earn" };
    case "refund":
      return { key: `refund:${event.refundId}`, kind: "order_refund" };
    case "cancelled":
      return { key: `order:${event.orderId}:cancelled`, kind: "order_cancel" };
  }
}

/**
 * The row that brings the order's ledger rows (summing to `postedPoints`) to its target, or null when
 * they already match. A correction becomes available with the order's own points, so a claw-back of
 * still-pending points offsets them in pending rather than eating into the spendable balance.
 */
export function orderPointsCorrection(
  state: OrderPointsState,
  postedPoints: number,
  now: Date
): { points: number; availableAt: Date } | null {
  const points = targetPointsForOrder(state) - postedPoints;
  if (points === 0) return null;
  const availableAt = state.paid && state.paid.availableAt > now ? state.paid.availableAt : now;
  return { points, availableAt };
}
