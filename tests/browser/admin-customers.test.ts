/** Customers in a real browser: find a customer, adjust their points, see it in their history. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAdminApp, type AdminApp, type AdminPage } from "./admin-app";

let app: AdminApp;
let admin: AdminPage;
let annId: string;

beforeAll(async () => {
  app = await startAdminApp();
  admin = await app.newPage({ width: 420 }); // the admin's narrow width
  await admin.open("/app");
  const shopId = await app.shopId();
  const { rows } = await app.database.pool.query<{ id: string }>(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName") values ($1, '7001', 'ann@example.com', 'Ann', 'Lee'), ($1, '7002', 'bo@example.com', 'Bo', 'Ray') returning id::text`,
    [shopId],
  );
  annId = rows[0].id;
  await app.database.pool.query(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey", "orderId") values ($1, $2, 'order_earn', 120, now(), now(), 'order:1:paid', '1')`,
    [shopId, annId],
  );
});

afterAll(async () => {
  await app?.stop();
});

const toast = () => admin.page.locator('[role="status"].demo-toast').allTextContents();

describe("customers", () => {
  test("the list searches by name and opens the customer", async () => {
    await admin.open("/app/customers");
    await expect.poll(() => admin.page.getByText("2 customers", { exact: true }).count()).toBe(1);
    await admin.page.getByPlaceholder("Search by name, email or Shopify id").fill("lee");
    await expect.poll(() => admin.page.getByText("1 customer", { exact: true }).count()).toBe(1);
    await admin.page.getByRole("link", { name: "Ann Lee" }).click();
    await expect.poll(() => new URL(admin.page.url()).pathname).toBe(`/app/customers/${annId}`);
    await expect.poll(() => admin.page.getByText("Points history").count()).toBe(1);
  });

  test("an adjustment without a reason is refused next to the field, and nothing is posted", async () => {
    await admin.open(`/app/customers/${annId}`);
    await admin.page.getByLabel("Points", { exact: true }).fill("25");
    await admin.page.getByRole("button", { name: "Save adjustment" }).click();
    await expect.poll(() => admin.page.getByText("Say why, for the customer's history").count()).toBe(1);
    const { rows } = await app.database.pool.query(`select count(*)::int as n from "LedgerEntry" where "customerId" = $1`, [annId]);
    expect(rows[0].n).toBe(1);
  });

  test("adjusting points shows in the history with the reason, once even when submitted twice", async () => {
    await admin.open(`/app/customers/${annId}`);
    await admin.page.getByLabel("Points", { exact: true }).fill("25");
    await admin.page.getByLabel("Reason").fill("Goodwill for a late parcel");
    const token = await admin.page.locator('input[name="token"]').inputValue();
    await admin.page.getByRole("button", { name: "Save adjustment" }).click();
    await expect.poll(toast, { timeout: 15_000 }).toContain("Added 25 points");
    const history = admin.page.locator("table", { hasText: "Goodwill for a late parcel" });
    await expect.poll(() => history.getByText("+25").count()).toBe(1);
    await expect.poll(() => admin.page.getByText("145", { exact: true }).count()).toBeGreaterThan(0);

    // The same form submitted again (a double click, a retried request) posts nothing more.
    const replay = await admin.page.evaluate(async ({ path, token }) => {
      const body = new URLSearchParams({ points: "25", reason: "Goodwill for a late parcel", token });
      const response = await fetch(`${path}.data?_routes=routes/app.customers.$customerId`, { method: "POST", body });
      return response.status;
    }, { path: `/app/customers/${annId}`, token });
    expect(replay).toBe(200);
    const { rows } = await app.database.pool.query(`select kind, points, reason, "staffUserId" from "LedgerEntry" where "customerId" = $1 order by id`, [annId]);
    expect(rows.slice(1)).toEqual([{ kind: "adjustment", points: 25, reason: "Goodwill for a late parcel", staffUserId: "90000001" }]);
  });
});
