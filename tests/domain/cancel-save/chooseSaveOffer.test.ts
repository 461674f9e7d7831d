import { describe, expect, it } from "vitest";
import { chooseSaveOffer, type CancelSaveSettingsInput, type NoOfferReason, type PassedOverOffer } from "~/domain/cancel-save";
import { aSubscriber, daysAgo, NOW, settingsWith } from "./factories";

type Subscriber = Parameters<typeof aSubscriber>[0];
type Expected = { offerId: string; ruleId: string | null } | { stoppedBy: NoOfferReason };
type Case = [name: string, settings: CancelSaveSettingsInput, reason: string, subscriber: Subscriber, expected: Expected];

function choose(settings: CancelSaveSettingsInput, reason: string, subscriber: Subscriber) {
  return chooseSaveOffer(settingsWith(settings), reason, aSubscriber(subscriber), NOW);
}

function summary(choice: ReturnType<typeof chooseSaveOffer>): Expected {
  return choice.offer ? { offerId: choice.offer.id, ruleId: choice.ruleId } : { stoppedBy: choice.stoppedBy };
}

const eur = (amountMinor: number) => ({ amountMinor, currencyCode: "EUR" });
const catalogue: CancelSaveSettingsInput["offers"] = [
  { id: "pause-1", kind: "pause", months: 1 },
  { id: "pause-3", kind: "pause", months: 3 },
  { id: "skip", kind: "skip_next_delivery" },
  { id: "discount-30", kind: "discount", percent: 30, orders: 3 },
  { id: "points-500", kind: "bonus_points", points: 500 },
  { id: "every-2-months", kind: "change_frequency", frequency: { interval: "MONTH", intervalCount: 2 } },
  {
    id: "small-bag",
    kind: "swap_variant",
    swaps: [{ fromVariantId: "gid://shopify/ProductVariant/large", toVariantId: "gid://shopify/ProductVariant/small", toVariantTitle: "Coffee 500 g", toUnitPrice: eur(700) }],
  },
];

describe("chooseSaveOffer: guards that stop every offer", () => {
  const cases: Case[] = [
    ["the merchant switched the flow off", { enabled: false }, "not_using_it", {}, { stoppedBy: "flow_off" }],
    ["accepted an offer 99 days ago (cooldown 100)", {}, "not_using_it", { lastOfferAcceptedAt: daysAgo(99) }, { stoppedBy: "cooldown" }],
    ["accepted an offer exactly 100 days ago: the cooldown is over", {}, "not_using_it", { lastOfferAcceptedAt: daysAgo(100) }, { offerId: "pause-1-month", ruleId: null }],
    ["a 30-day cooldown, accepted 31 days ago", { cooldownDays: 30 }, "not_using_it", { lastOfferAcceptedAt: daysAgo(31) }, { offerId: "pause-1-month", ruleId: null }],
    ["a cooldown of 0 days, accepted today", { cooldownDays: 0 }, "not_using_it", { lastOfferAcceptedAt: NOW }, { offerId: "pause-1-month", ruleId: null }],
  ];
  it.each(cases)("%s", (_name, settings, reason, subscriber, expected) => {
    expect(summary(choose(settings, reason, subscriber))).toStrictEqual(expected);
  });
});

describe("chooseSaveOffer: built-in defaults when no rule matches", () => {
  const cases: Case[] = [
    ["not using it → pause leads", {}, "not_using_it", {}, { offerId: "pause-1-month", ruleId: null }],
    ["too much product → pause leads", {}, "too_much_product", {}, { offerId: "pause-1-month", ruleId: null }],
    ["too expensive → discount", {}, "too_expensive", {}, { offerId: "discount-20-next-2", ruleId: null }],
    ["moving → pause", {}, "moving", {}, { offerId: "pause-1-month", ruleId: null }],
    ["quality → no offer", {}, "quality", {}, { stoppedBy: "no_offer_for_reason" }],
    ["other → no offer", {}, "other", {}, { stoppedBy: "no_offer_for_reason" }],
    ["a merchant's own reason → no offer", { reasons: [{ code: "bored", labels: { en: "Bored" } }] }, "bored", {}, { stoppedBy: "no_offer_for_reason" }],
    ["the shortest pause in the catalogue leads", { offers: [{ id: "pause-3", kind: "pause", months: 3 }, { id: "pause-1", kind: "pause", months: 1 }] }, "not_using_it", {}, { offerId: "pause-1", ruleId: null }],
    ["no pause in the catalogue → skip", { offers: [{ id: "skip", kind: "skip_next_delivery" }] }, "too_much_product", {}, { offerId: "skip", ruleId: null }],
    ["moving, no pause in the catalogue → no offer", { offers: [{ id: "skip", kind: "skip_next_delivery" }] }, "moving", {}, { stoppedBy: "no_offer_for_reason" }],
    ["too expensive while a discount is active → no offer", {}, "too_expensive", { hasActiveDiscount: true }, { stoppedBy: "discount_active" }],
    ["already paused: neither a pause nor a skip fits", {}, "not_using_it", { contract: { status: "PAUSED" } }, { stoppedBy: "not_applicable" }],
  ];
  it.each(cases)("%s", (_name, settings, reason, subscriber, expected) => {
    expect(summary(choose(settings, reason, subscriber))).toStrictEqual(expected);
  });
});

