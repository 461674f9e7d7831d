/** CSV exports stream every row once, in order, across batches, for the asking shop only. */
import Papa from "papaparse";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { EXPORT_BATCH } from "~/data/admin/exports.server";
import { exportCsvStream } from "~/services/admin/exports.server";

let database: TestDatabase;
let shopId: number;
const ENTRIES = EXPORT_BATCH + 501;

beforeAll(async () => {
  database = await createTestDatabase();
  shopId = (await database.prisma.shop.create({ data: { domain: "export.myshopify.com" } })).id;
  const other = (await database.prisma.shop.create({ data: { domain: "other-export.myshopify.com" } })).id;
  await database.pool.query(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName", "tierId") values
       ($1, '11', 'ann@example.com', 'Ann', 'O''Neil, Jr.', 'gold'), ($1, '12', 'bo@example.com', null, null, null), ($2, '99', 'x@example.com', 'X', null, null)`,
    [shopId, other],
  );
  await database.pool.query(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey", reason)
     select c."shopId", c.id, 'import', 1, '2026-01-01', '2026-01-01', 'k' || c.id || '-' || n, 'Carried over, with "quotes"'
       from "Customer" c cross join generate_series(1, $1) n where c."shopifyCustomerId" = '11'`,
    [ENTRIES],
  );
  await database.pool.query(
    `insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "spendMinor", "paidAt") select "shopId", 'o1', id, '{}', 123456, now() from "Customer" where "shopifyCustomerId" = '11'`,
  );
});

afterAll(async () => {
  await database?.drop();
});

async function read(stream: ReadableStream<Uint8Array>): Promise<string[][]> {
  const text = await new Response(stream).text();
  return Papa.parse<string[]>(text.trim()).data;
}

test("customers: one row each, with balance, tier and spend in currency units, quoting kept intact", async () => {
  const rows = await read(exportCsvStream(database, shopId, "customers", "USD"));
  expect(rows[0]).toEqual(["customer_id", "email", "first_name", "last_name", "points_balance", "tier", "lifetime_spend", "created_at"]);
  expect(rows.slice(1).map((r) => r.slice(0, 7))).toEqual([
    ["11", "ann@example.com", "Ann", "O'Neil, Jr.", String(ENTRIES), "gold", "1234.56"],
    ["12", "bo@example.com", "", "", "0", "", "0.00"],
  ]);
});

test("the ledger: every entry once, in order, across several batches", async () => {
  const rows = await read(exportCsvStream(database, shopId, "ledger", "USD"));
  expect(rows).toHaveLength(ENTRIES + 1);
  const ids = rows.slice(1).map((r) => Number(r[0]));
  expect(new Set(ids).size).toBe(ENTRIES);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(rows[1].slice(1, 5)).toEqual(["11", "ann@example.com", "import", "1"]);
  expect(rows[1][8]).toBe('Carried over, with "quotes"');
});
