// The type of the `shopify` global in each module, as Shopify CLI generates it for this target.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/SubscriptionsPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}

