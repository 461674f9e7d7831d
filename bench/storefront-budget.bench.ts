/**
 * What a shop's visitors download from us: every script and stylesheet of the theme app extension, raw and
 * gzipped, against the 10 KB gzip budget (docs/decisions/040-storefront-budget.md). A size, not a time.
 */
import { STOREFRONT_BUDGET_GZIP_BYTES, storefrontAssets } from "../tests/extensions/support/theme";

const assets = storefrontAssets();
const total = assets.reduce((sum, asset) => sum + asset.gzipBytes, 0);
const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;

for (const asset of assets) {
  console.log(`storefront: ${asset.name}: ${bytes(asset.bytes)} raw, ${bytes(asset.gzipBytes)} gzip`);
}
console.log(
  `storefront: total ${bytes(total)} gzip of a ${bytes(STOREFRONT_BUDGET_GZIP_BYTES)} budget ` +
    `(${Math.round((total / STOREFRONT_BUDGET_GZIP_BYTES) * 100)} %, ${total <= STOREFRONT_BUDGET_GZIP_BYTES ? "within" : "OVER"} budget)`,
);
