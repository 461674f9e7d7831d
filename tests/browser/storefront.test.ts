/**
 * The shopper's whole path in a real headless Chromium: the demo storefront (theme extension's Liquid and
 * assets, Shopify's signed App Proxy forwarding, /discount/CODE) in front of the real app server (built app,
 * server.ts) on a test database with a seeded customer, and the fake Admin API creating the discount code.
 * Then Ben, a friend, follows Ann's referral link: signs up, claims the friend's discount, and his first paid order pays
 * Ann the referral points.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createReward } from "~/services/loyalty/rewards.server";
import { createAdminClient } from "~/shopify/admin/client.server";
import { publishEarnRate } from "~/services/storefront/earn-rate.server";
import { loadProgram } from "~/services/loyalty/program.server";
import { startDemoStorefront, type DemoStorefront } from "../../scripts/demo-storefront/server";
import { appMetafieldValue } from "../../scripts/fake-shopify/storefront-resolvers";
import { LoyaltyWorld, order } from "../integration/loyalty/support";
import { useStorefrontWebApp } from "../integration/storefront/web-app";
import { TEST_SECRET } from "../support/app-env";
import { launchBrowser } from "../../scripts/lib/browser";

const SHOP = "demo-shop.myshopify.com";
const ANN = { id: "7000000101", email: "ann@example.com", firstName: "Ann" };
const CODE = /RE-[A-Z0-9]{4}-[A-Z0-9]{4}/;
const BEN = { id: "9000000001", email: "ben@example.com", firstName: "Ben" }; // the demo storefront's first sign-up

let storefront: DemoStorefront;
let browser: Browser;
let page: Page;
let friendContext: BrowserContext | undefined;
let annReferralCode: string;
const pageErrors: string[] = [];
const programRequests: URL[] = [];

const app = useStorefrontWebApp(async ({ db, fake }) => {
  // The shop: program on (Silver from $100 spent, Gold from $500, Platinum from $1,000), a $5-off reward she can
  // afford and a $10-off one she cannot, and Ann with 612 points from a $612.34 order: Gold, $387.66 from Platinum.
  const world = await LoyaltyWorld.start(db);
  const now = new Date();
  const shopId = await world.shop(SHOP, now);
  await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", accessToken: "offline-token" } });
  await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: 500 } });
  await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: "$10 off", amountMinor: 1_000, pointsCost: 1_000 } });
  await world.deliverAndProcess(SHOP, [{ topic: "orders/paid", payload: order({ orderId: 4242, customerId: Number(ANN.id), name: ANN.firstName, createdAt: new Date(now.getTime() - 86_400_000), subtotalMinor: 61_234 }) }], now);
  await world.stop();
  await publishEarnRate(createAdminClient({ shop: SHOP, accessToken: "offline-token" }, { origin: fake.origin }), (await loadProgram(db.pool, shopId)).settings);
});

beforeAll(async () => {
  storefront = await startDemoStorefront({
    shop: SHOP,
    appUrl: app.url,
    secret: TEST_SECRET,
    host: "127.0.0.1",
    findCustomer: (email) => (email === ANN.email ? { id: ANN.id, firstName: ANN.firstName } : null),
    loginExamples: [ANN.email],
    earnRate: () => (appMetafieldValue(app.fake.state, "retention", "earn_rate") as { points: number; perMinor: number } | undefined) ?? null,
  });
  browser = await launchBrowser();
  // One browser context for the whole path, as one shopper's browser: its HTTP cache and cookies carry over.
  page = await (await browser.newContext({ locale: "en-US" })).newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/apps/rewards/program") programRequests.push(url);
  });
});

afterAll(async () => {
  await friendContext?.close();
  await browser?.close();
  await storefront?.close();
});

const panel = () => page.getByRole("dialog");
/** A reward in the panel's Rewards list (not among the codes she already has under "Your rewards"). */
const reward = (title: string) =>
  panel()
    .locator("section")
    .filter({ has: page.getByRole("heading", { name: "Rewards", exact: true }) })
    .getByRole("listitem")
    .filter({ has: page.getByText(title, { exact: true }) });

async function openPanel() {
  await page.getByRole("button", { name: "Rewards" }).click();
  await expect.poll(() => panel().isVisible()).toBe(true);
}

async function balanceInDatabase(): Promise<number> {
  const { rows } = await app.db.pool.query(`select "pointsBalance" from "Customer" where "shopifyCustomerId" = $1`, [ANN.id]);
  return rows[0].pointsBalance;
}

