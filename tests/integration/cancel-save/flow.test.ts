/**
 * The cancel flow end to end against the fake Admin API and a real PostgreSQL: the guards (cooldown, active
 * discount, flow off), Decline and Cancel now always cancelling, at most two actions after the first press, and a
 * failed Admin API call never leaving the subscriber told that something changed.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { answerCancelFlow, listSubscriptions, pressCancel, viewAttempt, type FlowContext } from "~/services/cancel-save/cancel-flow.server";
import { findContract } from "~/data/cancel-save/contracts.server";
import { callsSince, daysFrom, fakeContract, flowContext, newShop, NOW, seedContract, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Event = Parameters<typeof answerCancelFlow>[1]["event"];

async function press(context: FlowContext, customerId: string, contractId: string) {
  const started = await pressCancel(context, { customerId, contractId, channel: "app_proxy", language: "en" });
  if (!started.ok) throw new Error(started.message);
  return started.body;
}

const act = (context: FlowContext, customerId: string, attemptId: string, event: Event) => answerCancelFlow(context, { customerId, attemptId, event, language: "en" });

/** An accepted offer `daysAgo` days before NOW on another of the customer's contracts. */
async function acceptedOfferDaysAgo(shopId: number, customerId: string, days: number) {
  await h.database.prisma.cancelAttempt.create({
    data: {
      shopId,
      customerId,
      contractId: "999",
      channel: "app_proxy",
      step: "accepted",
      reason: "too_expensive",
      offer: { id: "pause-1-month", kind: "pause", months: 1 },
      offerKind: "pause",
      priceMinor: 2500,
      currencyCode: "USD",
      billingInterval: "MONTH",
      billingIntervalCount: 1,
      startedAt: daysFrom(NOW, -days),
      acceptedAt: daysFrom(NOW, -days),
    },
  });
}

describe("the survey and the one offer", () => {
  test("pressing Cancel shows the merchant's reasons in the subscriber's language, with Cancel now", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const started = await pressCancel(flowContext(h, shopId), { customerId, contractId, channel: "customer_account", language: "pl" });
    expect(started.ok && started.body.step).toBe("survey");
    expect(started.ok && started.body.actions).toEqual(["cancel_now", "give_reason"]);
    expect(started.ok && started.body.reasons.map((r) => r.label)).toContain("Za drogo");
    expect(started.ok && started.body.reasons.find((r) => r.code === "other")?.asksFreeText).toBe(true);
  });

  test("not using it leads with the shortest pause by default, and the reason and offer are recorded", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const offered = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "not_using_it" });
    expect(offered.ok && offered.body).toMatchObject({ step: "offer", actions: ["accept_offer", "decline_offer"], offer: { kind: "pause", months: 1, resumeOn: "2026-04-10T12:00:00.000Z" } });
    const attempt = await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } });
    expect(attempt).toMatchObject({ step: "offer", reason: "not_using_it", offerKind: "pause", ruleId: null, priceMinor: 2500, currencyCode: "USD" });
  });

  test("free text is kept only for a reason that asks for it, and cut rather than refused", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const done = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "other", freeText: `  ${"x".repeat(700)}  ` });
    expect(done.ok && done.body.step).toBe("cancelled");
    const attempt = await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } });
    expect(attempt.freeText).toBe("x".repeat(500));
    expect(attempt).toMatchObject({ reason: "other", cancelledVia: "no_offer", noOfferBecause: "no_offer_for_reason" });
  });

  test("pressing Cancel again goes on with the flow under way rather than counting a second attempt", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const first = await press(context, customerId, contractId);
    await act(context, customerId, first.attemptId, { type: "give_reason", reason: "too_much_product" });
    const again = await press(flowContext(h, shopId, daysFrom(NOW, 0.5)), customerId, contractId);
    expect(again).toMatchObject({ attemptId: first.attemptId, step: "offer" });
    expect(await h.database.prisma.cancelAttempt.count({ where: { shopId } })).toBe(1);
  });

  test("an unknown reason is refused with Cancel now still there", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const refused = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "removed_by_merchant" });
    expect(refused).toMatchObject({ ok: false, status: 400, code: "unknown_reason", body: { step: "survey", actions: ["cancel_now", "give_reason"] } });
  });
});

