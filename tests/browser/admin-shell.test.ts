/** The embedded admin in a real headless Chromium: the demo's entry, Polaris pages, billing through the Billing API. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAdminApp, type AdminApp } from "./admin-app";

let app: AdminApp;

beforeAll(async () => {
  app = await startAdminApp();
});

afterAll(async () => {
  await app?.stop();
});

describe("the demo admin", () => {
  test("/ follows the demo redirect into the embedded app and Polaris renders the home page", async () => {
    const { page, close } = await app.newPage();
    await page.goto(`${app.base}/`);
    expect(new URL(page.url()).pathname).toBe("/app");
    expect(new URL(page.url()).searchParams.get("id_token")).toBeTruthy();
    await expect.poll(() => page.locator(".Polaris-Page").count()).toBeGreaterThan(0);
    await close();
  });

  test("choosing a paid plan goes through Shopify's approval and comes back on that plan", async () => {
    const { page, open, close } = await app.newPage();
    await open("/app/billing");
    await expect.poll(() => page.getByText("Current plan: Free").count()).toBe(1);
    await page.getByRole("button", { name: "Choose Growth" }).click();
    await expect.poll(() => page.getByText("You are on the Growth plan").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText("Current plan: Growth").count()).toBe(1);
    // Other pages opened in this file call the fake too (the home's theme check); the billing calls are these two.
    const billingCalls = app.fakeAdmin.calls.map((c) => c.operationName).filter((name) => name.startsWith("AppSubscription"));
    expect(billingCalls).toEqual(["AppSubscriptionCreate", "AppSubscriptionStatus"]);
    const plan = await app.database.prisma.shopPlan.findUniqueOrThrow({ where: { shopId: await app.shopId() } });
    expect(plan).toMatchObject({ plan: "growth", hadPaidPlan: true });
    await close();
  });

  test("every admin page hydrates: no React error, so what the server rendered stays and nothing renders twice", async () => {
    const { page, open, close } = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${new URL(page.url()).pathname}: ${error.message}`));
    page.on("console", (message) => {
      // Shopify's CDN (App Bridge) is unreachable here by design; the demo's stand-in replaces it.
      if (message.type() === "error" && !message.text().includes("Failed to load resource")) errors.push(`${new URL(page.url()).pathname}: ${message.text()}`);
    });
    for (const path of ["/app", "/app/program", "/app/customers", "/app/analytics", "/app/import", "/app/churn", "/app/cancel-save", "/app/billing"]) {
      await open(path);
      await expect.poll(() => page.locator(".Polaris-Page").count()).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await close();
  });
});
