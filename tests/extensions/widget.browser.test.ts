/**
 * The storefront widget in a real headless Chromium. A node:http server on 127.0.0.1 plays the shop: it serves a
 * page with the app embed rendered from the extension's own Liquid (tests/extensions/support/theme.ts), the
 * extension's assets as `asset_url` points to them, the App Proxy endpoints answered from fixtures, and
 * Shopify's `/discount/CODE`, which stores the code for checkout in a cookie and redirects.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { launchBrowser } from "../support/browser";
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

  if (url.pathname === "/") {
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
    expect(await launcher.getAttribute("aria-expanded")).toBe("false");
    expect(await launcher.evaluate((el) => el === document.activeElement)).toBe(true);

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
