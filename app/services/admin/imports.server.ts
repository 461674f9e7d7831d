/**
 * CSV imports: preview (parse and validate, write nothing but the preview), then a background job that posts
 * each valid row to the loyalty ledger as an `import` entry under the row's idempotency key, in batches, with
 * progress. Rows naming a customer the shop does not have become row errors. A run whose worker died is handed
 * to another worker by the queue and resumes where its progress stopped; any row posted twice is refused by the
 * ledger's unique key, so re-running or re-importing the same file changes nothing.
 */
import { parseImportCsv, type ImportRow, type RowError } from "~/domain/import";
import type { Database } from "~/data/db.server";
import {
  createPreviewedImport,
  finishImport,
  markImportQueued,
  recordImportProgress,
  startImportRun,
} from "~/data/admin/import-jobs.server";
import { findCustomersByReference } from "~/data/admin/customers.server";
import { ensureQueue, type Queue } from "~/jobs/queue.server";
import { postImportEntries, type ImportEntry } from "./import-ledger.server";

export const IMPORT_QUEUE = "admin-import";
const BATCH_ROWS = 500;

export type ImportPreview = { ok: true; jobId: string } | { ok: false; error: string };

export async function previewImport(input: { database: Database; shopId: number; fileName: string; text: string; staffUserId: string | null; now: Date }): Promise<ImportPreview> {
  // NUL characters mean a binary file or one saved as UTF-16; PostgreSQL text cannot hold them either.
  if (input.text.includes("\u0000")) return { ok: false, error: "The file is not a text CSV in UTF-8 (it has NUL characters). Save it as “CSV UTF-8” and import it again." };
  const parsed = parseImportCsv(input.text, input.now);
  if (!parsed.ok) return parsed;
  if (parsed.totalRows === 0) return { ok: false, error: "The file has a header row but no rows." };
  const jobId = await createPreviewedImport(input.database, {
    shopId: input.shopId,
    fileName: input.fileName,
    format: parsed.format,
    csv: input.text,
    totalRows: parsed.totalRows,
    validRows: parsed.rows.length,
    errorRows: parsed.errors.length,
    errors: parsed.errors,
    staffUserId: input.staffUserId,
  });
  return { ok: true, jobId };
}

const IMPORT_QUEUE_OPTIONS = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 };

/** Queues a previewed import once; a repeated submit returns false and queues nothing. */
export async function startImport(input: { database: Database; queue: Queue; shopId: number; jobId: string }): Promise<boolean> {
  if (!(await markImportQueued(input.database, input.shopId, input.jobId))) return false;
  await ensureQueue(input.queue, IMPORT_QUEUE, IMPORT_QUEUE_OPTIONS);
  await input.queue.send(IMPORT_QUEUE, { jobId: input.jobId }, { singletonKey: input.jobId });
  return true;
}

function unknownCustomer(row: ImportRow): RowError {
  return row.customerId
    ? { line: row.line, column: "customer_id", message: `No customer ${row.customerId} in this shop` }
    : { line: row.line, column: "email", message: `No customer with the email ${row.email} in this shop` };
}

/** Runs (or resumes) one import job. */
export async function runImport(input: { database: Database; jobId: string; now: () => Date }): Promise<void> {
  const run = await startImportRun(input.database, input.jobId);
  if (!run) return;
  try {
    const parsed = parseImportCsv(run.csv, input.now());
    if (!parsed.ok) throw new Error(parsed.error);
    // Credits before debits (each in the file's order): whether a debit fits the balance must not depend on where
    // the file puts it, or importing the same file again would post a debit the first run refused for want of a
    // credit further down. (Deterministic, so a resumed run's processedRows still points at the same row.)
    const rows = [...parsed.rows.filter((row) => row.points >= 0), ...parsed.rows.filter((row) => row.points < 0)];
    for (let start = run.processedRows; start < rows.length; start += BATCH_ROWS) {
      const batch = rows.slice(start, start + BATCH_ROWS);
      const customers = await findCustomersByReference(input.database, run.shopId, {
        emails: batch.flatMap((row) => (row.email && !row.customerId ? [row.email] : [])),
        shopifyCustomerIds: batch.flatMap((row) => (row.customerId ? [row.customerId] : [])),
      });
      const entries: ImportEntry[] = [];
      const newErrors: RowError[] = [];
      for (const row of batch) {
        // A Shopify id names the customer exactly; the email is used only without one.
        const customerId = row.customerId ? customers.byShopifyId.get(row.customerId) : customers.byEmail.get(row.email!);
        if (!customerId) newErrors.push(unknownCustomer(row));
        else entries.push({ line: row.line, customerId, points: row.points, occurredAt: row.occurredAt, reason: row.reason, idempotencyKey: row.idempotencyKey });
      }
      const result = await postImportEntries(input.database, run.shopId, entries, { staffUserId: run.staffUserId, now: input.now() });
      newErrors.push(...result.refused);
      await recordImportProgress(input.database, input.jobId, { processedRows: start + batch.length, importedRows: result.posted, newErrors });
    }
    await finishImport(input.database, input.jobId, { status: "completed" }, input.now());
  } catch (error) {
    // A failed run is reported, not retried: the merchant can import the file again, which skips what was posted.
    await finishImport(input.database, input.jobId, { status: "failed", error: error instanceof Error ? error.message : String(error) }, input.now());
  }
}

/** The worker's side: takes import jobs off the queue, one at a time. */
export async function startImportWorker(database: Database, queue: Queue): Promise<void> {
  await ensureQueue(queue, IMPORT_QUEUE, IMPORT_QUEUE_OPTIONS);
  await queue.work<{ jobId: string }>(IMPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    await runImport({ database, jobId: job.data.jobId, now: () => new Date() });
  });
}
