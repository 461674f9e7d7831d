/**
 * Keeps the local mirror of each subscription contract. A subscription_contracts/* webhook names the contract and
 * its revision but carries no lines, prices or next billing date, so each delivery newer than the mirror reads
 * the contract back from the Admin API and writes what Shopify has now (revision-guarded, so any arrival order
 * converges). Billing attempts are recorded once each; a failed one puts the subscriber at risk of involuntary
 * churn (SubscriberBillingRisk, read by the churn radar), a successful one clears it.
 *
 * The read-back runs inside the inbox row's transaction: the row is processed only once the mirror is current,
 * and a Shopify outage fails the row, which is retried with back-off and stays replayable.
 */
import type pg from "pg";
import {
  BILLING_INTERVALS,
  CONTRACT_STATUSES,
  billingFailureRisk,
  isLiveContract,
  type BillingAttempt,
  type BillingInterval,
  type ContractStatus,
} from "~/domain/cancel-save";
import { parseDecimalToMinor } from "~/domain/money";
import { markAcceptedAttemptsCancelled } from "~/data/cancel-save/attempts.server";
import { billingAttemptsOf, recordBillingAttempt, saveBillingRisk } from "~/data/cancel-save/billing.server";
import {
  contractGid,
  contractsOfCustomer,
  findContract,
  lockSubscriber,
  mirroredRevision,
  upsertContractState,
  type ContractState,
  type MirroredContract,
} from "~/data/cancel-save/contracts.server";
import type { HandlerContext, HandlerRegistry, TopicHandler } from "~/jobs/handlers.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { subscriptionContract, type SubscriptionContractNode } from "~/shopify/admin/operations/SubscriptionContract";
import { idFromGid, type WebhookPayload } from "~/shopify/webhooks/payloads";

type Queryable = pg.Pool | pg.PoolClient;

/** The shop's Admin API client, or null when the app has no access to the shop (uninstalled). */
export type AdminFor = (shopDomain: string) => Promise<AdminClient | null>;

function contractStatus(value: string): ContractStatus {
  const status = value.toUpperCase();
  if (!(CONTRACT_STATUSES as readonly string[]).includes(status)) throw new Error(`unknown subscription contract status ${JSON.stringify(value)}`);
  return status as ContractStatus;
}

function interval(value: string): BillingInterval {
  const upper = value.toUpperCase();
  if (!(BILLING_INTERVALS as readonly string[]).includes(upper)) throw new Error(`unknown billing interval ${JSON.stringify(value)}`);
  return upper as BillingInterval;
}

/** A discount still to be applied on some cycle: one that Shopify rejected or that has used its cycles is over. */
function discountActive(discount: SubscriptionContractNode["discounts"]["nodes"][number]): boolean {
  return discount.rejectionReason === null && (discount.recurringCycleLimit === null || discount.usageCount < discount.recurringCycleLimit);
}

/** Shopify's contract as the mirror keeps it. */
export function contractStateOf(node: SubscriptionContractNode): ContractState {
  if (!node.customer) throw new Error(`subscription contract ${node.id} has no customer`);
  return {
    contractId: idFromGid(node.id),
    customerId: idFromGid(node.customer.id),
    status: contractStatus(node.status),
    currencyCode: node.currencyCode,
    billing: { interval: interval(node.billingPolicy.interval), intervalCount: node.billingPolicy.intervalCount },
    delivery: { interval: interval(node.deliveryPolicy.interval), intervalCount: node.deliveryPolicy.intervalCount },
    revisionId: node.revisionId,
    detailsSynced: true,
    nextBillingDate: node.nextBillingDate ? new Date(node.nextBillingDate) : null,
    lines: node.lines.nodes.map((line) => ({
      id: line.id,
      variantId: line.variantId ?? "",
      title: line.variantTitle ? `${line.title} – ${line.variantTitle}` : line.title,
      quantity: line.quantity,
      unitPriceMinor: parseDecimalToMinor(line.currentPrice.amount, line.currentPrice.currencyCode),
    })),
    hasActiveDiscount: node.discounts.nodes.some(discountActive),
    startedAt: new Date(node.createdAt),
  };
}

/**
 * Reads the contract from Shopify and writes it to the mirror (unless the mirror already holds a newer revision).
 * Null when Shopify does not know the contract.
 */
export async function refreshContract(db: Queryable, admin: AdminClient, shopId: number, contractId: string, now: Date): Promise<MirroredContract | null> {
  const node = await subscriptionContract(admin, contractGid(contractId));
  if (!node) return null;
  await upsertContractState(db, shopId, contractStateOf(node), now);
  return findContract(db, shopId, contractId);
}

/**
 * The subscriber's billing risk from every running contract's attempts: the worst of them. A contract that has
 * ended no longer bills, so its failures no longer say anything about the subscriber's payments.
 */
