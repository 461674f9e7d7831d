/** Import in a real browser, with a real worker: preview with a row error, then the background run's progress. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startAdminApp, type AdminApp, type AdminPage } from "./admin-app";

let app: AdminApp;
let admin: AdminPage;

beforeAll(async () => {
  app = await startAdminApp({ worker: true });
  admin = await app.newPage();
  await admin.open("/app");
  await app.database.pool.query(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email) values ($1, '8001', 'ann@example.com'), ($1, '8002', 'bo@example.com')`,
    [await app.shopId()],
  );
});

afterAll(async () => {
  await app?.stop();
});

const CSV = "email,points,reason\nann@example.com,300,Carried over\nbo@example.com,twelve,Carried over\nbo@example.com,40,Carried over\n";

test("a file with one bad row: the preview shows the error, the import posts the good rows", async () => {
  await admin.open("/app/import");
  await admin.page.locator('input[type="file"]').setInputFiles({ name: "balances.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await admin.page.getByRole("button", { name: "Check file" }).click();
  await expect.poll(() => admin.page.getByText("Check before importing").count(), { timeout: 15_000 }).toBe(1);
  const errors = admin.page.locator("table", { hasText: "Problem" });
  await expect.poll(() => errors.locator("tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/3\s+points\s+"twelve" is not a whole number of points/)]);
  const { rows: before } = await app.database.pool.query(`select count(*)::int as n from "LedgerEntry"`);
  expect(before[0].n).toBe(0);

  await admin.page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect.poll(() => admin.page.getByText("Import finished").count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => admin.page.getByText("2 of 2 rows processed (100 %)").count()).toBe(1);
  const { rows } = await app.database.pool.query(`select email, "pointsBalance" from "Customer" order by email`);
  expect(rows).toEqual([{ email: "ann@example.com", pointsBalance: 300 }, { email: "bo@example.com", pointsBalance: 40 }]);
});