describe("chooseSaveOffer: the merchant's rules, first match wins", () => {
  const rule = (id: string, when: object, offerId: string | null) => ({ id, when, offerId });
  const cases: Case[] = [
    ["the first of two matching rules", { offers: catalogue, rules: [rule("a", { reasons: ["quality"] }, "points-500"), rule("b", {}, "skip")] }, "quality", {}, { offerId: "points-500", ruleId: "a" }],
    ["a rule for another reason is skipped", { offers: catalogue, rules: [rule("a", { reasons: ["moving"] }, "points-500"), rule("b", {}, "skip")] }, "quality", {}, { offerId: "skip", ruleId: "b" }],
    ["a rule beats the defaults", { offers: catalogue, rules: [rule("a", { reasons: ["not_using_it"] }, "every-2-months")] }, "not_using_it", {}, { offerId: "every-2-months", ruleId: "a" }],
    ["tenure at least 200 days: 200 matches", { offers: catalogue, rules: [rule("a", { tenureDays: { atLeast: 200 } }, "points-500")] }, "quality", { subscriberSince: daysAgo(200) }, { offerId: "points-500", ruleId: "a" }],
    ["tenure at least 200 days: 199 does not", { offers: catalogue, rules: [rule("a", { tenureDays: { atLeast: 200 } }, "points-500")] }, "quality", { subscriberSince: daysAgo(199) }, { stoppedBy: "no_offer_for_reason" }],
    ["tenure below 90 days: 90 does not match", { offers: catalogue, rules: [rule("a", { tenureDays: { below: 90 } }, "points-500")] }, "quality", { subscriberSince: daysAgo(90) }, { stoppedBy: "no_offer_for_reason" }],
    ["tenure below 90 days: 89 matches", { offers: catalogue, rules: [rule("a", { tenureDays: { below: 90 } }, "points-500")] }, "quality", { subscriberSince: daysAgo(89) }, { offerId: "points-500", ruleId: "a" }],
    ["lifetime value at least 300 EUR: 300.00 matches", { offers: catalogue, rules: [rule("a", { lifetimeValue: { atLeast: eur(30_000) } }, "points-500")] }, "quality", { lifetimeValue: eur(30_000) }, { offerId: "points-500", ruleId: "a" }],
    ["lifetime value at least 300 EUR: 299.99 does not", { offers: catalogue, rules: [rule("a", { lifetimeValue: { atLeast: eur(30_000) } }, "points-500")] }, "quality", { lifetimeValue: eur(29_999) }, { stoppedBy: "no_offer_for_reason" }],
    ["lifetime value below 100 EUR: 100.00 does not match", { offers: catalogue, rules: [rule("a", { lifetimeValue: { below: eur(10_000) } }, "points-500")] }, "quality", { lifetimeValue: eur(10_000) }, { stoppedBy: "no_offer_for_reason" }],
    ["a lifetime-value bound in USD says nothing about a EUR customer", { offers: catalogue, rules: [rule("a", { lifetimeValue: { atLeast: { amountMinor: 1, currencyCode: "USD" } } }, "points-500")] }, "quality", {}, { stoppedBy: "no_offer_for_reason" }],
    ["tier gold matches a gold member", { offers: catalogue, rules: [rule("a", { tiers: ["gold", "platinum"] }, "points-500")] }, "quality", { tier: "gold" }, { offerId: "points-500", ruleId: "a" }],
    ["tier gold does not match a silver member", { offers: catalogue, rules: [rule("a", { tiers: ["gold"] }, "points-500")] }, "quality", { tier: "silver" }, { stoppedBy: "no_offer_for_reason" }],
    ["a tier condition does not match a customer without a tier", { offers: catalogue, rules: [rule("a", { tiers: ["gold"] }, "points-500")] }, "quality", { tier: null }, { stoppedBy: "no_offer_for_reason" }],
    ["high churn risk matches", { offers: catalogue, rules: [rule("a", { churnRisk: ["high"] }, "points-500")] }, "quality", { churnRisk: "high" }, { offerId: "points-500", ruleId: "a" }],
    ["a risk condition does not match an unscored customer", { offers: catalogue, rules: [rule("a", { churnRisk: ["low", "medium", "high"] }, "points-500")] }, "quality", { churnRisk: null }, { stoppedBy: "no_offer_for_reason" }],
    [
      "all conditions must hold",
      { offers: catalogue, rules: [rule("a", { reasons: ["too_expensive"], tiers: ["gold"], churnRisk: ["high"] }, "points-500")] },
      "too_expensive",
      { tier: "gold", churnRisk: "medium" },
      { offerId: "discount-30", ruleId: null },
    ],
    ["a rule without an offer ends the search, defaults included", { offers: catalogue, rules: [rule("a", { reasons: ["not_using_it"] }, null), rule("b", {}, "skip")] }, "not_using_it", {}, { stoppedBy: "rule_without_offer" }],
  ];
  it.each(cases)("%s", (_name, settings, reason, subscriber, expected) => {
    expect(summary(choose({ ...settings, offers: settings.offers ?? catalogue }, reason, subscriber))).toStrictEqual(expected);
  });
});

