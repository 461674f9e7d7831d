/** The onboarding checklist's steps and the theme app-embed check (against the schema-validating fake Admin API). */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { createAdminClient } from "~/shopify/admin/client.server";
import { isAppEmbedEnabled, onboardingSteps, themeEditorEmbedUrl, type OnboardingState } from "~/services/admin/onboarding";
import { storefrontWidgetEnabled } from "~/services/admin/theme.server";

const NOTHING_DONE: OnboardingState = { programEnabled: false, earningReviewed: false, activeRewards: 0, tiersReviewed: false, widgetEnabled: false, pointsAwarded: false };
const LINKS = { shop: "demo-shop.myshopify.com", apiKey: "abc123" };

describe("the checklist", () => {
  test.each([
    [{}, []],
    [{ programEnabled: true }, ["program"]],
    [{ earningReviewed: true, tiersReviewed: true }, ["earning", "tiers"]],
    [{ activeRewards: 1 }, ["reward"]],
    [{ widgetEnabled: null }, []],
    [{ widgetEnabled: true, pointsAwarded: true }, ["widget", "points"]],
  ] as [Partial<OnboardingState>, string[]][])("%j → done: %j", (changes, done) => {
    const steps = onboardingSteps({ ...NOTHING_DONE, ...changes }, LINKS);
    expect(steps.filter((s) => s.done).map((s) => s.id)).toEqual(done);
    expect(steps).toHaveLength(6);
  });

  test("the widget step deep-links to the theme editor's app embeds with ours selected", () => {
    expect(themeEditorEmbedUrl(LINKS.shop, LINKS.apiKey)).toBe("https://demo-shop.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=abc123/loyalty-embed");
    expect(onboardingSteps(NOTHING_DONE, LINKS).find((s) => s.id === "widget")?.action).toMatchObject({ external: true, url: themeEditorEmbedUrl(LINKS.shop, LINKS.apiKey) });
  });
});

describe("reading the theme's app embed", () => {
  const settings = (blocks: unknown) => `/*\n * auto-generated\n */\n${JSON.stringify({ current: { blocks } })}`;

  test.each([
    [settings({ a: { type: "shopify://apps/retention-engine/blocks/loyalty-embed/uuid-1", disabled: false } }), true],
    [settings({ a: { type: "shopify://apps/retention-engine/blocks/loyalty-embed/uuid-1" } }), true],
    [settings({ a: { type: "shopify://apps/retention-engine/blocks/loyalty-embed/uuid-1", disabled: true } }), false],
    [settings({ a: { type: "shopify://apps/other-app/blocks/chat/uuid-2", disabled: false } }), false],
    [settings({}), false],
    ["{ not json", false],
    [JSON.stringify({ current: "Default" }), false],
  ])("%s → %s", (content, expected) => {
    expect(isAppEmbedEnabled(content)).toBe(expected);
  });

  let fake: FakeAdminApi;
  beforeAll(async () => {
    fake = await startFakeAdminApi(fakeAdminResolvers);
  });
  afterAll(async () => {
    await fake?.close();
  });
  const admin = () => createAdminClient({ shop: LINKS.shop, accessToken: "token" }, { origin: fake.origin, maxAttempts: 1 });

  test("from the published theme through the Admin API", async () => {
    expect(await storefrontWidgetEnabled(admin())).toBe(true);
    fake.state.loyaltyEmbedEnabled = false;
    expect(await storefrontWidgetEnabled(admin())).toBe(false);
  });

  test("unknown when Shopify cannot answer", async () => {
    fake.injectFault("MainThemeSettings", "server_error");
    expect(await storefrontWidgetEnabled(admin())).toBeNull();
  });
});
