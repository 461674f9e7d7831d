/**
 * The fake Admin API's subscription contracts, for the cancel-save flow in the demo and the tests. Contracts are
 * seeded with `seedSubscriptionContract`; the mutations change them as Shopify does (status rules, drafts that
 * change nothing until committed, a new revisionId on every change) and refuse what Shopify refuses with
 * userErrors. Shopify would also send subscription_contracts/* webhooks; the fake sends none, so the app's own
 * read-back after each change is what keeps its mirror current here.
 */
import pg from "pg";
import { addFrequency } from "~/domain/cancel-save/time";
import type { BillingInterval } from "~/domain/cancel-save";
import { cdnowCustomer } from "../lib/cdnow";
import { replay, type ReplayItem } from "../lib/replay";
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

// ---------------------------------------------------------------- demo

/** What the demo's subscribers subscribe to; ids stay the same from run to run. */
const DEMO_PLANS = [
  { id: "910001", title: "House blend 1 kg", variantId: "4001", quantity: 2, unitPriceMinor: 1250, every: { interval: "MONTH" as const, intervalCount: 1 }, daysToNext: 9 },
  { id: "910002", title: "Tea sampler", variantId: "4101", quantity: 1, unitPriceMinor: 1800, every: { interval: "WEEK" as const, intervalCount: 2 }, daysToNext: 4 },
  { id: "910003", title: "House blend 1 kg", variantId: "4001", quantity: 1, unitPriceMinor: 1250, every: { interval: "MONTH" as const, intervalCount: 1 }, daysToNext: 17 },
  { id: "910004", title: "Espresso 500 g", variantId: "4201", quantity: 1, unitPriceMinor: 990, every: { interval: "MONTH" as const, intervalCount: 1 }, daysToNext: 23 },
];

interface MirroredDemoContract {
  contractId: string;
  status: FakeSubscriptionContract["status"];
  revisionId: string;
  nextBillingDate: Date | null;
  billingInterval: BillingInterval;
  billingIntervalCount: number;
  lines: { id: string; variantId: string; title: string; quantity: number; unitPriceMinor: number }[];
}

/**
 * The demo's subscription contracts for its example customers (the first gets two): seeded in the fake Admin API and
 * announced with signed subscription_contracts/create webhooks, so the app's own intake and worker read them back
 * into its mirror. A contract the app already mirrors from an earlier run is seeded as the app last saw it, so the
 * two never disagree after a restart. Returns how many contracts there are.
 */
export async function seedDemoSubscriptions(options: {
  state: FakeShopState;
  databaseUrl: string;
  baseUrl: string;
  shop: string;
  secret: string;
  /** The demo storefront's example logins (cdnow.<n>@example.com). */
  customerEmails: string[];
  now: Date;
}): Promise<number> {
  const customerIds = options.customerEmails.map((email) => String(cdnowCustomer(Number(/^cdnow\.(\d+)@/.exec(email)?.[1])).customerId));
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const { rows: mirrored } = await db
    .query<MirroredDemoContract>(
      `select c."contractId", c.status, c."revisionId"::text as "revisionId", c."nextBillingDate", c."billingInterval", c."billingIntervalCount", c.lines
       from "SubscriptionContract" c join "Shop" s on s.id = c."shopId" where s.domain = $1`,
      [options.shop],
    )
    .finally(() => db.end());
  const owners = [customerIds[0], customerIds[0], customerIds[1], customerIds[2]];
  const webhooks: ReplayItem[] = [];
  let seeded = 0;
  DEMO_PLANS.forEach((plan, i) => {
    const customerId = owners[i];
    if (!customerId) return;
    const known = mirrored.find((m) => m.contractId === plan.id);
    const contract = seedSubscriptionContract(options.state, {
      id: plan.id,
      customerId,
      createdAt: new Date(options.now.getTime() - (120 + 60 * i) * 86_400_000),
      nextBillingDate: known ? known.nextBillingDate : new Date(options.now.getTime() + plan.daysToNext * 86_400_000),
      status: known?.status ?? "ACTIVE",
      every: known ? { interval: known.billingInterval, intervalCount: known.billingIntervalCount } : plan.every,
      lines: known
        ? known.lines.map((l) => ({ id: l.id.split("/").pop()!, variantId: l.variantId.split("/").pop()!, title: l.title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor }))
        : [{ id: `${plan.id}1`, variantId: plan.variantId, title: plan.title, quantity: plan.quantity, unitPriceMinor: plan.unitPriceMinor }],
    });
    seeded += 1;
    if (known) {
      contract.revisionId = Number(known.revisionId);
      return;
    }
    webhooks.push({
      topic: "subscription_contracts/create",
      eventId: `demo-subscription-${plan.id}`,
      payload: {
        admin_graphql_api_id: contract.id,
        id: Number(plan.id),
        billing_policy: { interval: plan.every.interval.toLowerCase(), interval_count: plan.every.intervalCount, min_cycles: null, max_cycles: null },
        currency_code: contract.currencyCode,
        customer_id: Number(customerId),
        admin_graphql_api_customer_id: contract.customerId,
        delivery_policy: { interval: plan.every.interval.toLowerCase(), interval_count: plan.every.intervalCount },
        status: "active",
        revision_id: String(contract.revisionId),
      },
    });
  });
  if (webhooks.length > 0) await replay({ baseUrl: options.baseUrl, shop: options.shop, secret: options.secret, items: webhooks });
  return seeded;
}
