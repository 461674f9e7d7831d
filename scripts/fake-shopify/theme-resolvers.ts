/**
 * The fake Admin API's published theme: its settings_data.json with the Rewards widget app embed, switched on
 * as in the demo storefront (which renders the embed). `state.loyaltyEmbedEnabled = false` switches it off.
 */
import type { Resolver } from "./admin-api";

function settingsData(enabled: boolean): string {
  const data = {
    current: {
      blocks: {
        "1234567890": { type: "shopify://apps/retention-engine/blocks/loyalty-embed/6f1d2c1e-4b1a-4f5e-9d6b-2a7c8e9f0a1b", disabled: !enabled, settings: {} },
      },
    },
  };
  return `/*\n * ------------------------------------------------------------\n * IMPORTANT: The contents of this file are auto-generated.\n * ------------------------------------------------------------\n */\n${JSON.stringify(data, null, 2)}`;
}

export const themeResolvers: Record<string, Resolver> = {
  MainThemeSettings: (_variables, state) => ({
    themes: {
      nodes: [{ id: "gid://shopify/OnlineStoreTheme/1001", files: { nodes: [{ body: { content: settingsData(state.loyaltyEmbedEnabled ?? true) } }] } }],
    },
  }),
};
