/**
 * The Function's entry. Shopify's JavaScript runtime (Javy with Shopify's plugin) gives the result of
 * src/run.graphql to `ShopifyFunction.readInput()` and takes the Function's result through `writeOutput`;
 * the rules are in ./perks.
 */
import { tierShippingDiscounts, type TierPerksInput } from "./perks";

declare const ShopifyFunction: { readInput(): unknown; writeOutput(output: unknown): void };

/** The Wasm export `cart-delivery-options-discounts-generate-run` (shopify.extension.toml, javy-world.wit). */
export function cartDeliveryOptionsDiscountsGenerateRun(): void {
  ShopifyFunction.writeOutput(tierShippingDiscounts(ShopifyFunction.readInput() as TierPerksInput));
}
