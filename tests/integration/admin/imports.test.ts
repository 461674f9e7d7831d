/**
 * CSV import end to end against a real PostgreSQL and the loyalty ledger: preview writes nothing, the run posts
 * `import` entries, unknown customers and overdrafts become row errors, and importing the same file again
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { findImportJob } from "~/data/admin/import-jobs.server";
import type { Queue } from "~/jobs/queue.server";
import { previewImport, runImport, startImport } from "~/services/admin/imports.server";

const NOW = new Date("2026-11-20T12:00:00Z");
let database: TestDatabase;
let shopId: number;
const sent: unknown[] = [];
// The queue's part is tested by the browser test with a real worker; here the job is run in-process.
const queue = { createQueue: async () => undefined, send: async (_name: string, data: unknown) => void sent.push(data) } as unknown as Queue;

async function balance(email: string): Promise<number> {
  const { rows } = await database.pool.query(`select "pointsBalance" from "Customer" where "shopId" = $1 and email = $2`, [shopId, email]);
  return rows[0].pointsBalance;
}

async function importFile(csv: string) {
  const preview = await previewImport({ database, shopId, fileName: "points.csv", text: csv, staffUserId: "42", now: NOW });
  if (!preview.ok) throw new Error(preview.error);
  const beforeRun = await findImportJob(database, shopId, preview.jobId);
  expect(await startImport({ database, queue, shopId, jobId: preview.jobId })).toBe(true);
  expect(await startImport({ database, queue, shopId, jobId: preview.jobId })).toBe(false);
  await runImport({ database, jobId: preview.jobId, now: () => NOW });
  return { beforeRun: beforeRun!, job: (await findImportJob(database, shopId, preview.jobId))! };
}

beforeAll(async () => {
  database = await createTestDatabase();
  shopId = (await database.prisma.shop.create({ data: { domain: "import.myshopify.com" } })).id;
  await database.pool.query(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email) values ($1, '501', 'ann@example.com'), ($1, '502', 'bo@example.com'), ($1, '503', 'cy@example.com')`,
    [shopId],
  );
});

afterAll(async () => {
  await database?.drop();
});

const FILE = [
  "email,customer_id,points,reason",
  "ann@example.com,,300,Carried over",
  ",502,120,Carried over",
  "not-an-email,,50,Bad row",
  "zed@example.com,,70,Not a customer here",
  "cy@example.com,,-10,More than Cy has",
].join("\n");

describe("importing a file", () => {
  test("the preview checks every row and writes nothing to the ledger", async () => {
    const preview = await previewImport({ database, shopId, fileName: "preview-only.csv", text: FILE, staffUserId: null, now: NOW });
    expect(preview.ok).toBe(true);
    const job = await findImportJob(database, shopId, preview.ok ? preview.jobId : "");
    expect(job).toMatchObject({ status: "previewed", totalRows: 5, validRows: 4, errorRows: 1, errors: [{ line: 4, column: "email", message: '"not-an-email" is not an email address' }] });
    const { rows } = await database.pool.query(`select count(*)::int as n from "LedgerEntry" where "shopId" = $1`, [shopId]);
    expect(rows[0].n).toBe(0);
  });

  test("the run posts import entries, reports unknown customers and overdrafts per row, and is queued once", async () => {
    const { job } = await importFile(FILE);
    expect(job).toMatchObject({ status: "completed", processedRows: 4, importedRows: 2, errorRows: 3 });
    expect(job.errors).toEqual([
      { line: 4, column: "email", message: '"not-an-email" is not an email address' },
      { line: 5, column: "email", message: "No customer with the email zed@example.com in this shop" },
      { line: 6, column: "points", message: "Would take the balance (0) below zero" },
    ]);
    expect(await balance("ann@example.com")).toBe(300);
    expect(await balance("bo@example.com")).toBe(120);
    expect(await balance("cy@example.com")).toBe(0);
    const { rows } = await database.pool.query(`select kind, "staffUserId", reason from "LedgerEntry" where "shopId" = $1 order by id`, [shopId]);
    expect(rows).toEqual([
      { kind: "import", staffUserId: "42", reason: "Carried over" },
      { kind: "import", staffUserId: "42", reason: "Carried over" },
    ]);
    expect(sent).toHaveLength(1);
  });

  test("importing the same file again changes nothing", async () => {
    const { job } = await importFile(FILE);
    expect(job).toMatchObject({ status: "completed", importedRows: 0 });
    expect(await balance("ann@example.com")).toBe(300);
    expect(await balance("bo@example.com")).toBe(120);
  });

  test("a later file taking points back is posted when the balance covers it", async () => {
    const { job } = await importFile("email,points,reason\nann@example.com,-100,Correction\n");
    expect(job).toMatchObject({ importedRows: 1, errorRows: 0 });
    expect(await balance("ann@example.com")).toBe(200);
  });
});
