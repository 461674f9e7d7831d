/**
 * The fake Admin API's subscription contracts, for the cancel-save flow in the demo and the tests. Contracts are
 * seeded with `seedSubscriptionContract`; the mutations change them as Shopify does (status rules, drafts that
 * change nothing until committed, a new revisionId on every change) and refuse what Shopify refuses with
 * userErrors. Shopify would also send subscription_contracts/* webhooks; the fake sends none, so the app's own
 * read-back after each change is what keeps its mirror current here.
 */
import { addFrequency } from "~/domain/cancel-save/time";
import type { BillingInterval } from "~/domain/cancel-save";
import type { FakeShopState, Resolver } from "./admin-api";

interface Money {
  amount: string;
  currencyCode: string;
}

export interface FakeContractLine {
  id: string;
  variantId: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  currentPrice: Money;
}

export interface FakeSubscriptionContract {
  id: string;
  status: "ACTIVE" | "PAUSED" | "CANCELLED" | "EXPIRED" | "FAILED";
  revisionId: number;
  createdAt: string;
  currencyCode: string;
  nextBillingDate: string | null;
  customerId: string;
  billingPolicy: { interval: BillingInterval; intervalCount: number };
  deliveryPolicy: { interval: BillingInterval; intervalCount: number };
  lines: FakeContractLine[];
  discounts: { id: string; title: string | null; recurringCycleLimit: number | null; usageCount: number; rejectionReason: null }[];
  /** Billing dates of skipped cycles (ISO). */
  skippedCycles: string[];
}

interface FakeDraft {
  id: string;
  contract: FakeSubscriptionContract;
}

export function subscriptionContracts(state: FakeShopState): Map<string, FakeSubscriptionContract> {
  state.subscriptionContracts ??= new Map<string, FakeSubscriptionContract>();
  return state.subscriptionContracts;
}

function drafts(state: FakeShopState): Map<string, FakeDraft> {
  state.subscriptionDrafts ??= new Map<string, FakeDraft>();
  return state.subscriptionDrafts;
}

export interface ContractSeed {
  /** Numeric id. */
  id: string;
  customerId: string;
  createdAt: Date;
  nextBillingDate: Date | null;
  currencyCode?: string;
  status?: FakeSubscriptionContract["status"];
  every?: { interval: BillingInterval; intervalCount: number };
  lines: { id: string; variantId: string; title: string; variantTitle?: string; quantity: number; unitPriceMinor: number }[];
  discounts?: FakeSubscriptionContract["discounts"];
}

const toDecimal = (minor: number) => (minor / 100).toFixed(2);

export function seedSubscriptionContract(state: FakeShopState, seed: ContractSeed): FakeSubscriptionContract {
  const currencyCode = seed.currencyCode ?? "USD";
  const every = seed.every ?? { interval: "MONTH", intervalCount: 1 };
  const contract: FakeSubscriptionContract = {
    id: `gid://shopify/SubscriptionContract/${seed.id}`,
    status: seed.status ?? "ACTIVE",
    revisionId: 1,
    createdAt: seed.createdAt.toISOString(),
    currencyCode,
    nextBillingDate: seed.nextBillingDate?.toISOString() ?? null,
    customerId: `gid://shopify/Customer/${seed.customerId}`,
    billingPolicy: { ...every },
    deliveryPolicy: { ...every },
    lines: seed.lines.map((line) => ({
      id: `gid://shopify/SubscriptionLine/${line.id}`,
      variantId: `gid://shopify/ProductVariant/${line.variantId}`,
      title: line.title,
      variantTitle: line.variantTitle ?? null,
      quantity: line.quantity,
      currentPrice: { amount: toDecimal(line.unitPriceMinor), currencyCode },
    })),
    discounts: seed.discounts ?? [],
    skippedCycles: [],
  };
  subscriptionContracts(state).set(contract.id, contract);
  return contract;
}

