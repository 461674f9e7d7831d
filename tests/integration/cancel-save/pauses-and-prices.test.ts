/**
 * What happens after an accepted pause, and to protected prices: the daily job's reminder (a Flow trigger, once
 * per resume date) and resume, the subscriber resuming early or extending, price grandfathering with its
 * scheduled repricing, and the tier a paid membership grants.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { grandfatheringRuleSchema } from "~/domain/cancel-save";
import { findContract } from "~/data/cancel-save/contracts.server";
import { protectedLines } from "~/data/cancel-save/price-rises.server";
import { answerCancelFlow, extendSubscriptionPause, pressCancel, resumeSubscription } from "~/services/cancel-save/cancel-flow.server";
import { PAUSE_ENDING_TRIGGER, runCancelSaveDaily } from "~/services/cancel-save/jobs.server";
import { membershipMembers, subscriberTier } from "~/services/cancel-save/membership.server";
import { protectPriceRise } from "~/services/cancel-save/price-protection.server";
import { saveMembershipProgram } from "~/services/cancel-save/settings.server";
import { callsSince, daysFrom, fakeContract, flowContext, newShop, NOW, seedContract, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A subscriber who accepted a one-month pause at NOW (resuming 2026-04-10T12:00Z). */
async function pausedSubscriber() {
  const shopId = await newShop(h, { offers: [{ id: "pause-1", kind: "pause", months: 1 }], rules: [{ id: "all", offerId: "pause-1" }] });
  const { customerId, contractId } = await seedContract(h, shopId);
  const context = flowContext(h, shopId);
  const survey = await pressCancel(context, { customerId, contractId, channel: "app_proxy", language: "en" });
  const attemptId = survey.ok ? survey.body.attemptId : "";
  await answerCancelFlow(context, { customerId, attemptId, event: { type: "give_reason", reason: "moving" }, language: "en" });
  const accepted = await answerCancelFlow(context, { customerId, attemptId, event: { type: "accept_offer" }, language: "en" });
  expect(accepted.ok && accepted.body.subscription.pause?.resumeOn).toBe("2026-04-10T12:00:00.000Z");
  return { shopId, customerId, contractId };
}

const daily = (shopId: number, now: Date) => runCancelSaveDaily({ database: h.database, shopId, admin: h.admin, now });
const remindersFor = (contractId: string) =>
  h.fake.calls.filter((c) => c.operationName === "FlowTriggerReceive" && (c.variables.payload as Record<string, unknown>)["Subscription contract ID"] === `gid://shopify/SubscriptionContract/${contractId}`);

