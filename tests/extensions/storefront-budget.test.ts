/**
 * The storefront budget: all the JavaScript and CSS a shop's visitors load from us is at most 10 KB gzip, and
 * every block loads it without blocking rendering (a deferred script; the stylesheet is added by that script).
 * Sizes are a budget, not a time. The real browser check of render-blocking and layout shift is in
 * widget.browser.test.ts.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { Window } from "happy-dom";
import { expect, test } from "vitest";
import { STOREFRONT_BUDGET_GZIP_BYTES, storefrontAssets, THEME_DIR, renderBlock } from "./support/theme";

const blocks = readdirSync(path.join(THEME_DIR, "blocks")).map((file) => path.basename(file, ".liquid"));

test(`everything the storefront loads from us fits in ${STOREFRONT_BUDGET_GZIP_BYTES} bytes gzip`, () => {
  const assets = storefrontAssets();
  const total = assets.reduce((sum, asset) => sum + asset.gzipBytes, 0);

  expect(assets.map((asset) => asset.name)).toContain("loyalty.js");
  expect(total).toBeLessThanOrEqual(STOREFRONT_BUDGET_GZIP_BYTES);
});

test.each(blocks)("block %s loads no render-blocking script or stylesheet", async (block) => {
  const window = new Window();
  window.document.body.innerHTML = await renderBlock(block, {
    customer: { id: 1, first_name: "Ann" },
    product: { selected_or_first_available_variant: { price: 2599 } },
    cart: { total_price: 4000, currency: { iso_code: "USD" } },
    earnRate: { points: 1, perMinor: 100 },
  });
  const document = window.document;

  for (const script of document.querySelectorAll("script[src]")) {
    expect(script.hasAttribute("defer") || script.hasAttribute("async") || script.getAttribute("type") === "module").toBe(true);
  }
  expect(document.querySelectorAll('script:not([src]):not([type="application/json"])')).toHaveLength(0);
  expect(document.querySelectorAll('link[rel="stylesheet"], style')).toHaveLength(0);
  expect(document.body.innerHTML).not.toContain("translation missing");
  await window.happyDOM.close();
});

test("the embed loads the widget's script, deferred", async () => {
  const window = new Window();
  window.document.body.innerHTML = await renderBlock("loyalty-embed");

  expect([...window.document.querySelectorAll("script[src]")].map((script) => [script.getAttribute("src"), script.hasAttribute("defer")])).toEqual([
    ["/assets/loyalty.js", true],
  ]);
  await window.happyDOM.close();
});