function node(contract: FakeSubscriptionContract) {
  return {
    id: contract.id,
    status: contract.status,
    revisionId: String(contract.revisionId),
    createdAt: contract.createdAt,
    currencyCode: contract.currencyCode,
    nextBillingDate: contract.nextBillingDate,
    customer: { id: contract.customerId },
    billingPolicy: contract.billingPolicy,
    deliveryPolicy: contract.deliveryPolicy,
    lines: { nodes: contract.lines },
    discounts: { nodes: contract.discounts },
  };
}

type Refusal = { field: string[]; message: string; code: string };
const refusal = (field: string[], message: string, code: string): Refusal[] => [{ field, message, code }];

function changed(contract: FakeSubscriptionContract): FakeSubscriptionContract {
  contract.revisionId += 1;
  return contract;
}

/** Pause, activate and cancel: Shopify refuses a change from a status that does not allow it. */
function statusChange(field: string, to: FakeSubscriptionContract["status"], allowedFrom: FakeSubscriptionContract["status"][]): Resolver {
  return (variables, state) => {
    const contract = subscriptionContracts(state).get(variables.subscriptionContractId);
    if (!contract) return { [field]: { contract: null, userErrors: refusal(["subscriptionContractId"], "Contract does not exist", "CONTRACT_DOES_NOT_EXIST") } };
    if (!allowedFrom.includes(contract.status)) {
      return { [field]: { contract: null, userErrors: refusal([], `Cannot change a ${contract.status.toLowerCase()} contract to ${to.toLowerCase()}`, "INVALID_STATUS_TRANSITION") } };
    }
    contract.status = to;
    return { [field]: { contract: { id: contract.id, status: changed(contract).status }, userErrors: [] } };
  };
}

/** A mutation on a draft; an unknown draft id is refused as Shopify does. */
function onDraft(field: string, change: (draft: FakeDraft, variables: Record<string, any>, state: FakeShopState) => unknown): Resolver {
  return (variables, state) => {
    const draft = drafts(state).get(variables.draftId);
    if (!draft) return { [field]: { userErrors: refusal(["draftId"], "Draft does not exist", "INVALID") } };
    return change(draft, variables, state);
  };
}

