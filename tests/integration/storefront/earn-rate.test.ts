/**
 * The earn-rate app-data metafield that the theme's "you'll earn N points" blocks read: written through the
 * Admin API (the fake, which validates every operation against Shopify's schema), and rendered by the real
 * block Liquid from what was written.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaultProgramSettings, setProgramEnabled } from "~/domain/loyalty";
import { AdminApiError, createAdminClient } from "~/shopify/admin/client.server";
import { publishEarnRate } from "~/services/storefront/earn-rate.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { appMetafieldValue } from "../../../scripts/fake-shopify/storefront-resolvers";
import { renderBlock } from "../../../scripts/demo-storefront/theme";

let fake: FakeAdminApi;
const admin = () => createAdminClient({ shop: "earn-rate.myshopify.com", accessToken: "token" }, { origin: fake.origin, sleep: async () => undefined });
const running = setProgramEnabled(defaultProgramSettings("USD"), true, new Date("2026-11-01T00:00:00Z"));

beforeAll(async () => {
  fake = await startFakeAdminApi(fakeAdminResolvers);
});
afterAll(async () => {
  await fake.close();
});

describe("publishing the earn rate", () => {
  test("writes the program's base rate as JSON on the app installation, which the product block turns into points", async () => {
    const settings = { ...running, earning: { ...running.earning, points: 3, perAmountMinor: 200 } };
    expect(await publishEarnRate(admin(), settings)).toEqual({ points: 3, perMinor: 200 });

    const set = fake.calls.filter((call) => call.operationName === "MetafieldsSet").at(-1)!;
    expect(set.variables.metafields).toEqual([
      { ownerId: "gid://shopify/AppInstallation/1000001", namespace: "retention", key: "earn_rate", type: "json", value: '{"points":3,"perMinor":200}' },
    ]);
    const earnRate = appMetafieldValue(fake.state, "retention", "earn_rate") as { points: number; perMinor: number };
    const html = await renderBlock("product-points", { product: { selected_or_first_available_variant: { price: 2599 } }, earnRate });
    expect(html).toContain("38 points"); // floor(2599 × 3 ÷ 200)
  });

  test("a program that is off promises no points, so the blocks show nothing", async () => {
    await publishEarnRate(admin(), defaultProgramSettings("USD"));
    const earnRate = appMetafieldValue(fake.state, "retention", "earn_rate") as { points: number; perMinor: number };
    expect(earnRate).toEqual({ points: 0, perMinor: 100 });
    const html = await renderBlock("cart-points", { cart: { total_price: 10_000, currency: { iso_code: "USD" } }, earnRate });
    expect(html.trim()).toBe("");
  });

  test("Shopify's refusal is an error, not a silent success", async () => {
    fake.injectFault("MetafieldsSet", { userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" }] });
    await expect(publishEarnRate(admin(), running)).rejects.toThrow(AdminApiError);
  });
});
