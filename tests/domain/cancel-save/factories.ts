import {
  cancelSaveSettingsSchema,
  type CancelSaveSettings,
  type CancelSaveSettingsInput,
  type SubscriberFacts,
  type SubscriptionContract,
} from "~/domain/cancel-save";

export const NOW = new Date("2025-06-15T12:00:00.000Z");

const DAY_MS = 86_400_000;
export function daysAgo(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() - days * DAY_MS);
}

/** A monthly coffee subscription: two bags of 12.50 EUR, billed and delivered monthly. */
export function aContract(overrides: Partial<SubscriptionContract> = {}): SubscriptionContract {
  return {
    id: "gid://shopify/SubscriptionContract/1",
    status: "ACTIVE",
    currencyCode: "EUR",
    lines: [{ id: "gid://shopify/SubscriptionLine/1", variantId: "gid://shopify/ProductVariant/large", title: "Coffee 1 kg", quantity: 2, unitPriceMinor: 1250 }],
    billing: { interval: "MONTH", intervalCount: 1 },
    delivery: { interval: "MONTH", intervalCount: 1 },
    nextBillingDate: new Date("2025-07-01T09:00:00.000Z"),
    pause: null,
    priceProtectedUntil: null,
    ...overrides,
  };
}

export function aSubscriber(overrides: Partial<Omit<SubscriberFacts, "contract">> & { contract?: Partial<SubscriptionContract> } = {}): SubscriberFacts {
  const { contract, ...facts } = overrides;
  return {
    customerId: "gid://shopify/Customer/7",
    subscriberSince: daysAgo(200),
    lifetimeValue: { amountMinor: 30_000, currencyCode: "EUR" },
    tier: "silver",
    churnRisk: "medium",
    hasActiveDiscount: false,
    lastOfferAcceptedAt: null,
    ...facts,
    contract: aContract(contract),
  };
}

export function settingsWith(input: CancelSaveSettingsInput = {}): CancelSaveSettings {
  return cancelSaveSettingsSchema.parse(input);
}