export async function recomputeBillingRisk(tx: pg.PoolClient, shopId: number, customerId: string, now: Date): Promise<void> {
  await lockSubscriber(tx, shopId, customerId);
  const contracts = (await contractsOfCustomer(tx, shopId, customerId)).filter((c) => isLiveContract(c.contract));
  const attempts = await billingAttemptsOf(
    tx,
    shopId,
    contracts.map((c) => c.contractId),
  );
  let worst = { ...billingFailureRisk([]), contractId: null as string | null };
  for (const contract of contracts) {
    const risk = billingFailureRisk(attempts.get(contract.contractId) ?? []);
    if (risk.consecutiveFailures > worst.consecutiveFailures) worst = { ...risk, contractId: contract.contractId };
  }
  await saveBillingRisk(tx, shopId, customerId, worst, now);
}

/** What the webhook itself says, for when the contract cannot be read back (the app has lost access to the shop). */
function webhookState(contract: WebhookPayload<"subscription_contracts/update">, revisionId: string): ContractState {
  const delivery = contract.delivery_policy ?? contract.billing_policy;
  return {
    contractId: idFromGid(contract.admin_graphql_api_id),
    customerId: contract.customer_id,
    status: contractStatus(contract.status),
    currencyCode: contract.currency_code,
    billing: { interval: interval(contract.billing_policy.interval), intervalCount: contract.billing_policy.interval_count },
    delivery: { interval: interval(delivery.interval), intervalCount: delivery.interval_count },
    revisionId,
    detailsSynced: false,
  };
}

function revisionOlderOrSame(held: string | null, incoming: string | undefined): boolean {
  return held !== null && incoming !== undefined && BigInt(held) >= BigInt(incoming);
}

function mirrorContract(adminFor: AdminFor): TopicHandler {
  return async ({ tx, shopId, shopDomain, payload, triggeredAt, receivedAt, now }: HandlerContext) => {
    const delivered = payload as WebhookPayload<"subscription_contracts/update">;
    const contractId = idFromGid(delivered.admin_graphql_api_id);
    // A delivery no newer than the mirror has nothing to add: skip the read-back.
    if (revisionOlderOrSame(await mirroredRevision(tx, shopId, contractId), delivered.revision_id)) return;
    const admin = await adminFor(shopDomain);
    let current = admin ? await refreshContract(tx, admin, shopId, contractId, now) : null;
    if (!current) {
      // Without a revision a delivery cannot be ordered: it only fills in a contract the mirror has never seen.
      await upsertContractState(tx, shopId, webhookState(delivered, delivered.revision_id ?? "0"), now);
      current = await findContract(tx, shopId, contractId);
    }
    if (!current) return;
    if (current.contract.status === "CANCELLED" || current.contract.status === "EXPIRED") {
      await markAcceptedAttemptsCancelled(tx, shopId, contractId, triggeredAt ?? receivedAt);
    }
    await recomputeBillingRisk(tx, shopId, current.customerId, now);
  };
}

function recordAttempt(adminFor: AdminFor, outcome: BillingAttempt["outcome"]): TopicHandler {
  return async ({ tx, shopId, shopDomain, payload, triggeredAt, receivedAt, now }: HandlerContext) => {
    const delivered = payload as WebhookPayload<"subscription_billing_attempts/failure">;
    const contractId = idFromGid(delivered.admin_graphql_api_subscription_contract_id);
    const at = triggeredAt ?? receivedAt;
    const key = delivered.id ? `id:${delivered.id}` : delivered.idempotency_key ? `key:${delivered.idempotency_key}` : `${outcome}:${contractId}:${at.toISOString()}`;
    await recordBillingAttempt(tx, shopId, contractId, { id: key, at, outcome, errorCode: delivered.error_code ?? null });
    // A success moves the next billing date on, and a contract can be billed before its create webhook arrives.
    const admin = await adminFor(shopDomain);
    const contract = (admin && (await refreshContract(tx, admin, shopId, contractId, now))) ?? (await findContract(tx, shopId, contractId));
    // Unknown contract: its create webhook will compute the risk from the attempts recorded by then.
    if (contract) await recomputeBillingRisk(tx, shopId, contract.customerId, now);
  };
}

/** The cancel-save handlers of the subscription topics, for app/jobs/registry.server.ts. */
export function subscriptionWebhookHandlers(adminFor: AdminFor) {
  const mirror = mirrorContract(adminFor);
  return {
    "subscription_contracts/create": mirror,
    "subscription_contracts/update": mirror,
    "subscription_contracts/pause": mirror,
    "subscription_contracts/cancel": mirror,
    "subscription_contracts/activate": mirror,
    "subscription_contracts/expire": mirror,
    "subscription_contracts/fail": mirror,
    "subscription_billing_attempts/success": recordAttempt(adminFor, "success"),
    "subscription_billing_attempts/failure": recordAttempt(adminFor, "failure"),
  } satisfies HandlerRegistry;
}