describe("chooseSaveOffer: an offer that cannot be made falls through to the next matching rule", () => {
  const cases: [string, CancelSaveSettingsInput["rules"], Subscriber, Expected, PassedOverOffer[]][] = [
    [
      "no discount while one is active",
      [{ id: "a", offerId: "discount-30" }, { id: "b", offerId: "points-500" }],
      { hasActiveDiscount: true },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "discount-30", ruleId: "a", guard: "discount_active" }],
    ],
    ["the discount is offered when none is active", [{ id: "a", offerId: "discount-30" }, { id: "b", offerId: "points-500" }], {}, { offerId: "discount-30", ruleId: "a" }, []],
    [
      "after the rules, the defaults: a swap that does not fit, then the pause",
      [{ id: "a", when: { reasons: ["not_using_it"] }, offerId: "small-bag" }],
      { contract: { lines: [{ id: "l", variantId: "gid://shopify/ProductVariant/other", title: "Tea", quantity: 1, unitPriceMinor: 900 }] } },
      { offerId: "pause-1", ruleId: null },
      [{ offerId: "small-bag", ruleId: "a", guard: "not_applicable" }],
    ],
    [
      "a swap that would raise the price does not fit",
      [{ id: "a", offerId: "small-bag" }, { id: "b", offerId: "points-500" }],
      { contract: { lines: [{ id: "l", variantId: "gid://shopify/ProductVariant/large", title: "Coffee 1 kg", quantity: 1, unitPriceMinor: 650 }] } },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "small-bag", ruleId: "a", guard: "not_applicable" }],
    ],
    ["a cheaper swap on the contract fits", [{ id: "a", offerId: "small-bag" }], {}, { offerId: "small-bag", ruleId: "a" }, []],
    [
      "a contract in another currency cannot take a EUR-priced swap",
      [{ id: "a", offerId: "small-bag" }, { id: "b", offerId: "points-500" }],
      { contract: { currencyCode: "PLN" } },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "small-bag", ruleId: "a", guard: "not_applicable" }],
    ],
    [
      "a frequency the contract already has is no change",
      [{ id: "a", offerId: "every-2-months" }, { id: "b", offerId: "points-500" }],
      { contract: { billing: { interval: "MONTH", intervalCount: 2 }, delivery: { interval: "MONTH", intervalCount: 2 } } },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "every-2-months", ruleId: "a", guard: "not_applicable" }],
    ],
    [
      "a prepaid contract keeps its schedule",
      [{ id: "a", offerId: "every-2-months" }, { id: "b", offerId: "points-500" }],
      { contract: { billing: { interval: "MONTH", intervalCount: 3 }, delivery: { interval: "MONTH", intervalCount: 1 } } },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "every-2-months", ruleId: "a", guard: "not_applicable" }],
    ],
    [
      "a skip needs a next billing date",
      [{ id: "a", offerId: "skip" }, { id: "b", offerId: "points-500" }],
      { contract: { nextBillingDate: null } },
      { offerId: "points-500", ruleId: "b" },
      [{ offerId: "skip", ruleId: "a", guard: "not_applicable" }],
    ],
    [
      "a contract whose billing failed is neither paused nor skipped, but can get points",
      [{ id: "a", offerId: "pause-1" }, { id: "b", offerId: "skip" }, { id: "c", offerId: "points-500" }],
      { contract: { status: "FAILED" } },
      { offerId: "points-500", ruleId: "c" },
      [
        { offerId: "pause-1", ruleId: "a", guard: "not_applicable" },
        { offerId: "skip", ruleId: "b", guard: "not_applicable" },
      ],
    ],
  ];
  it.each(cases)("%s", (_name, rules, subscriber, expected, passedOver) => {
    const choice = choose({ offers: catalogue, rules }, "not_using_it", subscriber);
    expect(summary(choice)).toStrictEqual(expected);
    expect(choice.passedOver).toStrictEqual(passedOver);
  });
});
