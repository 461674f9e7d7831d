/**
 * The Home page's onboarding checklist. Every step's state comes from what the shop has really done (a
 * setting, a saved section, a reward, the theme's app embed, a ledger row), never from a box ticked. Pure.
 */
export const LOYALTY_EMBED_HANDLE = "loyalty-embed";

export interface OnboardingState {
  programEnabled: boolean;
  earningReviewed: boolean;
  activeRewards: number;
  tiersReviewed: boolean;
  /** null when the theme could not be read (no read_themes access, or Shopify unavailable). */
  widgetEnabled: boolean | null;
  pointsAwarded: boolean;
}

export interface OnboardingStep {
  id: "program" | "earning" | "reward" | "tiers" | "widget" | "points";
  title: string;
  description: string;
  done: boolean;
  action: { label: string; url: string; external?: boolean };
}

/** The theme editor opened on App embeds with ours selected, as Shopify documents the deep link. */
export function themeEditorEmbedUrl(shop: string, apiKey: string): string {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${apiKey}/${LOYALTY_EMBED_HANDLE}`;
}

export function onboardingSteps(state: OnboardingState, links: { shop: string; apiKey: string }): OnboardingStep[] {
  return [
    {
      id: "program",
      title: "Switch the program on",
      description: "Customers start earning from orders paid after this moment.",
      done: state.programEnabled,
      action: { label: "Open program settings", url: "/app/program#status" },
    },
    {
      id: "earning",
      title: "Review how points are earned",
      description: "Points per unit of currency, what counts towards them, pending period and expiry.",
      done: state.earningReviewed,
      action: { label: "Review earning rules", url: "/app/program#earning" },
    },
    {
      id: "reward",
      title: "Offer at least one reward",
      description: "A discount, free shipping, a free product or store credit that points buy.",
      done: state.activeRewards > 0,
      action: { label: "Create a reward", url: "/app/rewards/new" },
    },
    {
      id: "tiers",
      title: "Review VIP tiers",
      description: "Thresholds and perks; see who would move before you save.",
      done: state.tiersReviewed,
      action: { label: "Review tiers", url: "/app/program#tiers" },
    },
    {
      id: "widget",
      title: "Show the rewards widget in your theme",
      description:
        state.widgetEnabled === null
          ? "Switch on the Rewards widget app embed in the theme editor (its state could not be read just now)."
          : "Switch on the Rewards widget app embed in the theme editor, then save the theme.",
      done: state.widgetEnabled === true,
      action: { label: "Open the theme editor", url: themeEditorEmbedUrl(links.shop, links.apiKey), external: true },
    },
    {
      id: "points",
      title: "Award the first points",
      description: "Happens with the first paid order after the program is on, or import balances from your previous program.",
      done: state.pointsAwarded,
      action: { label: "Import balances", url: "/app/import" },
    },
  ];
}

/**
 * Whether the theme's settings_data.json has our app embed switched on. Shopify writes the embed as a block
 * of type `shopify://apps/<app>/blocks/<handle>/<uuid>`; a `disabled: true` block is switched off. The file
 * starts with a comment block, which JSON does not allow.
 */
export function isAppEmbedEnabled(settingsData: string, handle = LOYALTY_EMBED_HANDLE): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settingsData.replace(/^\s*\/\*[\s\S]*?\*\//, ""));
  } catch {
    return false;
  }
  const current = (parsed as { current?: unknown })?.current;
  const blocks = current && typeof current === "object" ? (current as { blocks?: Record<string, { type?: string; disabled?: boolean }> }).blocks : undefined;
  return Object.values(blocks ?? {}).some((block) => typeof block?.type === "string" && block.type.includes(`/blocks/${handle}/`) && block.disabled !== true);
}