describe("guards", () => {
  test("an offer accepted 99 days ago means no offer now: the reason cancels at once (cooldown 100 days)", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    await acceptedOfferDaysAgo(shopId, customerId, 99);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const from = h.fake.calls.length;
    const done = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "not_using_it" });
    expect(done.ok && done.body).toMatchObject({ step: "cancelled", cancelledVia: "no_offer", offer: null });
    expect(callsSince(h, from)).toEqual(["SubscriptionContractCancel", "SubscriptionContract"]);
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } })).toMatchObject({ noOfferBecause: "cooldown" });
  });

  test("an offer accepted 100 days ago no longer holds one back", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    await acceptedOfferDaysAgo(shopId, customerId, 100);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const offered = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "not_using_it" });
    expect(offered.ok && offered.body.step).toBe("offer");
  });

  test("no discount while one is active: the discount is passed over (and recorded), and the flow cancels", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId, {
      discounts: [{ id: "gid://shopify/SubscriptionManualDiscount/1", title: "Welcome", recurringCycleLimit: 3, usageCount: 1, rejectionReason: null }],
    });
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const done = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "too_expensive" });
    expect(done.ok && done.body).toMatchObject({ step: "cancelled", cancelledVia: "no_offer" });
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } })).toMatchObject({
      noOfferBecause: "discount_active",
      passedOver: [{ offerId: "discount-20-next-2", ruleId: null, guard: "discount_active" }],
    });
  });

  test("a discount that has used its cycles is not active: the discount is offered", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId, {
      discounts: [{ id: "gid://shopify/SubscriptionManualDiscount/2", title: "Welcome", recurringCycleLimit: 3, usageCount: 3, rejectionReason: null }],
    });
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const offered = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "too_expensive" });
    expect(offered.ok && offered.body.offer).toEqual({ kind: "discount", percent: 20, orders: 2 });
  });

  test("with the flow switched off the survey still shows, but no offer is made", async () => {
    const shopId = await newShop(h, { enabled: false });
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    expect(survey.step).toBe("survey");
    const done = await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "not_using_it" });
    expect(done.ok && done.body.step).toBe("cancelled");
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } })).toMatchObject({ noOfferBecause: "flow_off" });
  });

  test("a cancelled contract cannot be cancelled again", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId, { status: "CANCELLED" });
    expect(await pressCancel(flowContext(h, shopId), { customerId, contractId, channel: "app_proxy", language: "en" })).toMatchObject({ ok: false, status: 409, code: "contract_not_cancellable" });
  });

  test("another customer's contract is not found", async () => {
    const shopId = await newShop(h);
    const { contractId } = await seedContract(h, shopId);
    const theirs = await seedContract(h, shopId);
    expect(await pressCancel(flowContext(h, shopId), { customerId: theirs.customerId, contractId, channel: "app_proxy", language: "en" })).toMatchObject({ ok: false, status: 404 });
  });
});

describe("cancelling is never more than two actions away", () => {
  test("Cancel now from the survey cancels at once (one action)", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    const done = await act(context, customerId, survey.attemptId, { type: "cancel_now" });
    expect(done.ok && done.body).toMatchObject({ step: "cancelled", cancelledVia: "cancel_now", actions: [], subscription: { status: "CANCELLED", canCancel: false } });
    expect(fakeContract(h, contractId).status).toBe("CANCELLED");
  });

  test("Decline cancels at once, with no second offer and no 'are you sure?' (two actions)", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "too_expensive" });
    const from = h.fake.calls.length;
    const done = await act(context, customerId, survey.attemptId, { type: "decline_offer" });
    expect(done.ok && done.body).toMatchObject({ step: "cancelled", cancelledVia: "declined_offer", actions: [] });
    expect(callsSince(h, from)).toEqual(["SubscriptionContractCancel", "SubscriptionContract"]);
    expect((await findContract(h.database.pool, shopId, contractId))?.contract.status).toBe("CANCELLED");
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } })).toMatchObject({
      step: "cancelled",
      reason: "too_expensive",
      offerKind: "discount",
      acceptedAt: null,
      cancelledAt: NOW,
    });
  });

  test("cancelling a contract saved earlier counts that save as lost", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const first = await press(context, customerId, contractId);
    await act(context, customerId, first.attemptId, { type: "give_reason", reason: "too_expensive" });
    await act(context, customerId, first.attemptId, { type: "accept_offer" });
    const later = flowContext(h, shopId, daysFrom(NOW, 10));
    const second = await press(later, customerId, contractId);
    await act(later, customerId, second.attemptId, { type: "cancel_now" });
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: first.attemptId } })).toMatchObject({
      acceptedAt: NOW,
      cancelledAt: daysFrom(NOW, 10),
      cancelledVia: "after_accepting",
    });
  });
});

