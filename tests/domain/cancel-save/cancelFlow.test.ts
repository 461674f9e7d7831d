import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BILLING_INTERVALS,
  CHURN_RISK_LEVELS,
  DEFAULT_REASON_CODES,
  FREE_TEXT_MAX_LENGTH,
  advanceCancelFlow,
  availableEvents,
  startCancelFlow,
  type CancelFlowContext,
  type CancelFlowEvent,
  type CancelFlowState,
  type CancelSaveSettings,
  type CancelSaveSettingsInput,
  type SaveOffer,
  type SubscriberFacts,
} from "~/domain/cancel-save";
import { aSubscriber, daysAgo, NOW, settingsWith } from "./factories";

function run(events: CancelFlowEvent[], context: CancelFlowContext): CancelFlowState {
  let state = startCancelFlow(context.subscriber.contract.id);
  for (const event of events) {
    const result = advanceCancelFlow(state, event, context);
    if (!result.ok) throw new Error(`${event.type} refused in ${state.step}: ${result.error}`);
    state = result.state;
  }
  return state;
}

const context = (settings: CancelSaveSettingsInput = {}, subscriber: Parameters<typeof aSubscriber>[0] = {}): CancelFlowContext => ({
  settings: settingsWith(settings),
  subscriber: aSubscriber(subscriber),
  now: NOW,
});

const press: CancelFlowEvent = { type: "press_cancel" };
const pause1 = { id: "pause-1-month", kind: "pause", months: 1 } as const;

describe("the cancel flow's paths", () => {
  const cases: [string, CancelFlowEvent[], CancelFlowContext, Partial<CancelFlowState>][] = [
    ["press, then Cancel now: cancelled without a survey", [press, { type: "cancel_now" }], context(), { step: "cancelled", via: "cancel_now", reason: null }],
    ["press, then a reason with an offer: the offer", [press, { type: "give_reason", reason: "not_using_it" }], context(), { step: "offer", reason: "not_using_it", offer: pause1, ruleId: null }],
    ["…then accept: accepted", [press, { type: "give_reason", reason: "not_using_it" }, { type: "accept_offer" }], context(), { step: "accepted", offer: pause1 }],
    ["…or decline: cancelled", [press, { type: "give_reason", reason: "not_using_it" }, { type: "decline_offer" }], context(), { step: "cancelled", via: "declined_offer", declinedOffer: pause1, reason: "not_using_it" }],
    ["a reason without an offer cancels at once", [press, { type: "give_reason", reason: "quality" }], context(), { step: "cancelled", via: "no_offer", noOfferBecause: "no_offer_for_reason", reason: "quality" }],
    ["flow switched off: the reason is recorded and the contract cancelled", [press, { type: "give_reason", reason: "not_using_it" }], context({ enabled: false }), { step: "cancelled", via: "no_offer", noOfferBecause: "flow_off" }],
    ["in the cooldown: no offer, cancelled", [press, { type: "give_reason", reason: "not_using_it" }], context({}, { lastOfferAcceptedAt: daysAgo(10) }), { step: "cancelled", via: "no_offer", noOfferBecause: "cooldown" }],
    ["a paused contract can be cancelled", [press, { type: "cancel_now" }], context({}, { contract: { status: "PAUSED" } }), { step: "cancelled", via: "cancel_now" }],
  ];
  it.each(cases)("%s", (_name, events, ctx, expected) => {
    expect(run(events, ctx)).toMatchObject(expected);
  });
});

describe("the cancel flow refuses what does not belong", () => {
  const cases: [string, CancelFlowEvent[], CancelFlowEvent, CancelFlowContext, string][] = [
    ["accepting before any offer", [press], { type: "accept_offer" }, context(), "not_allowed_now"],
    ["a reason before pressing Cancel", [], { type: "give_reason", reason: "moving" }, context(), "not_allowed_now"],
    ["anything after cancelling", [press, { type: "cancel_now" }], { type: "press_cancel" }, context(), "not_allowed_now"],
    ["anything after accepting", [press, { type: "give_reason", reason: "moving" }, { type: "accept_offer" }], { type: "decline_offer" }, context(), "not_allowed_now"],
    ["a reason the merchant does not list", [press], { type: "give_reason", reason: "bored" }, context(), "unknown_reason"],
    ["cancelling a contract already cancelled", [], press, context({}, { contract: { status: "CANCELLED" } }), "contract_not_cancellable"],
    ["cancelling an expired contract", [], press, context({}, { contract: { status: "EXPIRED" } }), "contract_not_cancellable"],
  ];
  it.each(cases)("%s", (_name, before, event, ctx, error) => {
    expect(advanceCancelFlow(run(before, ctx), event, ctx)).toStrictEqual({ ok: false, error });
  });

  it("leaves Cancel now available after a refused reason", () => {
    const ctx = context();
    const survey = run([press], ctx);
    expect(advanceCancelFlow(survey, { type: "give_reason", reason: "bored" }, ctx).ok).toBe(false);
    expect(availableEvents(survey)).toContain("cancel_now");
  });
});

