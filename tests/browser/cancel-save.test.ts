/**
 * A subscriber cancelling in a real headless Chromium: the demo storefront plays Shopify (customer login, App Proxy
 * forwarding with signed query parameters) in front of the built app and its worker, on a test database, with the
 * fake Admin API holding the subscription contracts. Cancel is at most two steps after the first press; a
 * failed Admin API call never reads as done; an accepted pause shows in the admin.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDemoStorefront, type DemoStorefront } from "../../scripts/demo-storefront/server";
import { seedDemoSubscriptions, subscriptionContracts } from "../../scripts/fake-shopify/subscription-resolvers";
import { cdnowCustomer } from "../../scripts/lib/cdnow";
import { DESKTOP_CHROME_UA } from "../../scripts/lib/browser";
import { DEMO_SHOP, startAdminApp, type AdminApp } from "./admin-app";

/** The secret the app signs with in demo mode, as Shopify's App Proxy would with the app's secret. */
const DEMO_SECRET = "demo-api-secret";
const CUSTOMERS = [1, 2, 3].map((n) => cdnowCustomer(n));

let app: AdminApp;
let storefront: DemoStorefront;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startAdminApp({ worker: true });
  await fetch(`${app.base}/`, { redirect: "manual", headers: { "user-agent": DESKTOP_CHROME_UA } }); // installs the demo shop
  const seeded = await seedDemoSubscriptions({
    state: app.fakeAdmin.state,
    databaseUrl: app.database.url,
    baseUrl: app.base,
    shop: DEMO_SHOP,
    secret: DEMO_SECRET,
    customerEmails: CUSTOMERS.map((c) => c.email),
    now: new Date(),
  });
  if (seeded !== 4) throw new Error(`expected 4 demo contracts, seeded ${seeded}`);
  // The worker reads each created contract back from the fake Admin API into the mirror.
  for (const deadline = Date.now() + 30_000; (await app.database.prisma.subscriptionContract.count()) < 4; ) {
    if (Date.now() > deadline) throw new Error("the worker did not mirror the demo contracts");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const byEmail = new Map(CUSTOMERS.map((c) => [c.email, { id: String(c.customerId), firstName: c.firstName }]));
  storefront = await startDemoStorefront({
    shop: DEMO_SHOP,
    appUrl: app.base,
    secret: DEMO_SECRET,
    host: "127.0.0.1",
    findCustomer: (email) => byEmail.get(email) ?? null,
    loginExamples: CUSTOMERS.map((c) => c.email),
    earnRate: () => null,
  });
  // Building the app (when its sources changed) and starting the web and worker processes take a while on 2 cores.
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await storefront?.close();
  await app?.stop();
});

async function loggedIn(email: string): Promise<Page> {
  const context = await app.browser.newContext({ userAgent: DESKTOP_CHROME_UA, locale: "en-US" });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${storefront.origin}/account/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${storefront.origin}/`);
  await page.goto(`${storefront.origin}/apps/rewards/subscriptions`);
  return page;
}

const card = (page: Page, contractId: string) => page.locator(`[data-contract="${contractId}"]`);
const fakeStatus = (contractId: string) => subscriptionContracts(app.fakeAdmin.state).get(`gid://shopify/SubscriptionContract/${contractId}`)?.status;

describe("cancelling on the theme's subscriptions page", () => {
  test("Cancel, then Cancel subscription now: cancelled in Shopify, one step after the first press", async () => {
    const page = await loggedIn(CUSTOMERS[0].email);
    await expect.poll(() => card(page, "910001").count()).toBe(1);
    expect(await card(page, "910002").count()).toBe(1);

    await card(page, "910001").getByRole("button", { name: "Cancel subscription" }).click();
    await expect.poll(() => page.locator('[data-step="survey"]').count()).toBe(1);
    expect(await page.getByRole("radio").count()).toBeGreaterThanOrEqual(5);

    await page.getByRole("button", { name: "Cancel subscription now" }).click();

    await expect.poll(() => page.getByRole("heading", { name: "Your subscription is cancelled" }).count()).toBe(1);
    expect(fakeStatus("910001")).toBe("CANCELLED");
  });

  test("Cancel, a reason, then Decline the one offer: cancelled, two steps after the first press", async () => {
    const page = await loggedIn(CUSTOMERS[0].email);
    await card(page, "910002").getByRole("button", { name: "Cancel subscription" }).click();
    await page.getByLabel("I have too much product").check();

    await page.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => page.locator('[data-step="offer"]').count()).toBe(1);
    expect(await page.locator(".offer").textContent()).toContain("Pause your subscription for 1 month");
    expect(await page.getByRole("button", { name: "Accept offer" }).count()).toBe(1);

    await page.getByRole("button", { name: "No thanks, cancel my subscription" }).click();

    await expect.poll(() => page.getByRole("heading", { name: "Your subscription is cancelled" }).count()).toBe(1);
    expect(fakeStatus("910002")).toBe("CANCELLED");
  });

  test("accepting the pause is confirmed once Shopify paused it, and the admin shows the paused contract", async () => {
    const page = await loggedIn(CUSTOMERS[1].email);
    await card(page, "910003").getByRole("button", { name: "Cancel subscription" }).click();
    await page.getByLabel("I'm moving").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Accept offer" }).count()).toBe(1);

    await page.getByRole("button", { name: "Accept offer" }).click();

    await expect.poll(() => page.getByRole("heading", { name: "Thanks for staying!" }).count()).toBe(1);
    expect(await page.getByRole("status").textContent()).toMatch(/Your subscription is paused until \w+ \d+, \d{4}/);
    expect(fakeStatus("910003")).toBe("PAUSED");

    const admin = await app.newPage();
    await admin.open("/app/cancel-save/subscribers");
    const row = admin.page.getByRole("row").filter({ hasText: "910003" });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.textContent()).toMatch(/paused.*resumes/i);
    await admin.open("/app/cancel-save");
    await expect.poll(() => admin.page.getByText("Cancel attempts").count(), { timeout: 15_000 }).toBe(1);
    await admin.close();
  });

  test("when Shopify cannot cancel, the page says so and keeps Cancel subscription now; trying again cancels", async () => {
    const page = await loggedIn(CUSTOMERS[2].email);
    await card(page, "910004").getByRole("button", { name: "Cancel subscription" }).click();
    await expect.poll(() => page.locator('[data-step="survey"]').count()).toBe(1);
    app.fakeAdmin.injectFault("SubscriptionContractCancel", "server_error", 5);

    await page.getByRole("button", { name: "Cancel subscription now" }).click();

    await expect.poll(() => page.getByRole("alert").count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByRole("alert").textContent()).toContain("has not been cancelled");
    expect(await page.getByRole("heading", { name: "Your subscription is cancelled" }).count()).toBe(0);
    expect(fakeStatus("910004")).toBe("ACTIVE");

    await page.getByRole("button", { name: "Cancel subscription now" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Your subscription is cancelled" }).count()).toBe(1);
    expect(fakeStatus("910004")).toBe("CANCELLED");
  });
});
