/** The demo storefront as `npm run demo` runs it: the demo shop, its CDNOW customers, the fake Admin API's metafields. */
import { cdnowCustomer, type CdnowPurchase } from "../lib/cdnow";
import type { FakeAdminApi } from "../fake-shopify/admin-api";
import { appMetafieldValue } from "../fake-shopify/storefront-resolvers";
import { startDemoStorefront, type DemoStorefront } from "./server";

export async function startDemoShopStorefront(options: {
  shop: string;
  port: number;
  appUrl: string;
  secret: string;
  purchases: CdnowPurchase[];
  fakeAdmin: FakeAdminApi;
}): Promise<DemoStorefront & { loginExamples: string[] }> {
  const customers = new Map(
    [...new Set(options.purchases.map((p) => p.customer))].map((n) => {
      const c = cdnowCustomer(n);
      return [c.email, { id: String(c.customerId), firstName: c.firstName }];
    }),
  );
  const loginExamples = biggestSpenders(options.purchases, 3).map((n) => cdnowCustomer(n).email);
  const storefront = await startDemoStorefront({
    shop: options.shop,
    appUrl: options.appUrl,
    secret: options.secret,
    port: options.port,
    findCustomer: (email) => customers.get(email) ?? null,
    loginExamples,
    earnRate: () => (appMetafieldValue(options.fakeAdmin.state, "retention", "earn_rate") as { points: number; perMinor: number } | undefined) ?? null,
  });
  return { ...storefront, loginExamples };
}

/** Customers with the most points to spend make the best examples. */
function biggestSpenders(purchases: CdnowPurchase[], count: number): number[] {
  const spent = new Map<number, number>();
  for (const p of purchases) spent.set(p.customer, (spent.get(p.customer) ?? 0) + p.amountMinor);
  return [...spent.entries()]
    .sort(([a, x], [b, y]) => y - x || a - b)
    .slice(0, count)
    .map(([customer]) => customer);
}
