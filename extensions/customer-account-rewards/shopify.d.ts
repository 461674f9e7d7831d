// The type of the `shopify` global in each module, as Shopify CLI generates it for these targets.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/RewardsPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module "./src/ProfileBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.profile.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module "./src/rewards-ui.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}
