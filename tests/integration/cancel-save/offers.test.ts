/**
 * Accepting each kind of save offer makes the right Admin API change (operations validated against Shopify's
 * schema by the fake), and a refusal (userErrors) is never confirmed: the subscriber stays on the offer, with
 * Decline, and neither the mirror nor the report shows a change.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SaveOffer } from "~/domain/cancel-save";
import { inTransaction } from "~/data/db.server";
import { upsertAndLockCustomer } from "~/data/loyalty/customers.server";
import { creditPointsOnLedger } from "~/services/cancel-save/bonus-points.server";
import { answerCancelFlow, pressCancel, type FlowContext } from "~/services/cancel-save/cancel-flow.server";
import { findContract } from "~/data/cancel-save/contracts.server";
import { callsSince, fakeContract, flowContext, newShop, NOW, seedContract, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A shop whose one rule makes `offer` the answer to "too expensive". */
async function shopOffering(offer: SaveOffer) {
  const shopId = await newShop(h, { offers: [offer], rules: [{ id: "r1", when: { reasons: ["too_expensive"] }, offerId: offer.id }] });
  const contract = await seedContract(h, shopId);
  return { shopId, ...contract };
}

async function reachOffer(context: FlowContext, customerId: string, contractId: string) {
  const started = await pressCancel(context, { customerId, contractId, channel: "customer_account", language: "en" });
  if (!started.ok) throw new Error(started.message);
  const offered = await answerCancelFlow(context, { customerId, attemptId: started.body.attemptId, event: { type: "give_reason", reason: "too_expensive" }, language: "en" });
  if (!offered.ok || offered.body.step !== "offer") throw new Error(`expected an offer, got ${JSON.stringify(offered)}`);
  return offered.body;
}

async function accept(context: FlowContext, customerId: string, attemptId: string) {
  return answerCancelFlow(context, { customerId, attemptId, event: { type: "accept_offer" }, language: "en" });
}

const CASES: {
  offer: SaveOffer;
  /** Every Admin API call accepting it makes, in order: the change, then the contract read back. */
  calls: string[];
  /** The call that carries the change, and what it asks for. */
  mutation: string;
  variables: Record<string, unknown>;
  check: (mirror: NonNullable<Awaited<ReturnType<typeof findContract>>>) => void;
}[] = [
  {
    offer: { id: "pause-2", kind: "pause", months: 2 },
    calls: ["SubscriptionContractPause", "SubscriptionContract"],
    mutation: "SubscriptionContractPause",
    variables: { subscriptionContractId: expect.stringMatching(/^gid:\/\/shopify\/SubscriptionContract\/\d+$/) },
    check: (mirror) => {
      expect(mirror.contract.status).toBe("PAUSED");
      expect(mirror.contract.pause).toEqual({ pausedOn: NOW, resumeOn: new Date("2026-05-10T12:00:00.000Z") });
      // A pause keeps the price.
      expect(mirror.contract.lines.map((l) => l.unitPriceMinor)).toEqual([1250]);
    },
  },
  {
    offer: { id: "skip", kind: "skip_next_delivery" },
    calls: ["SubscriptionBillingCycleSkip", "SubscriptionContract"],
    mutation: "SubscriptionBillingCycleSkip",
    variables: { billingCycleInput: { contractId: expect.any(String), selector: { date: "2026-03-22T12:00:00.000Z" } } },
    check: (mirror) => expect(mirror.contract.nextBillingDate).toEqual(new Date("2026-04-22T12:00:00.000Z")),
  },
  {
    offer: { id: "every-2-months", kind: "change_frequency", frequency: { interval: "MONTH", intervalCount: 2 } },
    calls: ["SubscriptionContractUpdate", "SubscriptionDraftUpdate", "SubscriptionDraftCommit", "SubscriptionContract"],
    mutation: "SubscriptionDraftUpdate",
    variables: { input: { billingPolicy: { interval: "MONTH", intervalCount: 2 }, deliveryPolicy: { interval: "MONTH", intervalCount: 2 } } },
    check: (mirror) => {
      expect(mirror.contract.billing).toEqual({ interval: "MONTH", intervalCount: 2 });
      expect(mirror.contract.delivery).toEqual({ interval: "MONTH", intervalCount: 2 });
    },
  },
  {
    offer: {
      id: "smaller-bag",
      kind: "swap_variant",
      swaps: [{ fromVariantId: "gid://shopify/ProductVariant/4001", toVariantId: "gid://shopify/ProductVariant/4002", toVariantTitle: "House blend 500 g", toUnitPrice: { amountMinor: 700, currencyCode: "USD" } }],
    },
    calls: ["SubscriptionContractUpdate", "SubscriptionDraftLineUpdate", "SubscriptionDraftCommit", "SubscriptionContract"],
    mutation: "SubscriptionDraftLineUpdate",
    variables: { lineId: expect.stringMatching(/SubscriptionLine/), input: { productVariantId: "gid://shopify/ProductVariant/4002", currentPrice: "7.00" } },
    check: (mirror) => expect(mirror.contract.lines.map((l) => [l.variantId, l.unitPriceMinor])).toEqual([["gid://shopify/ProductVariant/4002", 700]]),
  },
  {
    offer: { id: "twenty-off", kind: "discount", percent: 20, orders: 2 },
    calls: ["SubscriptionContractUpdate", "SubscriptionDraftDiscountAdd", "SubscriptionDraftCommit", "SubscriptionContract"],
    mutation: "SubscriptionDraftDiscountAdd",
    variables: { input: { title: "20% off for staying", value: { percentage: 20 }, recurringCycleLimit: 2, entitledLines: { all: true } } },
    check: (mirror) => expect(mirror.hasActiveDiscount).toBe(true),
  },
];

