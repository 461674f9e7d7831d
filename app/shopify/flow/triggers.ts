/**
 * The app's Shopify Flow triggers (one trigger extension each; handle = the extension's handle) and what each
 * sends. Flow reads the customer reference from `customer_id` (the numeric id); the other keys are the
 * trigger's fields as the merchant sees them in Flow.
 */
export const LOYALTY_FLOW_TRIGGERS = {
  points_earned: "loyalty-points-earned",
  reward_redeemed: "loyalty-reward-redeemed",
  tier_changed: "loyalty-tier-changed",
  points_expiring: "loyalty-points-expiring",
} as const;

export type LoyaltyEventKind = keyof typeof LOYALTY_FLOW_TRIGGERS;

/** What the app records when an event happens: no personal data, the customer is named only when sending. */
export interface LoyaltyEventPayloads {
  points_earned: { points: number; balance: number; reason: string; orderId: string | null };
  reward_redeemed: { reward: string; pointsCost: number; code: string | null; balance: number };
  tier_changed: { tier: string | null; previousTier: string | null; direction: "up" | "down" };
  points_expiring: { points: number; expiresAt: string };
}

export type LoyaltyEvent = { [K in LoyaltyEventKind]: { kind: K; customerId: string; payload: LoyaltyEventPayloads[K] } }[LoyaltyEventKind];

const FIELDS: { [K in LoyaltyEventKind]: (event: LoyaltyEventPayloads[K]) => Record<string, string | number> } = {
  points_earned: (e) => ({ Points: e.points, "Points balance": e.balance, Reason: e.reason, "Order ID": e.orderId ?? "" }),
  reward_redeemed: (e) => ({ Reward: e.reward, "Points cost": e.pointsCost, "Discount code": e.code ?? "", "Points balance": e.balance }),
  tier_changed: (e) => ({ Tier: e.tier ?? "", "Previous tier": e.previousTier ?? "", Direction: e.direction }),
  points_expiring: (e) => ({ Points: e.points, "Expires at": e.expiresAt }),
};

/** flowTriggerReceive's arguments for an event of one Shopify customer. */
export function flowTrigger(event: Pick<LoyaltyEvent, "kind" | "payload">, shopifyCustomerId: string): { handle: string; payload: Record<string, unknown> } {
  const fields = (FIELDS[event.kind] as (payload: LoyaltyEvent["payload"]) => Record<string, string | number>)(event.payload);
  return { handle: LOYALTY_FLOW_TRIGGERS[event.kind], payload: { customer_id: Number(shopifyCustomerId), ...fields } };
}
