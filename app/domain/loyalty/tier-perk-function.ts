import type { ProgramSettings } from "./settings";

/**
 * The configuration of the tier-perks discount Function (extensions/tier-perks), which the app stores as JSON on the
 * automatic app discount's `$app` / `function-configuration` metafield: the tiers whose shipping is taken off, and
 * how much of it. Tiers are named by their name, not their id, because that is what the customer's `loyalty.tier`
 * metafield holds and all the Function can see. Docs/decisions/041-tier-perk-function.md.
 */
export interface TierPerkFunctionConfiguration {
  tiers: { name: string; shippingPercentOff: number }[];
}

/** A free-shipping perk takes all of the shipping off; the Function also takes smaller shares, which no perk offers yet. */
const FREE_SHIPPING_PERCENT_OFF = 100;

/**
 * The Function's configuration for the program as it stands. A program that is switched off gives no perks. A name
 * that a tier without the perk also uses is left out: the Function could not tell those customers apart, and giving
 * free shipping to both would give it to a tier that does not have it.
 */
export function tierPerkFunctionConfiguration(settings: Pick<ProgramSettings, "enabled" | "tiers">): TierPerkFunctionConfiguration {
  if (!settings.enabled) return { tiers: [] };
  const levels = settings.tiers.levels;
  const namesWithoutPerk = new Set(levels.filter((tier) => !tier.perks.freeShipping).map((tier) => tier.name));
  const names = new Set(levels.filter((tier) => tier.perks.freeShipping && !namesWithoutPerk.has(tier.name)).map((tier) => tier.name));
  return { tiers: [...names].map((name) => ({ name, shippingPercentOff: FREE_SHIPPING_PERCENT_OFF })) };
}