describe("accepting an offer", () => {
  test.each(CASES)("$offer.kind carries out $mutation and confirms the change", async ({ offer, calls, mutation, variables, check }) => {
    const { shopId, customerId, contractId } = await shopOffering(offer);
    const context = flowContext(h, shopId);
    const offered = await reachOffer(context, customerId, contractId);
    expect(offered.offer?.kind).toBe(offer.kind);
    const from = h.fake.calls.length;

    const accepted = await accept(context, customerId, offered.attemptId);

    expect(accepted.ok).toBe(true);
    expect(accepted.ok && accepted.body.step).toBe("accepted");
    expect(accepted.ok && accepted.body.actions).toEqual([]);
    expect(callsSince(h, from)).toEqual(calls);
    expect(h.fake.calls.slice(from).find((c) => c.operationName === mutation)?.variables).toMatchObject(variables);
    check((await findContract(h.database.pool, shopId, contractId))!);
    const attempt = await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: offered.attemptId } });
    expect(attempt).toMatchObject({ step: "accepted", acceptedAt: NOW, cancelledAt: null, reason: "too_expensive", offerKind: offer.kind, ruleId: "r1" });
  });

  test("bonus points are credited once on the loyalty ledger, keyed by the attempt", async () => {
    const { shopId, customerId, contractId } = await shopOffering({ id: "points", kind: "bonus_points", points: 500 });
    await inTransaction(h.database.pool, (tx) =>
      upsertAndLockCustomer(tx, shopId, { shopifyCustomerId: customerId, email: null, firstName: "Ann", lastName: null, phone: null, addresses: null, createdAt: null, updatedAt: null }),
    );
    const context = flowContext(h, shopId, NOW, { creditPoints: creditPointsOnLedger(h.database) });
    const offered = await reachOffer(context, customerId, contractId);
    const from = h.fake.calls.length;

    const accepted = await accept(context, customerId, offered.attemptId);

    expect(accepted.ok && accepted.body.offer).toEqual({ kind: "bonus_points", points: 500 });
    expect(callsSince(h, from)).toEqual([]);
    const ledger = await h.database.pool.query(`select points, kind, "idempotencyKey" from "LedgerEntry" where "shopId" = $1`, [shopId]);
    expect(ledger.rows).toEqual([{ points: 500, kind: "adjustment", idempotencyKey: `adjustment:cancel-save:${offered.attemptId}:bonus-points` }]);
    // Crediting the same acceptance again posts nothing more.
    expect(await creditPointsOnLedger(h.database)({ shopId, customerId, points: 500, idempotencyKey: `cancel-save:${offered.attemptId}:bonus-points`, now: NOW })).toBe(true);
    expect((await h.database.pool.query(`select count(*)::int as n from "LedgerEntry" where "shopId" = $1`, [shopId])).rows[0].n).toBe(1);
  });

  test("a subscriber without a loyalty account cannot be credited: nothing is confirmed", async () => {
    const { shopId, customerId, contractId } = await shopOffering({ id: "points", kind: "bonus_points", points: 500 });
    const context = flowContext(h, shopId, NOW, { creditPoints: creditPointsOnLedger(h.database) });
    const offered = await reachOffer(context, customerId, contractId);
    expect(await accept(context, customerId, offered.attemptId)).toMatchObject({ ok: false, status: 502, code: "change_failed", body: { step: "offer" } });
  });

  test("without a loyalty ledger a bonus-points offer says it cannot be made, and Decline still cancels", async () => {
    const { shopId, customerId, contractId } = await shopOffering({ id: "points", kind: "bonus_points", points: 500 });
    const context = flowContext(h, shopId);
    const offered = await reachOffer(context, customerId, contractId);

    const refused = await accept(context, customerId, offered.attemptId);
    expect(refused).toMatchObject({ ok: false, status: 409, code: "offer_unavailable", body: { step: "offer", actions: ["accept_offer", "decline_offer"] } });

    const declined = await answerCancelFlow(context, { customerId, attemptId: offered.attemptId, event: { type: "decline_offer" }, language: "en" });
    expect(declined.ok && declined.body.step).toBe("cancelled");
  });
});

