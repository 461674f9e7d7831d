// The type of the `shopify` global in each module, as Shopify CLI generates it for this target.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/Checkout.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.checkout.reductions.render-after").Api;
  const globalThis: { shopify: typeof shopify };
}