describe("a failed Admin API call never reads as done", () => {
  test.each(["throttled", "server_error", "hang"] as const)("cancel now with Shopify %s: not cancelled, still on the survey with Cancel now", async (fault) => {
    const shopId = await newShop(h);
    const { customerId, contractId, mirrored } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    h.fake.injectFault("SubscriptionContractCancel", fault);
    const refused = await act(context, customerId, survey.attemptId, { type: "cancel_now" });
    expect(refused).toMatchObject({ ok: false, status: 502, code: "cancel_failed", body: { step: "survey", actions: ["cancel_now", "give_reason"] } });
    expect(refused.ok ? "" : refused.message).toMatch(/has not been cancelled/);
    expect(await findContract(h.database.pool, shopId, contractId)).toEqual(mirrored);
    expect(await h.database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: survey.attemptId } })).toMatchObject({ step: "survey", cancelledAt: null });
    // Shown again (a reload), the attempt is still at the survey.
    const reloaded = await viewAttempt(context, { customerId, attemptId: survey.attemptId, language: "en" });
    expect(reloaded.ok && reloaded.body.step).toBe("survey");
  });

  test("Decline while Shopify is down keeps the offer and Decline; trying again cancels", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    await act(context, customerId, survey.attemptId, { type: "give_reason", reason: "too_much_product" });
    h.fake.injectFault("SubscriptionContractCancel", "server_error");
    const refused = await act(context, customerId, survey.attemptId, { type: "decline_offer" });
    expect(refused).toMatchObject({ ok: false, status: 502, body: { step: "offer", actions: ["accept_offer", "decline_offer"] } });
    const listed = await listSubscriptions(context, customerId);
    expect(listed.find((s) => s.id === contractId)?.status).toBe("ACTIVE");

    const done = await act(context, customerId, survey.attemptId, { type: "decline_offer" });
    expect(done.ok && done.body.step).toBe("cancelled");
  });

  test("a cancellation Shopify made but whose answer was lost is confirmed from Shopify's own record", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    h.fake.injectFault("SubscriptionContractCancel", "hang");
    fakeContract(h, contractId).status = "CANCELLED";
    fakeContract(h, contractId).revisionId += 1;
    const done = await act(context, customerId, survey.attemptId, { type: "cancel_now" });
    expect(done.ok && done.body).toMatchObject({ step: "cancelled", subscription: { status: "CANCELLED" } });
  });

  test("a second request while the first is still at Shopify is told to wait, and nothing runs twice", async () => {
    const shopId = await newShop(h);
    const { customerId, contractId } = await seedContract(h, shopId);
    const context = flowContext(h, shopId);
    const survey = await press(context, customerId, contractId);
    h.fake.injectFault("SubscriptionContractCancel", "hang");
    const first = act(context, customerId, survey.attemptId, { type: "cancel_now" });
    await new Promise((r) => setTimeout(r, 200));
    const second = await act(context, customerId, survey.attemptId, { type: "cancel_now" });
    expect(second).toMatchObject({ ok: false, status: 409, code: "busy", body: { step: "survey" } });
    expect((await first).ok).toBe(false);
    expect(h.fake.calls.filter((c) => c.operationName === "SubscriptionContractCancel" && c.variables.subscriptionContractId === fakeContract(h, contractId).id)).toHaveLength(1);
  });
});