// The tests run in order, one shopper's visit: first as a guest, then logged in.
describe("a shopper on the storefront", () => {
  test("as a guest, sees how the program works, the ways to earn and the rewards, with links to join and sign in but nothing to redeem", async () => {
    await page.goto(`${storefront.origin}/`);
    // The home page's ways-to-earn block fills in from the app at load.
    const ways = page.locator('[data-rl-view="ways"]');
    await expect.poll(() => ways.getByText("Place an order").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await ways.getByText("1 point for every $1.00 spent").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Sign in to see your points." }).count()).toBe(2); // balance and tier blocks
    // The widget asks in the storefront's language (the theme's request.locale), not leaving it to the browser's.
    expect(programRequests.map((url) => url.searchParams.get("locale"))).toEqual(["en"]);

    await openPanel();
    await expect.poll(() => panel().getByText("How it works").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await panel().getByText("Refer a friend").isVisible()).toBe(true);
    expect(await panel().getByText("+500 points").isVisible()).toBe(true);
    expect(await reward("$5 off").textContent()).toContain("500 points");
    expect(await reward("$10 off").textContent()).toContain("1,000 points");
    expect(await panel().getByRole("button", { name: "Redeem" }).count()).toBe(0);
    expect(await panel().getByRole("link", { name: "Join now" }).getAttribute("href")).toBe("/account/register");
    expect(await panel().getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
  });

  test("sees what a product earns, signs in from the widget, and then sees her own points, tier and progress on the page", async () => {
    await page.goto(`${storefront.origin}/products/organic-tee`);
    expect(await page.getByText("You'll earn 25 points").isVisible()).toBe(true);

    await page.goto(`${storefront.origin}/`);
    await openPanel();
    await panel().getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email").fill(ANN.email);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByText("Signed in as Ann").isVisible()).toBe(true);

    // Back on the home page within the guest answer's minute of caching: the blocks show her, not the guest's answer.
    const balance = page.locator('[data-rl-view="balance"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toContain("612 points");
    const tier = page.locator('[data-rl-view="tier"]');
    expect(await tier.textContent()).toContain("Your tier: Gold");
    expect(await tier.getByRole("progressbar", { name: "$387.66 more to reach Platinum" }).getAttribute("aria-valuenow")).toBe("61");
  });

  test("opens the widget: balance, tier progress, rewards she can afford with Redeem, ways to earn, referral link, history", async () => {
    await openPanel();
    await expect.poll(() => panel().getByText("Hi Ann").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await panel().locator(".rl-balance").textContent()).toContain("612 points");
    expect(await panel().getByText("Your tier: Gold").isVisible()).toBe(true);
    expect(await panel().getByRole("progressbar", { name: "$387.66 more to reach Platinum" }).isVisible()).toBe(true);
    expect(await reward("$5 off").getByRole("button", { name: "Redeem" }).isEnabled()).toBe(true);
    expect(await reward("$10 off").getByRole("button").count()).toBe(0);
    expect(await reward("$10 off").textContent()).toContain("388 points more needed");
    expect(await panel().getByText("Place an order").isVisible()).toBe(true);
    expect(await panel().getByRole("textbox", { name: "Refer a friend" }).inputValue()).toMatch(/^https:\/\/demo-shop\.myshopify\.com\/\?ref=[2-9A-Z]{12}$/);
    expect(await panel().getByText("Recent activity").isVisible()).toBe(true);
    expect(await panel().getByText("+612").isVisible()).toBe(true);
  });

  test("redeems a reward: gets a code Shopify knows, pays its points, and finds the code applied in the cart", async () => {
    await reward("$5 off").getByRole("button", { name: "Redeem" }).click();
    const status = panel().getByRole("status");
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(CODE);
    const code = CODE.exec((await status.textContent())!)![0];
    expect(await status.textContent()).toContain("It's applied to your cart");
    expect(await panel().locator(".rl-balance").textContent()).toContain("112 points");
    expect(await reward("$5 off").textContent()).toContain("388 points more needed");
    expect(await balanceInDatabase()).toBe(112);
    expect(app.fake.calls.filter((call) => call.operationName === "DiscountCodeBasicCreate" && JSON.stringify(call.variables).includes(code))).toHaveLength(1);

    await page.goto(`${storefront.origin}/cart`);
    expect(await page.locator(`[data-discount-code="${code}"]`).textContent()).toContain(`Discount code ${code} is applied`);

    // Coming back later, the widget lists the code among her rewards and the spend in her history.
    await page.goto(`${storefront.origin}/`);
    await openPanel();
    await expect.poll(() => panel().getByText("Your rewards").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await panel().locator(".rl-code").first().textContent()).toBe(code);
    expect(await panel().getByText("-500").isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

/** The friend's discounts the fake Admin API was asked to create. */
const referralDiscountCalls = () => app.fake.calls.filter((call) => call.operationName === "DiscountCodeBasicCreate" && JSON.stringify(call.variables).includes("Referral discount"));

async function referrals() {
  const { rows } = await app.db.pool.query(
    `select referrer."shopifyCustomerId" as referrer, friend."shopifyCustomerId" as friend, r.status::text, r.refusal, r."friendDiscountCode"
       from "Referral" r join "Customer" referrer on referrer.id = r."referrerId" join "Customer" friend on friend.id = r."friendId"`,
  );
  return rows;
}

// Ann shares her link; a friend follows it. The tests run in order after Ann's visit above.
describe("a referral from the storefront", () => {
  test("Ann opens her own link: the widget shows the offer, and refuses it as self-referral without creating a code", async () => {
    await page.goto(`${storefront.origin}/`);
    await openPanel();
    const link = await panel().getByRole("textbox", { name: "Refer a friend" }).inputValue({ timeout: 15_000 });
    annReferralCode = new URL(link).searchParams.get("ref")!;

    await page.goto(`${storefront.origin}/?ref=${annReferralCode}`);
    await openPanel();
    const gift = panel().locator("section").filter({ has: page.getByRole("heading", { name: "A gift from your friend" }) });
    await expect.poll(() => gift.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await gift.textContent()).toContain("Your friend gave you 10% off your first order."); // the program's default offer
    await gift.getByRole("button", { name: "Get my discount" }).click();
    await expect.poll(() => gift.getByRole("alert").textContent(), { timeout: 15_000 }).toBe("That's your own referral link: share it with friends instead.");
    expect(referralDiscountCalls()).toEqual([]);
    expect(await referrals()).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem("rl-ref"))).toBeNull();
  });

  test("Ben, a friend, follows the link as a guest, browses, signs up from the widget and gets a discount code Shopify knows, applied in his cart", async () => {
    friendContext = await browser.newContext({ locale: "en-US" });
    const friend = await friendContext.newPage();
    friend.on("pageerror", (error) => pageErrors.push(error.message));
    const proxied: string[] = [];
    friend.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/apps/rewards/")) proxied.push(`${request.method()} ${url.pathname}`);
    });
    const friendPanel = () => friend.getByRole("dialog");
    const gift = () => friendPanel().locator("section").filter({ has: friend.getByRole("heading", { name: "A gift from your friend" }) });

    await friend.goto(`${storefront.origin}/?ref=${annReferralCode}`);
    await friend.goto(`${storefront.origin}/products/organic-tee`); // browsing on: the link is kept
    await friend.getByRole("button", { name: "Rewards" }).click();
    await expect.poll(() => gift().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await gift().textContent()).toContain("Your friend gave you 10% off your first order.");
    expect(await gift().textContent()).toContain("Create an account or sign in to get it.");
    await gift().getByRole("link", { name: "Join now" }).click();

    await friend.getByLabel("First name").fill(BEN.firstName);
    await friend.getByLabel("Email").fill(BEN.email);
    await friend.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => friend.getByText("Signed in as Ben").isVisible()).toBe(true);

    await friend.getByRole("button", { name: "Rewards" }).click();
    await expect.poll(() => gift().getByRole("button", { name: "Get my discount" }).isVisible(), { timeout: 15_000 }).toBe(true);
    await gift().getByRole("button", { name: "Get my discount" }).click();
    const status = gift().getByRole("status");
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(CODE);
    const code = CODE.exec((await status.textContent())!)![0];
    expect(await status.textContent()).toContain("It's applied to your cart");
    expect(proxied.filter((request) => request.startsWith("POST"))).toEqual(["POST /apps/rewards/referral"]);

    // Shopify was asked for that code, single-use, for Ben only; the referral waits for his first paid order.
    const calls = referralDiscountCalls();
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0].variables)).toContain(code);
    expect(JSON.stringify(calls[0].variables)).toContain(`gid://shopify/Customer/${BEN.id}`);
    expect(await referrals()).toEqual([{ referrer: ANN.id, friend: BEN.id, status: "pending", refusal: null, friendDiscountCode: code }]);

    await friend.goto(`${storefront.origin}/cart`);
    expect(await friend.locator(`[data-discount-code="${code}"]`).textContent()).toContain(`Discount code ${code} is applied`);
    expect(pageErrors).toEqual([]);
  });

  test("the friend's first paid order pays Ann the referral points", async () => {
    expect(await balanceInDatabase()).toBe(112);
    const world = await LoyaltyWorld.start(app.db);
    try {
      const now = new Date();
      const paid = order({ orderId: 5151, customerId: Number(BEN.id), name: BEN.firstName, createdAt: now, subtotalMinor: 4_000 });
      // Ben lives elsewhere: an order shipped to Ann's address would be refused as the same household.
      const elsewhere = { address1: "7 Friend Lane", city: "Turku", zip: "20100", country_code: "FI", country: "Finland" };
      Object.assign(paid.shipping_address, elsewhere);
      Object.assign(paid.customer.default_address, elsewhere);
      await world.deliverAndProcess(SHOP, [{ topic: "orders/paid", payload: paid }], now);
    } finally {
      await world.stop();
    }
    expect(await balanceInDatabase()).toBe(612); // 112 + 500 for referring Ben
    expect(await referrals()).toEqual([expect.objectContaining({ referrer: ANN.id, friend: BEN.id, status: "completed", refusal: null })]);
  });
});
