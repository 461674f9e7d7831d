/** Onboarding and the Program page in a real browser: the checklist follows what the merchant really does. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAdminApp, type AdminApp, type AdminPage } from "./admin-app";

let app: AdminApp;
let admin: AdminPage;

beforeAll(async () => {
  app = await startAdminApp();
  admin = await app.newPage();
});

afterAll(async () => {
  await app?.stop();
});

const stepState = (id: string) => admin.page.locator(`#step-${id} .Polaris-Badge`).first().textContent();
const toast = () => admin.page.locator('[role="status"].demo-toast').allTextContents();

describe("onboarding", () => {
  test("the checklist starts from the shop's real state", async () => {
    await admin.open("/app");
    await expect.poll(() => admin.page.getByText("Set up your program").count()).toBe(1);
    // The fake theme has the widget's app embed switched on; nothing else is done yet.
    expect(await admin.page.getByText("1 of 6 done", { exact: true }).count()).toBe(1);
    expect(await stepState("widget")).toContain("Done");
    expect(await stepState("program")).toContain("To do");
    expect(await admin.page.locator("#step-widget").count()).toBe(1);
  });

  test("switching the program on, saving earning rules and creating a reward tick their steps", async () => {
    await admin.open("/app/program");
    await admin.page.locator('form[aria-label="status"]').getByLabel("Program is on").check();
    await admin.page.locator('form[aria-label="status"]').getByRole("button", { name: "Save" }).click();
    await expect.poll(toast, { timeout: 15_000 }).toContain("Program status saved");

    await admin.page.locator('form[aria-label="earning"]').getByRole("button", { name: "Save" }).click();
    await expect.poll(toast, { timeout: 15_000 }).toContain("Earning rules saved");

    await admin.open("/app/rewards/new");
    await admin.page.getByLabel("Name shown to customers").fill("$10 off");
    await admin.page.getByLabel("Points cost").fill("1000");
    await admin.page.getByLabel("Amount (USD)").fill("10.00");
    await admin.page.getByRole("button", { name: "Create reward" }).click();
    await expect.poll(toast, { timeout: 15_000 }).toContain("Reward created");
    await expect.poll(() => new URL(admin.page.url()).pathname).toMatch(/^\/app\/rewards\/\d+$/);

    await admin.open("/app");
    await expect.poll(() => admin.page.getByText("4 of 6 done", { exact: true }).count()).toBe(1);
    expect(await stepState("program")).toContain("Done");
    expect(await stepState("earning")).toContain("Done");
    expect(await stepState("reward")).toContain("Done");
    expect(await stepState("tiers")).toContain("To do");
  });
});

describe("the Program page", () => {
  test("an invalid value is refused next to its field and nothing is saved", async () => {
    await admin.open("/app/program");
    const earning = admin.page.locator('form[aria-label="earning"]');
    await earning.getByLabel("Points", { exact: true }).fill("-5");
    await earning.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => earning.locator(".Polaris-InlineError").allTextContents()).toEqual([expect.stringMatching(/>=0|at least|too small/i)]);
    const { rows } = await app.database.pool.query(`select settings->'earning'->>'points' as points from "LoyaltyProgram" where "shopId" = $1`, [await app.shopId()]);
    expect(rows[0].points).toBe("1");
  });

  test("the new reward is listed, and archiving it keeps it listed as archived", async () => {
    await admin.open("/app/program");
    const row = admin.page.locator("tr", { hasText: "$10 off" });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole("button", { name: "Archive" }).click();
    await expect.poll(toast, { timeout: 15_000 }).toContain("Reward archived");
    await expect.poll(() => row.getByText("Archived").count()).toBe(1);
  });

  test("the tier preview says who would move before anything is saved", async () => {
    const shopId = await app.shopId();
    await app.database.pool.query(
      `with c as (insert into "Customer" ("shopId", "shopifyCustomerId", email) select $1, 'p' || n, 'p' || n || '@example.com' from generate_series(1, 3) n returning id, "shopifyCustomerId")
       insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "spendMinor", "paidAt") select $1, 'po-' || "shopifyCustomerId", id, '{}', 20000, now() from c`,
      [shopId],
    );
    await admin.open("/app/program");
    const tiers = admin.page.locator('form[aria-label="tiers"]');
    await tiers.getByLabel("From (USD)").first().fill("300.00");
    await tiers.getByRole("button", { name: "Preview changes" }).click();
    await expect.poll(() => tiers.getByText(/customers move up, .* move down/).textContent()).toContain("0 customers move up, 3 move down");
    const { rows } = await app.database.pool.query(`select settings->'tiers'->'levels'->0->>'threshold' as threshold from "LoyaltyProgram" where "shopId" = $1`, [shopId]);
    expect(rows[0].threshold ?? "10000").toBe("10000");
  });
});