describe("the survey's free text", () => {
  const cases: [string, string, string | null | undefined, string | null][] = [
    ["kept, trimmed, for a reason that asks for it", "other", "  switching to tea \n", "switching to tea"],
    ["blank counts as none", "other", "   ", null],
    ["left out counts as none", "other", undefined, null],
    ["dropped for a reason that does not ask for it", "quality", "too bitter", null],
    ["cut at the limit rather than refused", "other", "é".repeat(FREE_TEXT_MAX_LENGTH + 20), "é".repeat(FREE_TEXT_MAX_LENGTH)],
    ["cut between characters, never inside an emoji", "other", "☕".repeat(FREE_TEXT_MAX_LENGTH - 1) + "🫖🫖", "☕".repeat(FREE_TEXT_MAX_LENGTH - 1) + "🫖"],
  ];
  it.each(cases)("%s", (_name, reason, freeText, expected) => {
    const state = run([press, { type: "give_reason", reason, freeText }], context());
    expect(state.step === "cancelled" || state.step === "offer" ? state.freeText : "no answer recorded").toBe(expected);
  });
});

// ---- property: Cancel is never more than two actions after the first press ----

const reasonPool = [...DEFAULT_REASON_CODES, "bored", "found_cheaper"];
const smallBag: Extract<SaveOffer, { kind: "swap_variant" }>["swaps"] = [
  { fromVariantId: "gid://shopify/ProductVariant/large", toVariantId: "gid://shopify/ProductVariant/small", toVariantTitle: "Small", toUnitPrice: { amountMinor: 700, currencyCode: "EUR" } },
];
const offerArb = fc.oneof(
  fc.record({ kind: fc.constant("pause" as const), months: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("skip_next_delivery" as const) }),
  fc.record({
    kind: fc.constant("change_frequency" as const),
    frequency: fc.record({ interval: fc.constantFrom(...BILLING_INTERVALS), intervalCount: fc.integer({ min: 1, max: 4 }) }),
  }),
  fc.record({
    kind: fc.constant("swap_variant" as const),
    swaps: fc.constant(smallBag),
  }),
  fc.record({ kind: fc.constant("discount" as const), percent: fc.integer({ min: 1, max: 100 }), orders: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("bonus_points" as const), points: fc.integer({ min: 1, max: 5000 }) }),
);
const ruleArb = fc.record({
  reasons: fc.option(fc.subarray(reasonPool, { minLength: 1 }), { nil: undefined }),
  tenureAtLeast: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
  tiers: fc.option(fc.subarray(["silver", "gold"], { minLength: 1 }), { nil: undefined }),
  churnRisk: fc.option(fc.subarray([...CHURN_RISK_LEVELS], { minLength: 1 }), { nil: undefined }),
  offerPick: fc.option(fc.nat(), { nil: null }),
});

const settingsArb: fc.Arbitrary<CancelSaveSettings> = fc
  .record({
    enabled: fc.boolean(),
    reasonCodes: fc.uniqueArray(fc.constantFrom(...reasonPool), { minLength: 1 }),
    asksFreeText: fc.boolean(),
    offers: fc.array(offerArb, { maxLength: 6 }),
    rules: fc.array(ruleArb, { maxLength: 6 }),
    cooldownDays: fc.integer({ min: 0, max: 365 }),
  })
  .map(({ enabled, reasonCodes, asksFreeText, offers, rules, cooldownDays }) => {
    const catalogue: SaveOffer[] = offers.map((offer, i) => ({ ...offer, id: `offer-${i}` }));
    return settingsWith({
      enabled,
      cooldownDays,
      reasons: reasonCodes.map((code) => ({ code, labels: { en: code }, asksFreeText })),
      offers: catalogue,
      rules: rules.map((rule, i) => {
        const reasons = rule.reasons?.filter((code) => reasonCodes.includes(code));
        return {
          id: `rule-${i}`,
          when: {
            reasons: reasons?.length ? reasons : undefined,
            tenureDays: rule.tenureAtLeast === undefined ? undefined : { atLeast: rule.tenureAtLeast },
            tiers: rule.tiers,
            churnRisk: rule.churnRisk,
          },
          offerId: rule.offerPick === null || catalogue.length === 0 ? null : catalogue[rule.offerPick % catalogue.length].id,
        };
      }),
    });
  });

