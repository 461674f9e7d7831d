/**
 * `npx tsx scripts/screenshots.ts`: the screenshots in docs/screenshots/, taken from a running demo (`npm run demo`)
 * in headless Chromium, 1200 px wide, full page. Re-runnable: it reads what it needs from the demo itself (the
 * storefront's example logins, the customers list, existing campaigns and imports).
 *
 *   ADMIN_URL       the demo's admin (default http://localhost:3000)
 *   STOREFRONT_URL  the demo's storefront (default http://localhost:3002)
 *   OUT             where the PNG files go (default docs/screenshots)
 *
 * What it does to the demo's data, as a merchant and shoppers trying it would: redeems one reward for the first
 * example customer, starts (and leaves at the offer) one cancellation, checks and imports a small Smile.io file
 * for two customers (rows already imported are skipped on a re-run), and launches one win-back campaign for the
 * smallest segment when the shop has none.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { DESKTOP_CHROME_UA, launchBrowser } from "./lib/browser";

const ADMIN_URL = (process.env.ADMIN_URL ?? "http://localhost:3000").replace(/\/$/, "");
const STOREFRONT_URL = (process.env.STOREFRONT_URL ?? "http://localhost:3002").replace(/\/$/, "");
const OUT = resolve(process.env.OUT ?? "docs/screenshots");
const VIEWPORT = { width: 1200, height: 860 };
const CODE = /RE-[A-Z0-9]{4}-[A-Z0-9]{4}/;
const say = (line: string) => process.stdout.write(`${line}\n`);

const taken: string[] = [];
const problems = new Set<string>();

async function newContext(browser: Browser): Promise<BrowserContext> {
  // The admin answers bot user agents (HeadlessChrome among them) with 410.
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: VIEWPORT, locale: "en-US", deviceScaleFactor: 1 });
  context.setDefaultTimeout(30_000);
  return context;
}

/** What went wrong on a page, once each, without the admin's long query string. */
function watch(page: Page) {
  const where = () => new URL(page.url()).pathname;
  page.on("pageerror", (error) => problems.add(`${where()}: page error: ${error.message}`));
  page.on("console", (message) => {
    // Failed loads are reported with their address by the two handlers below.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.add(`${where()}: console error: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.add(`${where()}: HTTP ${response.status()} for ${response.url().split("?")[0]}`);
  });
  page.on("requestfailed", (request) => problems.add(`${where()}: ${request.failure()?.errorText} for ${request.url().split("?")[0]}`));
}

/** Settled: no request for 500 ms, the heading visible, web fonts loaded, charts' entry animations over. */
async function settle(page: Page, heading: string | RegExp | Locator) {
  await page.waitForLoadState("networkidle");
  const locator = typeof heading === "object" && !(heading instanceof RegExp) ? heading.first() : page.getByRole("heading", { name: heading }).first();
  await locator.waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(800);
}

async function shot(page: Page, file: string, heading: string | RegExp | Locator) {
  await settle(page, heading);
  // The viewport as tall as the page, so that fixed layers (the widget's backdrop and panel) cover all of it.
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, height) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, file), fullPage: true, animations: "disabled", caret: "hide" });
  await page.setViewportSize(VIEWPORT);
  taken.push(file);
  say(`  ${file}`);
}

/** Runs one screenshot's steps; a failure is reported and the next one still runs. */
async function step(name: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    problems.add(`${name}: ${(error as Error).message.split("\n")[0]}`);
    say(`  ${name}: FAILED (${(error as Error).message.split("\n")[0]})`);
  }
}

