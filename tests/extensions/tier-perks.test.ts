/**
 * The tier-perks discount Function's rules (extensions/tier-perks/src/perks.ts): input as src/run.graphql asks
 * for it → the delivery discounts, compared whole. Anything missing or malformed gives no discount and never throws.
 */
import { describe, expect, it } from "vitest";
import { defaultProgramSettings, programSettingsSchema, tierPerkFunctionConfiguration } from "~/domain/loyalty";
import { tierShippingDiscounts, type DeliveryDiscountsResult, type TierPerkConfiguration, type TierPerksInput } from "../../extensions/tier-perks/src/perks";

const GROUP_1 = "gid://shopify/CartDeliveryGroup/1";
const GROUP_2 = "gid://shopify/CartDeliveryGroup/2";
const PLATINUM_FREE: TierPerkConfiguration = { tiers: [{ name: "Platinum", shippingPercentOff: 100 }] };

type Buyer = TierPerksInput["cart"]["buyerIdentity"];
const member = (tier: string): Buyer => ({ customer: { tier: { value: tier } } });

function input({
  buyer = member("Platinum"),
  configuration = PLATINUM_FREE as unknown,
  groups = [GROUP_1],
  discountClasses = ["SHIPPING"],
}: { buyer?: Buyer; configuration?: unknown; groups?: string[]; discountClasses?: string[] } = {}): TierPerksInput {
  return {
    cart: { buyerIdentity: buyer, deliveryGroups: groups.map((id) => ({ id })) },
    discount: { discountClasses, configuration: configuration === null ? null : { jsonValue: configuration } },
  };
}

function shippingOff(percent: number, ...groups: string[]): DeliveryDiscountsResult {
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          candidates: [{ targets: groups.map((id) => ({ deliveryGroup: { id } })), value: { percentage: { value: percent } } }],
          selectionStrategy: "ALL",
        },
      },
    ],
  };
}

const NOTHING: DeliveryDiscountsResult = { operations: [] };

describe("who gets shipping off", () => {
  it.each<{ name: string; input: TierPerksInput; output: DeliveryDiscountsResult }>([
    { name: "a Platinum member, free shipping configured", input: input(), output: shippingOff(100, GROUP_1) },
    { name: "every delivery group of a split shipment", input: input({ groups: [GROUP_1, GROUP_2] }), output: shippingOff(100, GROUP_1, GROUP_2) },
    {
      name: "a tier with a share of shipping off",
      input: input({ buyer: member("Gold"), configuration: { tiers: [{ name: "Platinum", shippingPercentOff: 100 }, { name: "Gold", shippingPercentOff: 50 }] } }),
      output: shippingOff(50, GROUP_1),
    },
    { name: "a tier the configuration does not list", input: input({ buyer: member("Gold") }), output: NOTHING },
    { name: "a customer with no tier (the app writes None)", input: input({ buyer: member("None") }), output: NOTHING },
    { name: "the tier's id instead of its name: names match exactly", input: input({ buyer: member("platinum") }), output: NOTHING },
    { name: "a guest", input: input({ buyer: null }), output: NOTHING },
    { name: "a buyer known by e-mail only, no customer", input: input({ buyer: { customer: null } }), output: NOTHING },
    { name: "a customer the app has not synced: no tier metafield", input: input({ buyer: { customer: { tier: null } } }), output: NOTHING },
    { name: "a discount without the shipping class", input: input({ discountClasses: ["ORDER", "PRODUCT"] }), output: NOTHING },
    { name: "a cart with nothing to deliver", input: input({ groups: [] }), output: NOTHING },
  ])("$name", ({ input, output }) => {
    expect(tierShippingDiscounts(input)).toStrictEqual(output);
  });
});

describe("a configuration it does not understand gives nothing", () => {
  it.each<{ name: string; configuration: unknown }>([
    { name: "no configuration metafield", configuration: null },
    { name: "JSON text instead of JSON", configuration: '{"tiers":[{"name":"Platinum","shippingPercentOff":100}]}' },
    { name: "a number", configuration: 100 },
    { name: "an array", configuration: [{ name: "Platinum", shippingPercentOff: 100 }] },
    { name: "no tiers", configuration: {} },
    { name: "tiers not a list", configuration: { tiers: "Platinum" } },
    { name: "tier names only", configuration: { tiers: ["Platinum"] } },
    { name: "no percentage", configuration: { tiers: [{ name: "Platinum" }] } },
    { name: "a percentage as text", configuration: { tiers: [{ name: "Platinum", shippingPercentOff: "100" }] } },
    { name: "0 %", configuration: { tiers: [{ name: "Platinum", shippingPercentOff: 0 }] } },
    { name: "over 100 %", configuration: { tiers: [{ name: "Platinum", shippingPercentOff: 101 }] } },
    { name: "a fraction of a percent", configuration: { tiers: [{ name: "Platinum", shippingPercentOff: 12.5 }] } },
    { name: "an empty name", configuration: { tiers: [{ name: "", shippingPercentOff: 100 }] } },
    { name: "one good tier beside a bad one", configuration: { tiers: [{ name: "Platinum", shippingPercentOff: 100 }, { name: "Gold" }] } },
  ])("$name", ({ configuration }) => {
    expect(tierShippingDiscounts(input({ configuration }))).toStrictEqual(NOTHING);
  });
});

describe("the configuration the app writes", () => {
  // Typed as the Function's configuration: a change on either side that breaks the contract fails the typecheck.
  const configure = (tiers: object): TierPerkConfiguration =>
    JSON.parse(JSON.stringify(tierPerkFunctionConfiguration({ ...programSettingsSchema("USD").parse({ tiers }), enabled: true })));

  it("gives the default program's Platinum members free shipping, and Gold members none", () => {
    const configuration = configure({});
    expect(tierShippingDiscounts(input({ configuration }))).toStrictEqual(shippingOff(100, GROUP_1));
    expect(tierShippingDiscounts(input({ buyer: member("Gold"), configuration }))).toStrictEqual(NOTHING);
  });

  it("follows a renamed tier once the customer's metafield carries the new name", () => {
    const levels = defaultProgramSettings("USD").tiers.levels.map((tier) => (tier.id === "platinum" ? { ...tier, name: "Diamond" } : tier));
    const configuration = configure({ levels });
    expect(tierShippingDiscounts(input({ buyer: member("Diamond"), configuration }))).toStrictEqual(shippingOff(100, GROUP_1));
    expect(tierShippingDiscounts(input({ buyer: member("Platinum"), configuration }))).toStrictEqual(NOTHING);
  });
});
