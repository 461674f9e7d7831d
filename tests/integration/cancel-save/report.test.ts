/**
 * The report from recorded attempts: every attempt counted once with its reason and offer, a save counted only
 * after 30 days without a cancellation, and revenue kept as the saved subscriptions' monthly revenue.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { answerCancelFlow, pressCancel } from "~/services/cancel-save/cancel-flow.server";
import { cancelSaveReportFor } from "~/services/cancel-save/report.server";
import { daysFrom, flowContext, newShop, NOW, seedContract, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function attempt(shopId: number, reason: string | null, finish: "accept_offer" | "decline_offer" | "cancel_now" | null, at = NOW) {
  const { customerId, contractId } = await seedContract(h, shopId);
  const context = flowContext(h, shopId, at);
  const survey = await pressCancel(context, { customerId, contractId, channel: "app_proxy", language: "en" });
  const attemptId = survey.ok ? survey.body.attemptId : "";
  if (reason) await answerCancelFlow(context, { customerId, attemptId, event: { type: "give_reason", reason }, language: "en" });
  if (finish) await answerCancelFlow(context, { customerId, attemptId, event: { type: finish }, language: "en" });
  return { customerId, contractId };
}

test("attempts, reasons, offers, saves after 30 days and the revenue they keep", async () => {
  const shopId = await newShop(h);
  await attempt(shopId, "not_using_it", "accept_offer", daysFrom(NOW, -40)); // saved: 40 days without cancelling
  await attempt(shopId, "too_expensive", "accept_offer", daysFrom(NOW, -10)); // accepted, still within 30 days
  await attempt(shopId, "too_much_product", "decline_offer", daysFrom(NOW, -5));
  await attempt(shopId, null, "cancel_now", daysFrom(NOW, -3));
  await attempt(shopId, "quality", null, daysFrom(NOW, -2)); // no offer for quality: cancelled at once

  const { report, recent } = await cancelSaveReportFor(h.database, shopId, { period: "month", now: NOW, recent: 10 });

  expect(report.total).toMatchObject({
    attempts: 5,
    reasons: { not_using_it: 1, too_expensive: 1, too_much_product: 1, quality: 1 },
    surveySkipped: 1,
    offersShown: 3,
    accepted: 2,
    saved: 1,
    savePending: 1,
    cancelled: 3,
    byOfferKind: { pause: { shown: 2, accepted: 1, saved: 1 }, discount: { shown: 1, accepted: 1, saved: 0 } },
    // The saved subscription: 2 × 12.50 USD a month.
    revenueKept: [{ amountMinor: 2500, currencyCode: "USD" }],
  });
  expect(report.periods.reduce((sum, p) => sum + p.attempts, 0)).toBe(5);
  expect(recent.map((a) => a.reason)).toEqual(["quality", null, "too_much_product", "too_expensive", "not_using_it"]);
});
