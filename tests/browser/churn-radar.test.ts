/**
 * The Churn radar as a merchant uses it, in headless Chromium against the built app, a worker and the fake Admin
 * API: refit from the page and watch it finish, read the metrics, charts and cohort heat-map, launch a win-back
 * campaign and open its report, follow up a detractor, and change the definition of "lost".
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { insertOrderFacts, type TestOrder } from "../integration/churn/support";
import { startAdminApp, type AdminApp, type AdminPage } from "./admin-app";

let app: AdminApp;
let admin: AdminPage;
let shopId: number;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startAdminApp({ worker: true });
  admin = await app.newPage();
  await admin.open("/app");
  shopId = await app.shopId();
  // 400 customers over the last 14 months: each buys every 10–49 days and stops at a different point, so every
  // risk level and most segments are present.
  const today = Math.floor(Date.now() / DAY);
  const orders: TestOrder[] = [];
  for (let c = 0; c < 400; c += 1) {
    const every = 10 + (c % 40);
    const stop = today - ((c * 7) % 300);
    for (let day = today - 420 + (c % 60); day <= stop; day += every) {
      orders.push({ orderId: `b${c}-${day}`, customerId: String(70_000 + c), orderedAt: new Date(day * DAY + 11 * 3_600_000), amountMinor: 1_500 + (c % 9) * 700 });
    }
  }
  await insertOrderFacts(app.database.pool, shopId, orders);
});

afterAll(async () => {
  await app?.stop();
});

test("Refit now runs the models in the worker; the page shows retention with its definition, charts and the cohort heat-map", async () => {
  await admin.open("/app/churn");
  const page = admin.page;
  await expect.poll(() => page.getByText("No scores yet").count()).toBe(1);
  await page.getByRole("button", { name: "Refit now" }).click();
  await expect.poll(() => page.getByText(/^Retention in /).count(), { timeout: 60_000 }).toBe(1);
  await expect.poll(() => page.getByText("A customer is lost when they have placed no order in the last 90 days", { exact: false }).count()).toBe(1);
  await expect.poll(() => page.getByText("Under 5 % a month is good, above 10 % alarming.", { exact: false }).count()).toBe(1);
  await expect.poll(() => page.locator('figure[data-chart="line"] svg path').count(), { timeout: 15_000 }).toBeGreaterThan(1);
  await expect.poll(() => page.locator('figure[data-chart="donut"] svg path').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const heatmap = page.getByRole("table", { name: "Cohort retention heat-map" });
  // The customers' first orders fall in three months; each cohort's month 0 is 100 % by definition.
  await expect.poll(() => heatmap.locator("tbody tr").count()).toBe(3);
  for (let row = 0; row < 3; row += 1) expect(await heatmap.locator("tbody tr").nth(row).locator("td").nth(1).textContent()).toBe("100");
  await expect.poll(() => page.getByText("Last refit", { exact: false }).count(), { timeout: 60_000 }).toBe(1);
  const run = await app.database.prisma.churnRun.findFirstOrThrow({ where: { shopId }, orderBy: { id: "desc" } });
  expect(run).toMatchObject({ status: "succeeded", customers: 400, timeUnit: "days" });
}, 180_000);

test("a win-back campaign is launched from the form, the offers go out, and its report opens", async () => {
  await admin.open("/app/churn/campaigns");
  const page = admin.page;
  await page.getByLabel("Name").fill("Come back, spring");
  await page.getByRole("button", { name: "Launch campaign" }).click();
  const row = page.getByRole("row", { name: /Come back, spring/ });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  const campaign = await app.database.prisma.winBackCampaign.findFirstOrThrow({ where: { shopId } });
  const members = await app.database.prisma.winBackMember.groupBy({ by: ["group"], where: { campaignId: campaign.id }, _count: { _all: true } });
  expect(members.map((m) => m.group).sort()).toEqual(["holdout", "treated"]);
  await expect
    .poll(async () => (await app.database.prisma.winBackCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status, { timeout: 60_000 })
    .toBe("active");
  await row.getByRole("link", { name: "Come back, spring" }).click();
  await expect.poll(() => page.getByText("Treated who bought again").count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.getByText("Hold-out who bought again").count()).toBe(1);
}, 120_000);

test("a detractor is marked contacted from the feedback page", async () => {
  await app.database.prisma.feedbackResponse.create({
    data: { shopId, customerId: "70001", kind: "nps", orderId: "", score: 2, comment: "The parcel arrived broken", answeredAt: new Date(), followUp: "open" },
  });
  await admin.open("/app/churn/feedback");
  const page = admin.page;
  await expect.poll(() => page.getByText("The parcel arrived broken").count()).toBe(1);
  await page.getByRole("button", { name: "Mark contacted" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Mark resolved" }).count(), { timeout: 15_000 }).toBe(1);
  expect((await app.database.prisma.feedbackResponse.findFirstOrThrow({ where: { shopId } })).followUp).toBe("contacted");
});

test("the definition of lost is edited with field errors, and saved", async () => {
  await admin.open("/app/churn/settings");
  const page = admin.page;
  const days = page.getByLabel("Days without an order");
  await days.fill("5");
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.getByText("At least 7 days").count(), { timeout: 15_000 }).toBe(1);
  await days.fill("60");
  await page.getByRole("button", { name: "Save" }).click();
  await expect
    .poll(async () => (await app.database.prisma.churnSettings.findUnique({ where: { shopId } }))?.settings, { timeout: 15_000 })
    .toMatchObject({ lost: { kind: "noOrderWithin", days: 60 } });
});
