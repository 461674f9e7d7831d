/**
 * Where the extensions reach the app (`/api/extension/*`). UI extensions run on Shopify's side with no access to
 * the app's environment, so the app's public URL (SHOPIFY_APP_URL) is built into the bundle: set it here before
 * `shopify app deploy`. checkout-rewards imports this same constant.
 */
export const APP_URL = "https://retention-engine.example.com";
