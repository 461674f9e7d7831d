/**
 * The subscription webhooks keep the contract mirror through the inbox worker's handler (processInboxRow, a real
 * transaction): deliveries arriving twice, late or out of order converge on Shopify's latest state; billing
 * attempts are counted once each and put a subscriber at risk of involuntary churn, or clear it.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { samplePayload } from "../../../scripts/fake-shopify/webhook-samples";
import { seedSubscriptionContract } from "../../../scripts/fake-shopify/subscription-resolvers";
import { findContract } from "~/data/cancel-save/contracts.server";
import { billingRiskOf } from "~/data/cancel-save/billing.server";
import type { HandlerRegistry } from "~/jobs/handlers.server";
import { processInboxRow } from "~/jobs/worker.server";
import { answerCancelFlow, pressCancel } from "~/services/cancel-save/cancel-flow.server";
import { subscriptionWebhookHandlers } from "~/services/cancel-save/contract-mirror.server";
import { callsSince, daysFrom, fakeContract, flowContext, newShop, NOW, startHarness, type Harness } from "./support";

let h: Harness;
let handlers: HandlerRegistry;
let offline: HandlerRegistry;
beforeAll(async () => {
  h = await startHarness();
  handlers = subscriptionWebhookHandlers(async () => h.admin);
  // The app has lost access to the shop: only what the webhooks themselves say is known.
  offline = subscriptionWebhookHandlers(async () => null);
});
afterAll(async () => {
  await h?.stop();
});

async function deliver(shopId: number, topic: string, payload: unknown, options: { triggeredAt?: Date; registry?: HandlerRegistry } = {}) {
  const { rows } = await h.database.pool.query<{ id: string }>(
    `insert into "WebhookInbox" ("shopId", topic, "dedupeKey", "webhookId", "apiVersion", "triggeredAt", payload)
     values ($1, $2, $3, $3, '2025-01', $4, $5::jsonb) returning id::text as id`,
    [shopId, topic, randomUUID(), options.triggeredAt ?? NOW, JSON.stringify(payload)],
  );
  return processInboxRow(h.database, options.registry ?? handlers, rows[0].id, NOW);
}

let nextId = 91_000;

function contractInShopify(overrides: { customerId?: string } = {}) {
  const id = String((nextId += 1));
  const customerId = overrides.customerId ?? `6${id}`;
  seedSubscriptionContract(h.fake.state, {
    id,
    customerId,
    createdAt: daysFrom(NOW, -30),
    nextBillingDate: daysFrom(NOW, 5),
    lines: [{ id: `${id}1`, variantId: "4001", title: "House blend 1 kg", quantity: 1, unitPriceMinor: 2400 }],
  });
  return { contractId: id, customerId };
}

function contractPayload(topic: string, contractId: string, customerId: string, revision: number, status = "active") {
  return {
    ...samplePayload(topic),
    id: Number(contractId),
    admin_graphql_api_id: `gid://shopify/SubscriptionContract/${contractId}`,
    customer_id: Number(customerId),
    admin_graphql_api_customer_id: `gid://shopify/Customer/${customerId}`,
    billing_policy: { interval: "month", interval_count: 1, min_cycles: null, max_cycles: null },
    delivery_policy: { interval: "month", interval_count: 1 },
    currency_code: "USD",
    status,
    revision_id: String(revision),
  };
}

function attemptPayload(outcome: "success" | "failure", contractId: string, key: string, errorCode: string | null = null) {
  return {
    ...samplePayload(`subscription_billing_attempts/${outcome}`),
    idempotency_key: key,
    subscription_contract_id: Number(contractId),
    admin_graphql_api_subscription_contract_id: `gid://shopify/SubscriptionContract/${contractId}`,
    error_code: errorCode,
    error_message: errorCode ? "Payment declined" : null,
  };
}

describe("the contract mirror", () => {
  test("a create webhook reads the contract back: status, next billing date, price, lines, frequency", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    expect(await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1))).toBe("processed");
    const mirrored = await findContract(h.database.pool, shopId, contractId);
    expect(mirrored).toMatchObject({
      customerId,
      detailsSynced: true,
      startedAt: daysFrom(NOW, -30),
      contract: {
        status: "ACTIVE",
        currencyCode: "USD",
        nextBillingDate: daysFrom(NOW, 5),
        billing: { interval: "MONTH", intervalCount: 1 },
        lines: [{ variantId: "gid://shopify/ProductVariant/4001", title: "House blend 1 kg", quantity: 1, unitPriceMinor: 2400 }],
      },
    });
  });

  test("a repeated delivery changes nothing and asks Shopify nothing", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    const payload = contractPayload("subscription_contracts/update", contractId, customerId, 1);
    await deliver(shopId, "subscription_contracts/update", payload);
    const first = await findContract(h.database.pool, shopId, contractId);
    const from = h.fake.calls.length;
    await deliver(shopId, "subscription_contracts/update", payload);
    expect(callsSince(h, from)).toEqual([]);
    expect(await findContract(h.database.pool, shopId, contractId)).toEqual(first);
  });

  test("a late, older delivery never undoes a newer state", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    const contract = fakeContract(h, contractId);
    contract.status = "PAUSED";
    contract.revisionId = 3;
    await deliver(shopId, "subscription_contracts/pause", contractPayload("subscription_contracts/pause", contractId, customerId, 3, "paused"));
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1, "active"));
    expect((await findContract(h.database.pool, shopId, contractId))?.contract.status).toBe("PAUSED");
  });

  test("out of order, the older delivery arriving first still ends on Shopify's latest state", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    const contract = fakeContract(h, contractId);
    contract.status = "CANCELLED";
    contract.revisionId = 2;
    // The create (revision 1) arrives after Shopify has already moved on: the read-back brings revision 2.
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    await deliver(shopId, "subscription_contracts/cancel", contractPayload("subscription_contracts/cancel", contractId, customerId, 2, "cancelled"));
    expect((await findContract(h.database.pool, shopId, contractId))?.contract.status).toBe("CANCELLED");
  });

  test("without access to the shop, webhooks alone are ordered by revision and keep the details already known", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    await deliver(shopId, "subscription_contracts/pause", contractPayload("subscription_contracts/pause", contractId, customerId, 5, "paused"), { registry: offline });
    await deliver(shopId, "subscription_contracts/update", contractPayload("subscription_contracts/update", contractId, customerId, 4, "active"), { registry: offline });
    const mirrored = await findContract(h.database.pool, shopId, contractId);
    expect(mirrored).toMatchObject({ detailsSynced: false, contract: { status: "PAUSED", nextBillingDate: daysFrom(NOW, 5), lines: [{ unitPriceMinor: 2400 }] } });
  });

  test("a saved contract cancelled later (in Shopify's admin) counts as lost in the report", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    const context = flowContext(h, shopId);
    const survey = await pressCancel(context, { customerId, contractId, channel: "app_proxy", language: "en" });
    const attemptId = survey.ok ? survey.body.attemptId : "";
    await answerCancelFlow(context, { customerId, attemptId, event: { type: "give_reason", reason: "too_expensive" }, language: "en" });
    await answerCancelFlow(context, { customerId, attemptId, event: { type: "accept_offer" }, language: "en" });
    const contract = fakeContract(h, contractId);
    contract.status = "CANCELLED";
    contract.revisionId += 1;
    const cancelledAt = daysFrom(NOW, 12);
    await deliver(shopId, "subscription_contracts/cancel", contractPayload("subscription_contracts/cancel", contractId, customerId, contract.revisionId, "cancelled"), { triggeredAt: cancelledAt });
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ acceptedAt: NOW, cancelledAt, cancelledVia: "after_accepting" });
  });
});

describe("billing attempts and involuntary churn", () => {
  async function subscribed() {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    return { shopId, contractId, customerId };
  }

  test("one failure puts the subscriber at medium risk; the same delivery again counts once; a second failure makes it high", async () => {
    const { shopId, contractId, customerId } = await subscribed();
    const failedAt = daysFrom(NOW, -2);
    const first = attemptPayload("failure", contractId, "attempt-1", "CARD_DECLINED");
    await deliver(shopId, "subscription_billing_attempts/failure", first, { triggeredAt: failedAt });
    await deliver(shopId, "subscription_billing_attempts/failure", first, { triggeredAt: failedAt });
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toEqual({ customerId, level: "medium", consecutiveFailures: 1, failingSince: failedAt, contractId });

    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-2", "CARD_DECLINED"), { triggeredAt: daysFrom(NOW, -1) });
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toMatchObject({ level: "high", consecutiveFailures: 2, failingSince: failedAt });
  });

  test("a success clears the risk, whatever order the deliveries arrive in", async () => {
    const { shopId, contractId, customerId } = await subscribed();
    // The success happened last but is delivered first.
    await deliver(shopId, "subscription_billing_attempts/success", attemptPayload("success", contractId, "attempt-3"), { triggeredAt: daysFrom(NOW, -1) });
    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-2", "CARD_DECLINED"), { triggeredAt: daysFrom(NOW, -3) });
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toBeNull();
  });

  test("a failure that is the shop's (out of stock) does not put the subscriber at risk", async () => {
    const { shopId, contractId, customerId } = await subscribed();
    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-1", "INSUFFICIENT_INVENTORY"));
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toBeNull();
  });

  test("a failure for a contract not mirrored yet (no access to read it) counts once its create arrives", async () => {
    const shopId = await newShop(h);
    const { contractId, customerId } = contractInShopify();
    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-1", "CARD_DECLINED"), { registry: offline });
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toBeNull();
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toMatchObject({ level: "medium", consecutiveFailures: 1 });
  });

  test("a cancelled contract's failures no longer count", async () => {
    const { shopId, contractId, customerId } = await subscribed();
    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-1", "CARD_DECLINED"));
    const contract = fakeContract(h, contractId);
    contract.status = "CANCELLED";
    contract.revisionId += 1;
    await deliver(shopId, "subscription_contracts/cancel", contractPayload("subscription_contracts/cancel", contractId, customerId, contract.revisionId, "cancelled"));
    expect(await billingRiskOf(h.database.pool, shopId, customerId)).toBeNull();
  });

  test("the failing subscriber's risk feeds the save flow's churn risk", async () => {
    const shopId = await newShop(h, {
      offers: [{ id: "pause-1", kind: "pause", months: 1 }],
      rules: [{ id: "at-risk", when: { churnRisk: ["medium", "high"] }, offerId: "pause-1" }],
    });
    const { contractId, customerId } = contractInShopify();
    await deliver(shopId, "subscription_contracts/create", contractPayload("subscription_contracts/create", contractId, customerId, 1));
    await deliver(shopId, "subscription_billing_attempts/failure", attemptPayload("failure", contractId, "attempt-1", "CARD_DECLINED"));
    const context = flowContext(h, shopId);
    const survey = await pressCancel(context, { customerId, contractId, channel: "app_proxy", language: "en" });
    const offered = await answerCancelFlow(context, { customerId, attemptId: survey.ok ? survey.body.attemptId : "", event: { type: "give_reason", reason: "quality" }, language: "en" });
    expect(offered.ok && offered.body.offer?.kind).toBe("pause");
  });
});
