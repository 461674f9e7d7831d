/**
 * The app's extension API (`${appUrl}/api/extension/*`, the same JSON as the storefront's App Proxy) and the
 * rules the customer-account and checkout extensions show it by. Pure: no Shopify global, no UI; fetch and the
 * session token come in as arguments. Both extensions bundle this module (checkout-rewards imports it from here).
 * Money is integer minor units with a currency code; points are integers.
 */

export type RewardKind = "fixed_amount" | "percentage" | "free_shipping" | "free_product" | "store_credit";

export interface Reward {
  id: string;
  title: string;
  kind: RewardKind;
  pointsCost: number;
  minimumOrderMinor: number;
  /** The id of the lowest tier that may redeem it, or null for everyone. */
  tier: string | null;
}

export interface Tier {
  id: string;
  name: string;
  threshold: number;
  thresholdKind: "spend" | "points_earned";
  perks: string[];
}

export interface Program {
  enabled: boolean;
  pointsName: string;
  currencyCode: string;
  earnRate: { points: number; perMinor: number };
  waysToEarn: { key: string; title: string; points: number; description: string }[];
  rewards: Reward[];
  /** Lowest first. */
  tiers: Tier[];
}

export type HistoryKind = "earn" | "redeem" | "refund" | "cancel" | "expiry" | "adjustment" | "action" | "import";

export interface CustomerRewards {
  firstName: string;
  balance: number;
  pending: number;
  tier: { id: string; name: string } | null;
  /** `remaining` is in the next tier's threshold unit: minor units of money spent, or points earned. */
  nextTier: { name: string; remaining: number; progress: number } | null;
  referralUrl: string;
  history: { at: string; points: number; kind: HistoryKind; description: string }[];
  rewardsIssued: { code: string | null; title: string; at: string }[];
}

export interface ProgramResponse {
  locale: string;
  texts: Record<string, string>;
  program: Program;
  customer: CustomerRewards | null;
}

export interface Redemption {
  /** Null for store credit, which is credited to the customer's account instead. */
  code: string | null;
  title: string;
  balance: number;
  kind: RewardKind;
  creditedMinor?: number;
}

/** A refusal from the app (`{ error: { code, message } }`), or `network` when it could not be reached. */
export class RewardsApiError extends Error {
  override name = "RewardsApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface RewardsApi {
  program(): Promise<ProgramResponse>;
  redeem(rewardId: string): Promise<Redemption>;
}

export interface RewardsApiOptions {
  appUrl: string;
  /** `shopify.sessionToken`: a fresh token is asked for on every request (they live five minutes). */
  sessionToken: { get(): Promise<string> };
  fetch: typeof fetch;
}

export function createRewardsApi({ appUrl, sessionToken, fetch }: RewardsApiOptions): RewardsApi {
  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      const token = await sessionToken.get();
      response = await fetch(`${appUrl}/api/extension/${path}`, {
        ...init,
        headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new RewardsApiError("network", error instanceof Error ? error.message : String(error), 0);
    }
    const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
    if (!response.ok || body === null) {
      throw new RewardsApiError(body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? "", response.status);
    }
    return body;
  }
  return {
    program: () => request<ProgramResponse>("program"),
    redeem: (rewardId) => request<Redemption>("redeem", { method: "POST", body: JSON.stringify({ rewardId }) }),
  };
}

export type RewardStatus =
  | { state: "redeemable" }
  | { state: "short"; pointsNeeded: number }
  | { state: "tier_locked"; tierName: string };

/** Whether this customer may redeem this reward now, and if not, why. */
export function rewardStatus(program: Program, customer: CustomerRewards, reward: Reward): RewardStatus {
  if (reward.tier !== null) {
    const required = program.tiers.findIndex((tier) => tier.id === reward.tier);
    const held = customer.tier ? program.tiers.findIndex((tier) => tier.id === customer.tier!.id) : -1;
    if (required >= 0 && held < required) return { state: "tier_locked", tierName: program.tiers[required].name };
  }
  if (customer.balance < reward.pointsCost) return { state: "short", pointsNeeded: reward.pointsCost - customer.balance };
  return { state: "redeemable" };
}

export function affordableRewards(program: Program, customer: CustomerRewards): Reward[] {
  return program.rewards.filter((reward) => rewardStatus(program, customer, reward).state === "redeemable");
}

export type TierDistance = { unit: "money"; amountMinor: number; currencyCode: string } | { unit: "points"; points: number };

/** How far the customer is from their next tier, in that tier's own unit; null at the top tier. */
export function distanceToNextTier(program: Program, customer: CustomerRewards): TierDistance | null {
  const next = customer.nextTier;
  if (!next) return null;
  const rule = program.tiers.find((tier) => tier.name === next.name);
  return rule?.thresholdKind === "spend"
    ? { unit: "money", amountMinor: next.remaining, currencyCode: program.currencyCode }
    : { unit: "points", points: next.remaining };
}

/** Progress to the next tier as a whole percentage, clamped to 0–100. */
export function progressPercent(progress: number): number {
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

/** Minor units to the major-unit number that `shopify.i18n.formatCurrency` expects; for display only. */
export function minorToMajor(amountMinor: number, currencyCode: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  return amountMinor / 10 ** digits;
}

/** The customer's rewards after a redemption the app confirmed: its new balance and the reward on top of the list. */
export function withRedemption(customer: CustomerRewards, redemption: Redemption, now: Date): CustomerRewards {
  return {
    ...customer,
    balance: redemption.balance,
    rewardsIssued: [{ code: redemption.code, title: redemption.title, at: now.toISOString() }, ...customer.rewardsIssued],
  };
}