export const subscriptionResolvers: Record<string, Resolver> = {
  SubscriptionContract: (variables, state) => {
    const contract = subscriptionContracts(state).get(variables.id);
    return { subscriptionContract: contract ? node(contract) : null };
  },

  SubscriptionContractPause: statusChange("subscriptionContractPause", "PAUSED", ["ACTIVE"]),
  SubscriptionContractActivate: statusChange("subscriptionContractActivate", "ACTIVE", ["PAUSED", "FAILED"]),
  SubscriptionContractCancel: statusChange("subscriptionContractCancel", "CANCELLED", ["ACTIVE", "PAUSED", "FAILED"]),

  SubscriptionContractSetNextBillingDate: (variables, state) => {
    const contract = subscriptionContracts(state).get(variables.contractId);
    if (!contract) return { subscriptionContractSetNextBillingDate: { contract: null, userErrors: refusal(["contractId"], "Contract does not exist", "INVALID") } };
    contract.nextBillingDate = new Date(variables.date).toISOString();
    changed(contract);
    return { subscriptionContractSetNextBillingDate: { contract: { id: contract.id, nextBillingDate: contract.nextBillingDate }, userErrors: [] } };
  },

  // The cycle is chosen by its billing date; skipping the next one moves the contract's next billing date on by
  // one billing interval, as the subscriber's schedule then reads.
  SubscriptionBillingCycleSkip: (variables, state) => {
    const { contractId, selector } = variables.billingCycleInput;
    const contract = subscriptionContracts(state).get(contractId);
    const fail = (message: string, code: string) => ({ subscriptionBillingCycleSkip: { billingCycle: null, userErrors: refusal(["billingCycleInput"], message, code) } });
    if (!contract) return fail("Contract does not exist", "CONTRACT_NOT_FOUND");
    if (contract.status !== "ACTIVE" || !contract.nextBillingDate) return fail("Billing cycle can't be skipped for this contract", "INVALID");
    const date = new Date(selector.date).toISOString();
    if (date !== contract.nextBillingDate) return fail("No billing cycle starts on that date", "CYCLE_NOT_FOUND");
    contract.skippedCycles.push(date);
    contract.nextBillingDate = addFrequency(new Date(date), contract.billingPolicy).toISOString();
    changed(contract);
    return { subscriptionBillingCycleSkip: { billingCycle: { cycleIndex: contract.skippedCycles.length, billingAttemptExpectedDate: date, skipped: true }, userErrors: [] } };
  },

  SubscriptionContractUpdate: (variables, state) => {
    const contract = subscriptionContracts(state).get(variables.contractId);
    if (!contract) return { subscriptionContractUpdate: { draft: null, userErrors: refusal(["contractId"], "Contract does not exist", "INVALID") } };
    const draft = { id: `gid://shopify/SubscriptionDraft/${drafts(state).size + 1}`, contract: structuredClone(contract) };
    drafts(state).set(draft.id, draft);
    return { subscriptionContractUpdate: { draft: { id: draft.id }, userErrors: [] } };
  },

  SubscriptionDraftUpdate: onDraft("subscriptionDraftUpdate", (draft, variables) => {
    const { billingPolicy, deliveryPolicy } = variables.input;
    if (billingPolicy) draft.contract.billingPolicy = { interval: billingPolicy.interval, intervalCount: billingPolicy.intervalCount };
    if (deliveryPolicy) draft.contract.deliveryPolicy = { interval: deliveryPolicy.interval, intervalCount: deliveryPolicy.intervalCount };
    return { subscriptionDraftUpdate: { draft: { id: draft.id }, userErrors: [] } };
  }),

  SubscriptionDraftLineUpdate: onDraft("subscriptionDraftLineUpdate", (draft, variables) => {
    const line = draft.contract.lines.find((l) => l.id === variables.lineId);
    if (!line) return { subscriptionDraftLineUpdate: { lineUpdated: null, userErrors: refusal(["lineId"], "Line does not exist", "INVALID") } };
    if (variables.input.productVariantId) line.variantId = variables.input.productVariantId;
    if (variables.input.currentPrice !== undefined) line.currentPrice = { amount: Number(variables.input.currentPrice).toFixed(2), currencyCode: draft.contract.currencyCode };
    return { subscriptionDraftLineUpdate: { lineUpdated: { id: line.id, variantId: line.variantId, currentPrice: line.currentPrice }, userErrors: [] } };
  }),

  SubscriptionDraftDiscountAdd: onDraft("subscriptionDraftDiscountAdd", (draft, variables) => {
    const percentage = variables.input.value?.percentage;
    if (!Number.isInteger(percentage) || percentage < 1 || percentage > 100) {
      return { subscriptionDraftDiscountAdd: { discountAdded: null, userErrors: refusal(["input", "value", "percentage"], "Percentage must be between 1 and 100", "INVALID") } };
    }
    const discount = {
      id: `gid://shopify/SubscriptionManualDiscount/${draft.id.split("/").pop()}-${draft.contract.discounts.length + 1}`,
      title: variables.input.title ?? null,
      recurringCycleLimit: variables.input.recurringCycleLimit ?? null,
      usageCount: 0,
      rejectionReason: null,
    };
    draft.contract.discounts.push(discount);
    return { subscriptionDraftDiscountAdd: { discountAdded: { id: discount.id, title: discount.title, recurringCycleLimit: discount.recurringCycleLimit }, userErrors: [] } };
  }),

  SubscriptionDraftCommit: onDraft("subscriptionDraftCommit", (draft, _variables, state) => {
    const contract = subscriptionContracts(state).get(draft.contract.id)!;
    Object.assign(contract, { ...draft.contract, revisionId: contract.revisionId });
    drafts(state).delete(draft.id);
    return { subscriptionDraftCommit: { contract: { id: contract.id, revisionId: String(changed(contract).revisionId) }, userErrors: [] } };
  }),
};