/** The query string Shopify adds to an embedded app's URL (shop, host, id_token), as the demo's `/` redirects with it. */
async function adminQuery(): Promise<URLSearchParams> {
  const response = await fetch(`${ADMIN_URL}/`, { redirect: "manual", headers: { "user-agent": DESKTOP_CHROME_UA } });
  const location = response.headers.get("location");
  if (!location) throw new Error(`${ADMIN_URL}/ did not redirect to the admin (HTTP ${response.status}); is the demo running?`);
  return new URL(location, ADMIN_URL).searchParams;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const query = await adminQuery();
  const adminUrl = (path: string) => {
    const url = new URL(path, ADMIN_URL);
    for (const [key, value] of query) url.searchParams.set(key, value);
    return url.toString();
  };
  const browser = await launchBrowser();
  try {
    say(`storefront ${STOREFRONT_URL}`);
    await storefront(browser);
    say(`admin ${ADMIN_URL}`);
    await admin(browser, adminUrl);
  } finally {
    await browser.close();
  }
  say(`\n${taken.length} screenshots in ${OUT}`);
  if (problems.size > 0) {
    say(`\n${problems.size} problem(s) seen:`);
    for (const problem of problems) say(`  - ${problem}`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------- storefront

async function storefront(browser: Browser) {
  const context = await newContext(browser);
  const page = await context.newPage();
  watch(page);
  const panel = page.getByRole("dialog");
  const openPanel = async () => {
    await page.getByRole("button", { name: "Rewards" }).click();
    await panel.waitFor({ state: "visible" });
  };
  const rewardsSection = panel.locator("section").filter({ has: page.getByRole("heading", { name: "Rewards", exact: true }) });

  await step("widget-guest", async () => {
    await page.goto(`${STOREFRONT_URL}/`);
    await page.waitForLoadState("networkidle");
    await openPanel();
    await shot(page, "widget-guest.png", panel.getByText("How it works"));
  });

  // The demo's login page names its example customers (the biggest spenders, so they have points to redeem).
  await page.goto(`${STOREFRONT_URL}/account/login`);
  const examples = await page.locator(".note code").allTextContents();
  if (examples.length === 0) throw new Error(`${STOREFRONT_URL}/account/login lists no example customer`);

  await step("widget-member", async () => {
    await logIn(page, examples[0]);
    await openPanel();
    await panel.locator(".rl-balance").waitFor({ state: "visible" });
    await shot(page, "widget-member.png", panel.locator(".rl-balance"));
  });

  await step("widget-redeemed", async () => {
    const redeem = rewardsSection.getByRole("button", { name: "Redeem" }).first();
    await redeem.waitFor({ state: "visible" });
    await redeem.click();
    const status = panel.getByRole("status").filter({ hasText: CODE }).first();
    await status.waitFor({ state: "visible" });
    await shot(page, "widget-redeemed.png", status);
  });
  await context.close();

  // A subscriber with a subscription to cancel: the first example customer has two, the next two one each.
  await step("subscriptions", async () => {
    for (const email of examples) {
      const subscriber = await newContext(browser);
      const sub = await subscriber.newPage();
      watch(sub);
      await logIn(sub, email);
      await sub.goto(`${STOREFRONT_URL}/apps/rewards/subscriptions`);
      await settle(sub, "Your subscriptions");
      const cancel = sub.locator("[data-contract]").getByRole("button", { name: "Cancel subscription" });
      if ((await cancel.count()) === 0) {
        await subscriber.close();
        continue;
      }
      await shot(sub, "subscriptions.png", "Your subscriptions");
      await cancel.first().click();
      await sub.locator('[data-step="survey"]').waitFor({ state: "visible" });
      // A reason the built-in defaults answer with an offer (a pause, or a skip).
      const reason = sub.getByLabel("I have too much product");
      await ((await reason.count()) > 0 ? reason : sub.getByRole("radio").first()).check();
      await shot(sub, "cancel-survey.png", "Your subscriptions");
      await sub.getByRole("button", { name: "Continue" }).click();
      await sub.locator('[data-step="offer"], [data-step="cancelled"]').first().waitFor({ state: "visible" });
      if ((await sub.locator('[data-step="offer"]').count()) === 0) throw new Error(`${email} was offered nothing (cooldown or flow switched off): cancelled`);
      // Left at the offer: neither accepted nor declined, so the subscription stays as it was.
      await shot(sub, "cancel-offer.png", "Before you cancel, how about this?");
      await subscriber.close();
      return;
    }
    throw new Error(`none of ${examples.join(", ")} has a subscription left to cancel`);
  });
}

async function logIn(page: Page, email: string) {
  await page.goto(`${STOREFRONT_URL}/account/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${STOREFRONT_URL}/`);
  await page.waitForLoadState("networkidle");
}

// ---------------------------------------------------------------- admin

async function admin(browser: Browser, adminUrl: (path: string) => string) {
  const context = await newContext(browser);
  const page = await context.newPage();
  watch(page);
  const open = async (path: string) => {
    await page.goto(adminUrl(path));
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  };
  /** Opens the first of the page's links to `href*=linkPath` and screenshots where it leads, named as the link. */
  const openFirstAndShoot = async (linkPath: string, file: string) => {
    const first = page.locator(`a[href*="${linkPath}"]`).first();
    const name = (await first.textContent())?.trim() ?? "";
    await open((await first.getAttribute("href"))!);
    await shot(page, file, name || /./);
  };
  const simple = (file: string, path: string, heading: string) =>
    step(file, async () => {
      await open(path);
      await shot(page, file, heading);
    });

  await simple("home.png", "/app", "Retention Engine");
  await simple("program.png", "/app/program", "Program");

  await step("tier-preview.png", async () => {
    await open("/app/program");
    await settle(page, "Program");
    // Silver (the lowest tier) from $50 instead of $100: who would move, before saving.
    const tiers = page.locator('form[aria-label="tiers"]');
    await tiers.locator('input[name="tiers.levels[0].threshold"]').fill("50.00");
    await tiers.getByRole("button", { name: "Preview changes" }).click();
    const summary = page.getByRole("heading", { name: /^With these rules:/ });
    await summary.waitFor({ state: "visible", timeout: 120_000 });
    await shot(page, "tier-preview.png", summary);
  });

  await simple("reward-new.png", "/app/rewards/new", "New reward");
  await simple("customers.png", "/app/customers", "Customers");

  await step("customer.png", async () => {
    await open("/app/customers");
    await settle(page, "Customers");
    // The first row (the largest balance): a long points history, and the example customer's redemption.
    await openFirstAndShoot("/app/customers/", "customer.png");
  });

  await simple("analytics.png", "/app/analytics", "Analytics");
  await simple("import-export.png", "/app/import", "Import / Export");

  await step("import-preview.png", async () => {
    // A Smile.io customer export for two demo customers, with one bad row.
    const csv = ["Email,First name,Points Balance,VIP tier", "cdnow.11@example.com,Jane,120,Gold", "cdnow.12@example.com,Omar,ninety,Silver", "cdnow.12@example.com,Omar,90,Silver"].join("\n");
    await open("/app/import");
    await settle(page, "Import / Export");
    await page.locator('input[type="file"]').setInputFiles({ name: "smile-customers.csv", mimeType: "text/csv", buffer: Buffer.from(`${csv}\n`) });
    await page.getByRole("button", { name: "Check file" }).click();
    await page.getByText("Check before importing").waitFor({ state: "visible" });
    await shot(page, "import-preview.png", "smile-customers.csv");
    await page.getByRole("button", { name: /^Import \d+ rows?$/ }).click();
    await page.getByText("Import finished").waitFor({ state: "visible", timeout: 120_000 });
    await shot(page, "import-done.png", "smile-customers.csv");
  });

  await simple("billing.png", "/app/billing", "Billing");
  await simple("churn.png", "/app/churn", "Churn radar");

  await step("churn-campaign.png", async () => {
    await open("/app/churn/campaigns");
    await settle(page, "Win-back campaigns");
    const campaigns = page.locator('a[href*="/app/churn/campaigns/"]');
    if ((await campaigns.count()) === 0) await launchCampaign(page);
    await shot(page, "churn-campaigns.png", "Win-back campaigns");
    await openFirstAndShoot("/app/churn/campaigns/", "churn-campaign.png");
  });

  await simple("churn-feedback.png", "/app/churn/feedback", "Feedback");
  await simple("cancel-save.png", "/app/cancel-save", "Cancel-save");
  await simple("cancel-save-settings.png", "/app/cancel-save/settings", "Offers & rules");
  await simple("cancel-save-subscribers.png", "/app/cancel-save/subscribers", "Subscribers");
  await context.close();
}

/** A 15 % code for the smallest RFM segment, any risk, 10 % held out, through the campaigns page's form. */
async function launchCampaign(page: Page) {
  const segment = page.locator('select[name="segment"]');
  const options = await segment.locator("option").evaluateAll((elements) =>
    elements.map((option) => ({ value: (option as HTMLOptionElement).value, label: option.textContent ?? "" })),
  );
  const sized = options
    .map((option) => ({ ...option, customers: Number(/\(([\d,]+)\)$/.exec(option.label)?.[1].replace(/,/g, "") ?? "0") }))
    .filter((option) => option.value && option.customers >= 20)
    .sort((a, b) => a.customers - b.customers);
  if (sized.length === 0) throw new Error("no RFM segment to win back (has the churn radar scored the customers?)");
  await page.getByLabel("Name", { exact: true }).fill("Winter win-back");
  await segment.selectOption(sized[0].value);
  await page.locator('select[name="riskLevel"]').selectOption("");
  await page.getByRole("button", { name: "Launch campaign" }).click();
  await page.locator('a[href*="/app/churn/campaigns/"]').first().waitFor({ state: "visible", timeout: 120_000 });
  // The offers go out in a background job: wait (a while) for it to finish so the page shows the result.
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    await page.waitForTimeout(3_000);
    await page.reload();
    await settle(page, "Win-back campaigns");
    if ((await page.getByText("launching", { exact: true }).count()) === 0) break;
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
