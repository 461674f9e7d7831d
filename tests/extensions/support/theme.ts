/**
 * The theme app extension as a storefront renders it: the Liquid renderer is the demo storefront's
 * (scripts/demo-storefront/theme.ts), so the tests and the demo render the blocks the same way. Adds what only
 * the tests and benchmarks need: the assets' sizes against the storefront budget.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ASSETS_DIR } from "../../../scripts/demo-storefront/theme";

export { ASSET_PATH, ASSETS_DIR, renderBlock, THEME_DIR, type StorefrontContext } from "../../../scripts/demo-storefront/theme";

export interface StorefrontAsset {
  name: string;
  bytes: number;
  gzipBytes: number;
}

/** Every script and stylesheet the storefront can load from the extension, with its size as served gzipped. */
export function storefrontAssets(): StorefrontAsset[] {
  return readdirSync(ASSETS_DIR)
    .filter((name) => /\.(js|css)$/.test(name))
    .sort()
    .map((name) => {
      const content = readFileSync(path.join(ASSETS_DIR, name));
      return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
}

/** The storefront's budget for everything it loads from us. */
export const STOREFRONT_BUDGET_GZIP_BYTES = 10 * 1024;
