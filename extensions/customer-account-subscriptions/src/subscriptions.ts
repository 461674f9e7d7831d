/**
 * The app's cancel-save API (`${appUrl}/api/subscriptions/*`, app/services/cancel-save/api.server.ts) as the
 * Subscriptions page uses it. Pure: no Shopify global, no UI; fetch and the session token come in as arguments.
 * Money is integer minor units with a currency code; dates are ISO strings.
 */

export type BillingInterval = "DAY" | "WEEK" | "MONTH" | "YEAR";
export interface Frequency {
  interval: BillingInterval;
  intervalCount: number;
}
export interface Money {
  amountMinor: number;
  currencyCode: string;
}

export interface Subscription {
  id: string;
  status: "ACTIVE" | "PAUSED" | "CANCELLED" | "EXPIRED" | "FAILED";
  title: string;
  pricePerCycle: Money;
  billing: Frequency;
  nextBillingDate: string | null;
  pause: { resumeOn: string; extendableByMonths: number[] } | null;
  canCancel: boolean;
  canResume: boolean;
}

export type Offer =
  | { kind: "pause"; months: number; resumeOn: string | null }
  | { kind: "skip_next_delivery"; skippedDate: string | null; nextBillingDateAfterSkip: string | null }
  | { kind: "change_frequency"; frequency: Frequency }
  | { kind: "swap_variant"; fromTitle: string | null; toTitle: string; toUnitPrice: Money }
  | { kind: "discount"; percent: number; orders: number }
  | { kind: "bonus_points"; points: number };

export type FlowAction = "cancel_now" | "give_reason" | "accept_offer" | "decline_offer";

export interface Flow {
  attemptId: string;
  contractId: string;
  step: "survey" | "offer" | "accepted" | "cancelled";
  actions: FlowAction[];
  reasons: { code: string; label: string; asksFreeText: boolean }[];
  reason: string | null;
  offer: Offer | null;
  cancelledVia: string | null;
  subscription: Subscription;
}

export type FlowEvent = { type: "cancel_now" } | { type: "give_reason"; reason: string; freeText?: string | null } | { type: "accept_offer" } | { type: "decline_offer" };

/** A refusal from the app (`{ error: { code, message } }`), or `network` when it could not be reached. */
export class SubscriptionsApiError extends Error {
  override name = "SubscriptionsApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** A refused flow step: the step the subscriber is still on, with its Cancel button. */
    readonly flow: Flow | null = null,
  ) {
    super(message);
  }
}

export interface SubscriptionsApi {
  list(): Promise<Subscription[]>;
  pressCancel(contractId: string): Promise<Flow>;
  answer(attemptId: string, event: FlowEvent): Promise<Flow>;
  resume(contractId: string): Promise<Subscription>;
  extendPause(contractId: string, months: number): Promise<Subscription>;
}

export interface SubscriptionsApiOptions {
  appUrl: string;
  /** `shopify.sessionToken`: a fresh token is asked for on every request (they live five minutes). */
  sessionToken: { get(): Promise<string> };
  fetch: typeof fetch;
  /** The customer's language (`shopify.localization.language`), for the survey's reasons. */
  language: string;
}

export function createSubscriptionsApi({ appUrl, sessionToken, fetch, language }: SubscriptionsApiOptions): SubscriptionsApi {
  async function request<T>(path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      const token = await sessionToken.get();
      response = await fetch(`${appUrl}/api/subscriptions${path}?language=${encodeURIComponent(language)}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new SubscriptionsApiError("network", error instanceof Error ? error.message : String(error), 0);
    }
    const json = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string }; flow?: Flow }) | null;
    if (!response.ok || json === null) {
      throw new SubscriptionsApiError(json?.error?.code ?? `http_${response.status}`, json?.error?.message ?? "", response.status, json?.flow ?? null);
    }
    return json;
  }
  return {
    list: async () => (await request<{ subscriptions: Subscription[] }>("")).subscriptions,
    pressCancel: (contractId) => request<Flow>("/cancel", { contractId }),
    answer: (attemptId, event) => request<Flow>("/flow", { attemptId, event }),
    resume: async (contractId) => (await request<{ subscription: Subscription }>("/pause", { contractId, action: "resume" })).subscription,
    extendPause: async (contractId, months) => (await request<{ subscription: Subscription }>("/pause", { contractId, action: "extend", months })).subscription,
  };
}

/** The subscription list with one subscription replaced by its newer state. */
export function withSubscription(list: Subscription[], updated: Subscription): Subscription[] {
  return list.map((s) => (s.id === updated.id ? updated : s));
}

