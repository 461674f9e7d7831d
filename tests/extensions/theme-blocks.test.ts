/** The "you'll earn N points" blocks, rendered from their Liquid: computed from the earn rate and the price, no request. */
import { describe, expect, test } from "vitest";
import { renderBlock } from "./support/theme";

const text = async (...args: Parameters<typeof renderBlock>) => (await renderBlock(...args)).replace(/<[^>]+>/g, "").trim();
const variant = (price: number) => ({ selected_or_first_available_variant: { price } });

describe("points for a product", () => {
  test.each([
    { price: 2599, earnRate: { points: 1, perMinor: 100 }, locale: "en", shown: "You'll earn 25 points with this purchase." },
    { price: 2599, earnRate: { points: 3, perMinor: 200 }, locale: "en", shown: "You'll earn 38 points with this purchase." },
    { price: 199, earnRate: { points: 1, perMinor: 100 }, locale: "en", shown: "You'll earn 1 point with this purchase." },
    { price: 2599, earnRate: { points: 1, perMinor: 100 }, locale: "pl", shown: "Za ten zakup otrzymasz 25 punktów." },
    { price: 2200, earnRate: { points: 1, perMinor: 100 }, locale: "ru", shown: "За эту покупку вы получите 22 балла." },
    { price: 99, earnRate: { points: 1, perMinor: 100 }, locale: "en", shown: "" },
    { price: 2599, earnRate: null, locale: "en", shown: "" },
  ])("$price minor at $earnRate.points per $earnRate.perMinor ($locale) → '$shown'", async ({ price, earnRate, locale, shown }) => {
    expect(await text("product-points", { product: variant(price), earnRate, locale })).toBe(shown);
  });
});

describe("points for the cart", () => {
  test.each([
    { total: 12345, locale: "en", shown: "You'll earn 123 points with this order." },
    { total: 100, locale: "fi", shown: "Ansaitset tästä tilauksesta 1 pisteen." },
    { total: 0, locale: "en", shown: "" },
  ])("cart total $total ($locale) → '$shown'", async ({ total, locale, shown }) => {
    const cart = { total_price: total, currency: { iso_code: "EUR" } };
    expect(await text("cart-points", { cart, earnRate: { points: 1, perMinor: 100 }, locale })).toBe(shown);
  });
});

test("a guest's balance block links to sign in and asks the app for nothing", async () => {
  const html = await renderBlock("points-balance", { customer: null });

  expect(html).toContain('href="/account/login"');
  expect(html).not.toContain("data-rl-config");
});