describe("the pause-ending reminder and the scheduled resume", () => {
  test("the reminder goes out 5 days before the resume date, once, and again after an extension", async () => {
    const { shopId, customerId, contractId } = await pausedSubscriber();
    expect(await daily(shopId, new Date("2026-04-05T11:59:00Z"))).toMatchObject({ reminded: 0, resumed: 0 });
    expect(await daily(shopId, new Date("2026-04-05T12:00:00Z"))).toMatchObject({ reminded: 1 });
    expect(await daily(shopId, new Date("2026-04-06T06:00:00Z"))).toMatchObject({ reminded: 0 });
    expect(remindersFor(contractId).map((c) => c.variables)).toEqual([
      { handle: PAUSE_ENDING_TRIGGER, payload: { customer_id: Number(customerId), "Subscription contract ID": `gid://shopify/SubscriptionContract/${contractId}`, "Resume date": "2026-04-10" } },
    ]);

    const extended = await extendSubscriptionPause(flowContext(h, shopId, new Date("2026-04-06T08:00:00Z")), { customerId, contractId, months: 1 });
    expect(extended.ok && extended.body.pause?.resumeOn).toBe("2026-05-10T12:00:00.000Z");
    expect(await daily(shopId, new Date("2026-05-06T06:00:00Z"))).toMatchObject({ reminded: 1 });
    expect(remindersFor(contractId).map((c) => (c.variables.payload as Record<string, unknown>)["Resume date"])).toEqual(["2026-04-10", "2026-05-10"]);
  });

  test("on the resume date the contract is activated and billed from that day; the price was kept", async () => {
    const { shopId, contractId } = await pausedSubscriber();
    const resumeAt = new Date("2026-04-10T12:00:00Z");
    const from = h.fake.calls.length;
    expect(await daily(shopId, resumeAt)).toMatchObject({ resumed: 1 });
    expect(callsSince(h, from)).toEqual(["SubscriptionContractActivate", "SubscriptionContractSetNextBillingDate", "SubscriptionContract"]);
    expect(h.fake.calls.find((c, i) => i >= from && c.operationName === "SubscriptionContractSetNextBillingDate")?.variables.date).toBe(resumeAt.toISOString());
    const mirrored = await findContract(h.database.pool, shopId, contractId);
    expect(mirrored?.contract).toMatchObject({ status: "ACTIVE", pause: null, nextBillingDate: resumeAt, lines: [{ unitPriceMinor: 1250 }] });
    expect(await daily(shopId, daysFrom(resumeAt, 1))).toMatchObject({ resumed: 0, reminded: 0 });
  });

  test("a resume Shopify refuses is counted as failed, kept paused, and tried again the next day", async () => {
    const { shopId, contractId } = await pausedSubscriber();
    h.fake.injectFault("SubscriptionContractActivate", "server_error");
    expect(await daily(shopId, new Date("2026-04-10T12:00:00Z"))).toMatchObject({ resumed: 0, failed: 1 });
    expect((await findContract(h.database.pool, shopId, contractId))?.contract.status).toBe("PAUSED");
    expect(await daily(shopId, new Date("2026-04-11T06:00:00Z"))).toMatchObject({ resumed: 1, failed: 0 });
  });

  test("the subscriber can resume early: billed from today", async () => {
    const { shopId, customerId, contractId } = await pausedSubscriber();
    const today = daysFrom(NOW, 10);
    const resumed = await resumeSubscription(flowContext(h, shopId, today), { customerId, contractId });
    expect(resumed.ok && resumed.body).toMatchObject({ status: "ACTIVE", pause: null, nextBillingDate: today.toISOString(), canResume: false });
    expect(fakeContract(h, contractId).status).toBe("ACTIVE");
  });

  test("resuming early that Shopify refuses says so and leaves the pause as it was", async () => {
    const { shopId, customerId, contractId } = await pausedSubscriber();
    h.fake.injectFault("SubscriptionContractActivate", { userErrors: [{ field: ["subscriptionContractId"], message: "Contract can't be activated" }] });
    const refused = await resumeSubscription(flowContext(h, shopId, daysFrom(NOW, 3)), { customerId, contractId });
    expect(refused).toMatchObject({ ok: false, status: 502, code: "resume_failed" });
    expect((await findContract(h.database.pool, shopId, contractId))?.contract.pause?.resumeOn).toEqual(new Date("2026-04-10T12:00:00Z"));
  });

  test("a pause cannot be extended past the longest pause allowed (6 months from its start)", async () => {
    const { shopId, customerId, contractId } = await pausedSubscriber();
    const context = flowContext(h, shopId, daysFrom(NOW, 3));
    expect(await extendSubscriptionPause(context, { customerId, contractId, months: 6 })).toMatchObject({ ok: false, status: 409, code: "pause_too_long" });
    expect(await extendSubscriptionPause(context, { customerId, contractId, months: 5 })).toMatchObject({ ok: true, body: { pause: { resumeOn: "2026-09-10T12:00:00.000Z", extendableByMonths: [] } } });
  });
});

