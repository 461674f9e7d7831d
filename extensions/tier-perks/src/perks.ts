/**
 * VIP tier perks at checkout as pure rules: the delivery discounts a buyer's loyalty tier earns. The input is what
 * src/run.graphql asks Shopify for; the result is the Discount Function API's
 * CartDeliveryOptionsDiscountsGenerateRunResult. Anything missing or not understood (a guest, a customer the app
 * has not synced yet, a tier the configuration does not list, a configuration of another shape) earns nothing: a
 * Function that throws fails the whole discount, and a perk given by mistake costs the merchant money.
 *
 * No zod here: the Function pays for every instruction on every checkout, and a library would be most of the bundle.
 */

/** The result of src/run.graphql; null where Shopify's schema allows it. */
export interface TierPerksInput {
  cart: {
    buyerIdentity: { customer: { tier: { value: string } | null } | null } | null;
    deliveryGroups: { id: string }[];
  };
  discount: {
    discountClasses: string[];
    configuration: { jsonValue: unknown } | null;
  };
}

/**
 * The discount's configuration (its `$app` / `function-configuration` metafield): the tiers with a shipping perk,
 * named as the customer's `loyalty.tier` metafield names them, and the percentage of shipping they get off.
 */
export interface TierPerkConfiguration {
  tiers: { name: string; shippingPercentOff: number }[];
}

export interface DeliveryDiscountsResult {
  operations: {
    deliveryDiscountsAdd: {
      candidates: { targets: { deliveryGroup: { id: string } }[]; value: { percentage: { value: number } } }[];
      selectionStrategy: "ALL";
    };
  }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isShippingPercent(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 100;
}

/** The configuration, or null if any part of it is not what this code understands: half a configuration gives nothing. */
function parseConfiguration(json: unknown): TierPerkConfiguration | null {
  if (!isRecord(json) || !Array.isArray(json.tiers)) return null;
  const tiers: TierPerkConfiguration["tiers"] = [];
  for (const tier of json.tiers) {
    if (!isRecord(tier) || typeof tier.name !== "string" || tier.name === "" || !isShippingPercent(tier.shippingPercentOff)) return null;
    tiers.push({ name: tier.name, shippingPercentOff: tier.shippingPercentOff });
  }
  return { tiers };
}

/** Shipping off every delivery group for a buyer whose tier has the perk; nothing for anyone else. */
export function tierShippingDiscounts(input: TierPerksInput): DeliveryDiscountsResult {
  if (!input.discount.discountClasses.includes("SHIPPING")) return { operations: [] };
  const tierName = input.cart.buyerIdentity?.customer?.tier?.value;
  const perk = parseConfiguration(input.discount.configuration?.jsonValue)?.tiers.find((tier) => tier.name === tierName);
  if (!perk || input.cart.deliveryGroups.length === 0) return { operations: [] };
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          candidates: [
            {
              targets: input.cart.deliveryGroups.map(({ id }) => ({ deliveryGroup: { id } })),
              value: { percentage: { value: perk.shippingPercentOff } },
            },
          ],
          selectionStrategy: "ALL",
        },
      },
    ],
  };
}
