/**
 * The customer-account and checkout extensions build: each target's module bundles with esbuild (as Shopify CLI
 * does) into one file within Shopify's 64 KB limit for a UI extension's compiled script. Nothing is written.
 */
import { build } from "esbuild";
import { expect, test } from "vitest";

const SHOPIFY_BUNDLE_LIMIT_BYTES = 64 * 1024;

test.each([
  "extensions/customer-account-rewards/src/RewardsPage.tsx",
  "extensions/customer-account-rewards/src/ProfileBlock.tsx",
  "extensions/checkout-rewards/src/Checkout.tsx",
])("%s bundles within Shopify's limit", async (entry) => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    jsx: "automatic",
    write: false,
    logLevel: "silent",
  });

  expect(result.errors).toEqual([]);
  const [output] = result.outputFiles;
  expect(output.text).toMatch(/export\s*\{[^}]*as default/);
  expect(output.contents.length).toBeLessThanOrEqual(SHOPIFY_BUNDLE_LIMIT_BYTES);
});