const subscriberArb: fc.Arbitrary<SubscriberFacts> = fc
  .record({
    status: fc.constantFrom("ACTIVE" as const, "PAUSED" as const, "FAILED" as const),
    hasActiveDiscount: fc.boolean(),
    acceptedDaysAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    tenureDays: fc.integer({ min: 0, max: 2000 }),
    tier: fc.constantFrom(null, "silver", "gold"),
    churnRisk: fc.constantFrom(null, ...CHURN_RISK_LEVELS),
    hasNextBillingDate: fc.boolean(),
  })
  .map((s) =>
    aSubscriber({
      hasActiveDiscount: s.hasActiveDiscount,
      lastOfferAcceptedAt: s.acceptedDaysAgo === null ? null : daysAgo(s.acceptedDaysAgo),
      subscriberSince: daysAgo(s.tenureDays),
      tier: s.tier,
      churnRisk: s.churnRisk,
      contract: { status: s.status, nextBillingDate: s.hasNextBillingDate ? new Date("2025-07-01T09:00:00.000Z") : null },
    }),
  );

/** The event a subscriber's `pick` selects among what the screen offers. */
function eventFor(state: CancelFlowState, pick: number, settings: CancelSaveSettings): CancelFlowEvent {
  const types = availableEvents(state);
  const type = types[pick % types.length];
  if (type === "give_reason") return { type, reason: settings.reasons[pick % settings.reasons.length].code, freeText: "x" };
  return { type } as CancelFlowEvent;
}

function cancelsDirectly(state: CancelFlowState, ctx: CancelFlowContext): boolean {
  return availableEvents(state).some((type) => {
    if (type !== "cancel_now" && type !== "decline_offer") return false;
    const result = advanceCancelFlow(state, { type }, ctx);
    return result.ok && result.state.step === "cancelled";
  });
}

describe("property: cancelling stays easy whatever the merchant configures", () => {
  it("for every reason, the way out is at most two actions after the first press", () => {
    fc.assert(
      fc.property(settingsArb, subscriberArb, (settings, subscriber) => {
        const ctx = { settings, subscriber, now: NOW };
        for (const reason of settings.reasons) {
          let state = run([press, { type: "give_reason", reason: reason.code }], ctx);
          let actions = 1;
          if (state.step === "offer") {
            state = run([press, { type: "give_reason", reason: reason.code }, { type: "decline_offer" }], ctx);
            actions += 1;
          }
          expect(state.step).toBe("cancelled");
          expect(actions).toBeLessThanOrEqual(2);
        }
        expect(run([press, { type: "cancel_now" }], ctx).step).toBe("cancelled");
      }),
      { numRuns: 300 },
    );
  });

  it("any path ends within two actions of the first press, Cancel is one action away until then, and only accepting keeps the subscription", () => {
    fc.assert(
      fc.property(settingsArb, subscriberArb, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (settings, subscriber, picks) => {
        const ctx = { settings, subscriber, now: NOW };
        let state = run([press], ctx);
        let actions = 0;
        let last: CancelFlowEvent | null = null;
        for (const pick of picks) {
          if (availableEvents(state).length === 0) break;
          expect(cancelsDirectly(state, ctx)).toBe(true);
          last = eventFor(state, pick, settings);
          const result = advanceCancelFlow(state, last, ctx);
          if (!result.ok) throw new Error(`${last.type} refused: ${result.error}`);
          state = result.state;
          actions += 1;
        }
        expect(availableEvents(state)).toStrictEqual([]);
        expect(actions).toBeLessThanOrEqual(2);
        expect(state.step === "accepted").toBe(last?.type === "accept_offer");
      }),
      { numRuns: 500 },
    );
  });
});