describe("price grandfathering", () => {
  test("long-standing subscribers keep their price for the chosen months; the others move on the rise's date", async () => {
    const shopId = await newShop(h);
    const loyal = await seedContract(h, shopId, { createdAt: daysFrom(NOW, -400) });
    const recent = await seedContract(h, shopId, { createdAt: daysFrom(NOW, -30) });
    const effectiveOn = daysFrom(NOW, 14);
    const result = await protectPriceRise(h.database, shopId, {
      rise: { variantId: "gid://shopify/ProductVariant/4001", newUnitPrice: { amountMinor: 1450, currencyCode: "USD" }, effectiveOn },
      rule: grandfatheringRule(),
      staffUserId: "90000001",
      now: NOW,
    });
    expect(result).toMatchObject({ protectedSubscribers: 1, linesRepriced: 2 });
    const until = new Date("2026-09-24T12:00:00.000Z");
    expect(await protectedLines(h.database.pool, shopId)).toEqual([
      expect.objectContaining({ customerId: loyal.customerId, contractId: loyal.contractId, keepsUnitPriceMinor: 1250, newUnitPriceMinor: 1450, protectedBecause: ["tenure"], protectedUntil: until }),
    ]);
    expect((await findContract(h.database.pool, shopId, loyal.contractId))?.contract.priceProtectedUntil).toEqual(until);

    expect(await daily(shopId, effectiveOn)).toMatchObject({ repriced: 1 });
    expect((await findContract(h.database.pool, shopId, recent.contractId))?.contract.lines[0].unitPriceMinor).toBe(1450);
    expect((await findContract(h.database.pool, shopId, loyal.contractId))?.contract.lines[0].unitPriceMinor).toBe(1250);

    expect(await daily(shopId, until)).toMatchObject({ repriced: 1 });
    expect((await findContract(h.database.pool, shopId, loyal.contractId))?.contract.lines[0].unitPriceMinor).toBe(1450);
    expect(await protectedLines(h.database.pool, shopId)).toEqual([]);
  });
});

function grandfatheringRule() {
  return grandfatheringRuleSchema.parse({ tenureDaysAtLeast: 365, protectForMonths: 6 });
}

describe("paid VIP membership", () => {
  const program = { variantId: "gid://shopify/ProductVariant/9001", grantsTier: "gold", graceDays: 7 };

  test("an active membership grants its tier; a cancelled one keeps it until the paid period ends, then the customer moves down", async () => {
    const shopId = await newShop(h);
    await saveMembershipProgram(h.database, shopId, program, { formToken: randomUUID(), staffUserId: null, now: NOW });
    const member = await seedContract(h, shopId, { lines: [{ id: "m1", variantId: "9001", title: "VIP membership", quantity: 1, unitPriceMinor: 999 }] });
    expect(await subscriberTier(h.database.pool, shopId, member.customerId, NOW)).toMatchObject({ tier: "gold", source: "membership", membership: { state: "active" } });

    const context = flowContext(h, shopId);
    const survey = await pressCancel(context, { customerId: member.customerId, contractId: member.contractId, channel: "customer_account", language: "en" });
    await answerCancelFlow(context, { customerId: member.customerId, attemptId: survey.ok ? survey.body.attemptId : "", event: { type: "cancel_now" }, language: "en" });

    const paidThrough = daysFrom(NOW, 12);
    expect(await subscriberTier(h.database.pool, shopId, member.customerId, daysFrom(NOW, 1))).toMatchObject({ tier: "gold", membership: { state: "paid_through", endsAt: paidThrough } });
    expect(await subscriberTier(h.database.pool, shopId, member.customerId, paidThrough)).toMatchObject({ tier: null, membership: { state: "lapsed" } });
    expect((await membershipMembers(h.database.pool, shopId, NOW)).members).toEqual([{ customerId: member.customerId, contractId: member.contractId, standing: { state: "paid_through", endsAt: paidThrough } }]);
  });

  test("without a membership program the customer holds the tier they earned", async () => {
    const shopId = await newShop(h);
    const { customerId } = await seedContract(h, shopId);
    expect(await subscriberTier(h.database.pool, shopId, customerId, NOW)).toEqual({ tier: null, source: null, membership: { state: "none" } });
  });
});