describe("Shopify refuses the change (userErrors)", () => {
  test.each(CASES)("$offer.kind: nothing is confirmed, the offer and Decline stay, the mirror and report are unchanged", async ({ offer, calls }) => {
    const { shopId, customerId, contractId, mirrored } = await shopOffering(offer);
    const context = flowContext(h, shopId);
    const offered = await reachOffer(context, customerId, contractId);
    // The call that makes the change: the commit for draft changes, else the one mutation.
    const refusing = calls.at(-2)!;
    h.fake.injectFault(refusing, { userErrors: [{ field: ["base"], message: "Contract can't be changed right now", code: "INVALID" }] });

    const refused = await accept(context, customerId, offered.attemptId);

    expect(refused).toMatchObject({ ok: false, status: 502, code: "change_failed", body: { step: "offer", actions: ["accept_offer", "decline_offer"] } });
    expect(refused.ok ? "" : refused.message).toMatch(/nothing has changed/);
    expect(await findContract(h.database.pool, shopId, contractId)).toEqual(mirrored);
    const attempt = await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: offered.attemptId } });
    expect(attempt).toMatchObject({ step: "offer", acceptedAt: null, busyUntil: null, lastError: expect.stringContaining("Contract can't be changed right now") });
  });

  test("a draft whose change is refused is never committed", async () => {
    const { shopId, customerId, contractId } = await shopOffering({ id: "twenty-off", kind: "discount", percent: 20, orders: 2 });
    const context = flowContext(h, shopId);
    const offered = await reachOffer(context, customerId, contractId);
    h.fake.injectFault("SubscriptionDraftDiscountAdd", { userErrors: [{ field: ["input"], message: "Discount is not valid" }] });
    const from = h.fake.calls.length;

    const refused = await accept(context, customerId, offered.attemptId);

    expect(refused.ok).toBe(false);
    expect(callsSince(h, from)).toEqual(["SubscriptionContractUpdate", "SubscriptionDraftDiscountAdd"]);
    expect(fakeContract(h, contractId).discounts).toEqual([]);
  });

  test("after a refusal the subscriber can accept again, and it is carried out once", async () => {
    const { shopId, customerId, contractId } = await shopOffering({ id: "pause-1", kind: "pause", months: 1 });
    const context = flowContext(h, shopId);
    const offered = await reachOffer(context, customerId, contractId);
    h.fake.injectFault("SubscriptionContractPause", "server_error");
    expect((await accept(context, customerId, offered.attemptId)).ok).toBe(false);
    // The fault answered without running the mutation: the contract is still active.
    expect(fakeContract(h, contractId).status).toBe("ACTIVE");

    const again = await accept(context, customerId, offered.attemptId);
    expect(again.ok && again.body.step).toBe("accepted");
    expect(h.fake.calls.filter((c) => c.operationName === "SubscriptionContractPause" && c.variables.subscriptionContractId === fakeContract(h, contractId).id)).toHaveLength(2);
    const twice = await accept(context, customerId, offered.attemptId);
    expect(twice).toMatchObject({ ok: false, code: "not_allowed_now", body: { step: "accepted" } });
  });
});
