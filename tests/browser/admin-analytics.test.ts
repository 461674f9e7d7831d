/** Analytics in a real browser: the charts are drawn by Polaris Viz from the shop's ledger. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startAdminApp, type AdminApp, type AdminPage } from "./admin-app";

let app: AdminApp;
let admin: AdminPage;

beforeAll(async () => {
  app = await startAdminApp();
  admin = await app.newPage();
  await admin.open("/app");
  const shopId = await app.shopId();
  // Three customers earning over the last months, one of them redeeming.
  await app.database.pool.query(
    `with c as (insert into "Customer" ("shopId", "shopifyCustomerId", email, "tierId") select $1, 'a' || n, 'a' || n || '@example.com', case when n = 1 then 'gold' end from generate_series(1, 3) n returning id)
     insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey")
     select $1, c.id, 'order_earn', 100 * m, now() - make_interval(months => m), now() - make_interval(months => m), 'k' || c.id || '-' || m from c cross join generate_series(0, 4) m`,
    [shopId],
  );
  await app.database.pool.query(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey")
     select $1, id, 'redemption', -250, now(), now(), 'redeem-1' from "Customer" where "shopId" = $1 and "shopifyCustomerId" = 'a1'`,
    [shopId],
  );
});

afterAll(async () => {
  await app?.stop();
});

test("the points chart and the tier chart render with data", async () => {
  await admin.open("/app/analytics");
  await expect.poll(() => admin.page.getByText("Points issued and redeemed per month").count()).toBe(1);
  const line = admin.page.locator('figure[data-chart="line"]');
  await expect.poll(() => line.locator("svg path").count(), { timeout: 15_000 }).toBeGreaterThan(1);
  const donut = admin.page.locator('figure[data-chart="donut"]');
  await expect.poll(() => donut.locator("svg path").count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // 3 customers × (100 + 200 + 300 + 400) issued, 250 redeemed.
  await expect.poll(() => admin.page.getByText("3,000", { exact: true }).count()).toBe(1);
  await expect.poll(() => admin.page.getByText("8.3 %", { exact: true }).count()).toBe(1);
});
