/**
 * The storefront widget in a real headless Chromium. A node:http server on 127.0.0.1 plays the shop: it serves a
 * page with the app embed rendered from the extension's own Liquid (tests/extensions/support/theme.ts), the
 * extension's assets as `asset_url` points to them, the App Proxy endpoints answered from fixtures, and
 * Shopify's `/discount/CODE`, which stores the code for checkout in a cookie and redirects. `/` and
 * `/products/tee` are the same page, so a shopper can browse from one to the other.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { launchBrowser } from "../../scripts/lib/browser";
import { FIVE_OFF_REDEEMED, memberAnn, programResponse, refusal, STORE_CREDIT_REDEEMED } from "./fixtures/program";
import { ASSET_PATH, ASSETS_DIR, renderBlock } from "./support/theme";

interface Reply {
  status: number;
  body: unknown;
}
interface Seen {
  method: string;
  path: string;
  body: string;
}

let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let seen: Seen[];
let programReply: Reply;
let redeemReply: Reply;
let referralReply: Reply;
let embedHtml: string;
let blocksHtml = "";

function json(res: ServerResponse, { status, body }: Reply) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url!, origin);
  seen.push({ method: req.method!, path: url.pathname, body: Buffer.concat(chunks).toString() });

  if (url.pathname === "/" || url.pathname === "/products/tee") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo store</title></head>` +
        `<body><main><h1>Demo store</h1><p>Products and more products.</p>${blocksHtml}</main>${embedHtml}</body></html>`,
    );
  } else if (url.pathname.startsWith(ASSET_PATH)) {
    const name = path.basename(url.pathname);
    const type = name.endsWith(".js") ? "text/javascript" : "text/css";
    res.writeHead(200, { "Content-Type": type }).end(await readFile(path.join(ASSETS_DIR, name)));
  } else if (url.pathname === "/apps/rewards/program" && req.method === "GET") {
    json(res, programReply);
  } else if (url.pathname === "/apps/rewards/redeem" && req.method === "POST") {
    json(res, redeemReply);
  } else if (url.pathname === "/apps/rewards/referral" && req.method === "POST") {
    json(res, referralReply);
  } else if (url.pathname.startsWith("/discount/")) {
    const code = decodeURIComponent(url.pathname.slice("/discount/".length));
    res.writeHead(302, { Location: "/", "Set-Cookie": `discount_code=${encodeURIComponent(code)}; Path=/` }).end();
  } else {
    res.writeHead(404).end();
  }
}

const requestsTo = (prefix: string) => seen.filter((request) => request.path.startsWith(prefix));

async function openStore() {
  await page.goto(origin);
  await page.waitForLoadState("networkidle");
}

async function openPanel() {
  await page.getByRole("button", { name: "Rewards" }).click();
  await expect.poll(() => page.getByRole("dialog").isVisible()).toBe(true);
}

beforeAll(async () => {
  embedHtml = await renderBlock("loyalty-embed", { customer: { id: 1, first_name: "Ann" } });
  server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  seen = [];
  blocksHtml = "";
  programReply = { status: 200, body: programResponse() };
  redeemReply = { status: 200, body: FIVE_OFF_REDEEMED };
  referralReply = { status: 200, body: { code: "RE-FRND-GIFT" } };
  await context?.close();
  context = await browser.newContext({ locale: "en-US" });
  page = await context.newPage();
});

describe("the rewards launcher", () => {
  test("appears without blocking rendering or shifting the page, and fetches nothing until it is opened", async () => {
    await page.addInitScript(() => {
      (window as unknown as { layoutShift: number }).layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as unknown as { layoutShift: number }).layoutShift += (entry as unknown as { value: number }).value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await openStore();

    await expect.poll(() => page.getByRole("button", { name: "Rewards" }).isVisible()).toBe(true);
    expect(requestsTo("/apps/rewards")).toEqual([]);
    const blocking = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => [new URL(entry.name).pathname, (entry as PerformanceResourceTiming & { renderBlockingStatus: string }).renderBlockingStatus]),
    );
    expect(blocking).toEqual(
      expect.arrayContaining([
        ["/assets/loyalty.js", "non-blocking"],
        ["/assets/loyalty.css", "non-blocking"],
      ]),
    );

    await openPanel();
    await expect.poll(() => page.getByText("1,234 points").first().isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift)).toBe(0);
  });

  test("opens a panel with the customer's balance, tier and progress, and Escape closes it back to the launcher", async () => {
    await openStore();
    const launcher = page.getByRole("button", { name: "Rewards" });
    await openPanel();

    const panel = page.getByRole("dialog");
    await expect.poll(() => panel.getByText("1,234 points").first().isVisible()).toBe(true);
    expect(await panel.getByText("Hi Ann").isVisible()).toBe(true);
    expect(await panel.getByText("50 points pending").isVisible()).toBe(true);
    expect(await panel.getByText("Your tier: Gold").isVisible()).toBe(true);
    const progress = panel.getByRole("progressbar");
    expect(await progress.getAttribute("aria-valuenow")).toBe("40");
    expect(await progress.getAttribute("aria-label")).toBe("$200.00 more to reach Platinum");
    expect(await panel.getByText("Order #1001").isVisible()).toBe(true);
    expect(await panel.locator("input[readonly]").inputValue()).toBe("https://demo-shop.myshopify.com/?ref=ANN123");
    // Only what the balance covers can be redeemed; the tier-only reward is marked as such.
    expect(await panel.getByRole("button", { name: "Redeem" }).count()).toBe(3);
    expect(await panel.getByText("1,766 points more needed").isVisible()).toBe(true);
    expect(await panel.getByText("100 points · Platinum members only").isVisible()).toBe(true);
    expect(await launcher.getAttribute("aria-expanded")).toBe("true");
    expect(requestsTo("/apps/rewards/program")).toHaveLength(1);

    await page.keyboard.press("Escape");
    await expect.poll(() => panel.isVisible()).toBe(false);
    // The dialog's close event (which resets the launcher) is a task queued after the dialog hides.
    await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("false");
    await expect.poll(() => launcher.evaluate((el) => el === document.activeElement)).toBe(true);

    await openPanel();
    expect(requestsTo("/apps/rewards/program")).toHaveLength(1); // loaded once per page
  });

  test("shows a guest how the program works, with links to join and sign in", async () => {
    programReply = { status: 200, body: programResponse(null) };
    await openStore();
    await openPanel();

    const panel = page.getByRole("dialog");
    await expect.poll(() => panel.getByText("How it works").isVisible()).toBe(true);
    expect(await panel.getByRole("link", { name: "Join now" }).getAttribute("href")).toBe("/account/register");
    expect(await panel.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
    expect(await panel.getByText("1 point for every $1.00 spent").isVisible()).toBe(true);
    expect(await panel.getByText("$5 off").isVisible()).toBe(true);
    expect(await panel.getByRole("button", { name: "Redeem" }).count()).toBe(0);
  });

  test("uses the merchant's own texts over the theme's", async () => {
    programReply = { status: 200, body: programResponse(memberAnn(), { rewards: "Treats", "points.other": "{count} stars" }) };
    await openStore();
    await openPanel();

    const panel = page.getByRole("dialog");
    await expect.poll(() => panel.getByRole("heading", { name: "Treats" }).isVisible()).toBe(true);
    expect(await panel.getByText("1,234 stars").isVisible()).toBe(true);
  });

  test("says so, and offers to try again, when the program cannot be loaded", async () => {
    programReply = { status: 503, body: refusal("unavailable", "down") };
    await openStore();
    await openPanel();

    const panel = page.getByRole("dialog");
    await expect.poll(() => panel.getByRole("alert").textContent()).toBe("We couldn't load the rewards program. Please try again.");
    programReply = { status: 200, body: programResponse() };
    await panel.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => panel.getByText("1,234 points").first().isVisible()).toBe(true);
  });
});

describe("redeeming from the panel", () => {
  test("shows the new code, puts it in the cart through /discount/CODE and updates the balance", async () => {
    await openStore();
    await openPanel();
    const panel = page.getByRole("dialog");
    await panel.getByRole("button", { name: "Redeem" }).first().click();

    const status = panel.getByRole("status");
    await expect.poll(() => status.textContent()).toContain("RE-ABCD-EFGH");
    expect(await status.textContent()).toContain("It's applied to your cart: you'll see the discount at checkout.");
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(requestsTo("/apps/rewards/redeem").map((request) => JSON.parse(request.body))).toEqual([{ rewardId: "r_1" }]);
    expect(requestsTo("/discount/").map((request) => request.path)).toEqual(["/discount/RE-ABCD-EFGH"]);
    expect((await context.cookies()).find((cookie) => cookie.name === "discount_code")?.value).toBe("RE-ABCD-EFGH");
    expect(await panel.getByText("734 points").first().isVisible()).toBe(true);
  });

  test("shows the server's message when the redemption is refused, and touches no cart", async () => {
    redeemReply = { status: 409, body: refusal("insufficient_points", "You need 266 more points for this reward.") };
    await openStore();
    await openPanel();
    const panel = page.getByRole("dialog");
    await panel.getByRole("button", { name: "Redeem" }).first().click();

    await expect.poll(() => panel.getByRole("alert").textContent()).toContain("You need 266 more points for this reward.");
    expect(requestsTo("/discount/")).toEqual([]);
    expect(await panel.getByText("1,234 points").first().isVisible()).toBe(true);
  });

  test("tells the shopper where store credit went, with no code to apply", async () => {
    redeemReply = { status: 200, body: STORE_CREDIT_REDEEMED };
    await openStore();
    await openPanel();
    const panel = page.getByRole("dialog");
    await panel.getByRole("listitem").filter({ hasText: "$5 store credit" }).getByRole("button", { name: "Redeem" }).click();

    await expect.poll(() => panel.getByRole("status").textContent()).toContain("$5.00 was added to your store credit.");
    expect(requestsTo("/apps/rewards/redeem").map((request) => JSON.parse(request.body))).toEqual([{ rewardId: "r_5" }]);
    expect(requestsTo("/discount/")).toEqual([]);
  });
});

describe("the theme blocks", () => {
  test("fill in the balance and the rewards on the page they are placed on, with one request", async () => {
    const config = { customer: { id: 1, first_name: "Ann" } };
    blocksHtml = (await renderBlock("points-balance", config)) + (await renderBlock("rewards-list", config));
    await openStore();

    const main = page.getByRole("main");
    await expect.poll(() => main.getByText("1,234 points").first().isVisible()).toBe(true);
    expect(await main.getByRole("button", { name: "Redeem" }).count()).toBe(3);
    expect(requestsTo("/apps/rewards/program")).toHaveLength(1);
  });
});

describe("a friend who follows a referral link", () => {
  const FRIEND_CODE = "FRND23456789";
  const kept = () => page.evaluate(() => localStorage.getItem("rl-ref"));
  const hasGiftDot = () => page.locator("#rl-root").evaluate((el) => el.classList.contains("rl--gift"));
  const gift = () => page.getByRole("dialog").locator("section").filter({ has: page.getByRole("heading", { name: "A gift from your friend" }) });

  test("as a guest: the code is kept while browsing, nothing is fetched before opening, and the panel shows the offer with sign-up and sign-in", async () => {
    programReply = { status: 200, body: programResponse(null) };
    await page.goto(`${origin}/?ref=${FRIEND_CODE.toLowerCase()}`);
    await page.waitForLoadState("networkidle");
    expect(await kept()).toBe(FRIEND_CODE);
    await expect.poll(hasGiftDot).toBe(true);
    expect(requestsTo("/apps/rewards")).toEqual([]);

    // Another page without the parameter: the code is still there.
    await page.goto(`${origin}/products/tee`);
    await page.waitForLoadState("networkidle");
    expect(await kept()).toBe(FRIEND_CODE);
    await expect.poll(hasGiftDot).toBe(true);
    expect(requestsTo("/apps/rewards")).toEqual([]);

    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    expect(await gift().getByText("Your friend gave you $10.00 off your first order.").isVisible()).toBe(true);
    expect(await gift().getByText("on orders over $50.00").isVisible()).toBe(true);
    expect(await gift().getByText("Create an account or sign in to get it.").isVisible()).toBe(true);
    // The links move up to the offer: one of each in the panel.
    expect(await page.getByRole("dialog").getByRole("link", { name: "Join now" }).count()).toBe(1);
    expect(await gift().getByRole("link", { name: "Join now" }).getAttribute("href")).toBe("/account/register");
    expect(await gift().getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
    expect(await gift().getByRole("button").count()).toBe(0);
    expect(requestsTo("/apps/rewards/referral")).toEqual([]);
  });

  test("logged in: claims the discount through the App Proxy, shows the code, applies it to the cart and forgets the link", async () => {
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await page.waitForLoadState("networkidle");
    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    await gift().getByRole("button", { name: "Get my discount" }).click();

    const status = gift().getByRole("status");
    await expect.poll(() => status.textContent()).toContain("RE-FRND-GIFT");
    expect(await status.textContent()).toContain("It's applied to your cart: you'll see the discount at checkout.");
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(requestsTo("/apps/rewards/referral").map((request) => [request.method, JSON.parse(request.body)])).toEqual([["POST", { code: FRIEND_CODE }]]);
    expect(requestsTo("/discount/").map((request) => request.path)).toEqual(["/discount/RE-FRND-GIFT"]);
    expect((await context.cookies()).find((cookie) => cookie.name === "discount_code")?.value).toBe("RE-FRND-GIFT");
    expect(await gift().getByRole("button", { name: "Get my discount" }).count()).toBe(0);
    expect(await kept()).toBeNull();
    expect(await hasGiftDot()).toBe(false);

    // The next page no longer offers it.
    await openStore();
    await openPanel();
    await expect.poll(() => page.getByRole("dialog").getByText("Hi Ann").isVisible()).toBe(true);
    expect(await gift().count()).toBe(0);
  });

  test("a refusal is shown in the shopper's words, touches no cart, and the refused link is forgotten", async () => {
    referralReply = { status: 409, body: refusal("self_referral", "You cannot refer yourself.") };
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    await gift().getByRole("button", { name: "Get my discount" }).click();

    await expect.poll(() => gift().getByRole("alert").textContent()).toBe("That's your own referral link: share it with friends instead.");
    expect(requestsTo("/discount/")).toEqual([]);
    expect(await gift().getByRole("button", { name: "Get my discount" }).count()).toBe(0);
    expect(await kept()).toBeNull();
  });

  test("a rate limit keeps the link to try again, and the second try gets the code", async () => {
    referralReply = { status: 429, body: refusal("rate_limited", "Too many requests. Please try again in 41 seconds.") };
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    await gift().getByRole("button", { name: "Get my discount" }).click();

    await expect.poll(() => gift().getByRole("alert").textContent()).toBe("Too many attempts. Please try again in a minute.");
    expect(await kept()).toBe(FRIEND_CODE);
    referralReply = { status: 200, body: { code: "RE-FRND-GIFT" } };
    await gift().getByRole("button", { name: "Get my discount" }).click();
    await expect.poll(() => gift().getByRole("status").textContent()).toContain("RE-FRND-GIFT");
    expect(requestsTo("/apps/rewards/referral")).toHaveLength(2);
  });

  test("an unexpected refusal shows the server's message", async () => {
    referralReply = { status: 403, body: refusal("program_off", "The rewards program is not running at the moment.") };
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    await gift().getByRole("button", { name: "Get my discount" }).click();
    await expect.poll(() => gift().getByRole("alert").textContent()).toBe("The rewards program is not running at the moment.");
  });

  test("a percentage offer is formatted for the storefront; a ?ref= that is not one of our codes is left alone", async () => {
    programReply = { status: 200, body: programResponse(memberAnn(), {}, { friendDiscount: { type: "percentage", percent: 15, minimumOrderMinor: 0 } }) };
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await openPanel();
    await expect.poll(() => gift().isVisible()).toBe(true);
    expect(await gift().textContent()).toContain("Your friend gave you 15% off your first order.");
    expect(await gift().textContent()).not.toContain("on orders over");

    const other = await browser.newContext({ locale: "en-US" });
    const visitor = await other.newPage();
    await visitor.goto(`${origin}/?ref=producthunt`);
    await visitor.waitForLoadState("networkidle");
    expect(await visitor.evaluate(() => localStorage.getItem("rl-ref"))).toBeNull();
    await visitor.getByRole("button", { name: "Rewards" }).click();
    await expect.poll(() => visitor.getByText("Hi Ann").isVisible()).toBe(true);
    expect(await visitor.getByRole("heading", { name: "A gift from your friend" }).count()).toBe(0);
    await other.close();
  });

  test("no offer when the shop has referrals switched off", async () => {
    programReply = { status: 200, body: programResponse(memberAnn(), {}, null) };
    await page.goto(`${origin}/?ref=${FRIEND_CODE}`);
    await openPanel();
    await expect.poll(() => page.getByRole("dialog").getByText("Hi Ann").isVisible()).toBe(true);
    expect(await gift().count()).toBe(0);
  });
});
