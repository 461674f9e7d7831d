/**
 * Customers and the points ledger as CSV, streamed: one batch of rows is read only when the previous one has been
 * sent. Money is written in currency units (the shop's currency) and dates in ISO 8601, as spreadsheets expect;
 * text that a spreadsheet would take for a formula is neutralised.
 */
import Papa from "papaparse";
import { EXPORT_BATCH, EXPORT_QUERIES, exportBatch, type ExportKind } from "~/data/admin/exports.server";
import type { Database } from "~/data/db.server";
import { formatMinor } from "~/domain/money";

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first; OWASP's "CSV
 * injection") gets a leading apostrophe, so a customer named `=HYPERLINK(...)` stays text. Numbers, and amounts
 * written as text such as -12.50, are left as they are.
 */
export function neutraliseFormula(value: unknown): unknown {
  if (typeof value !== "string" || !/^[=+\-@\t\r]/.test(value) || /^[-+]?\d+(\.\d+)?$/.test(value)) return value;
  return `'${value}`;
}

function csvRow(kind: ExportKind, row: Record<string, unknown>, currencyCode: string): unknown[] {
  const values: Record<string, unknown> = { ...row };
  if (kind === "customers") values.lifetime_spend = formatMinor(Number(row.lifetime_spend_minor), currencyCode);
  return EXPORT_QUERIES[kind].columns.map((column) => {
    const value = values[column];
    return value instanceof Date ? value.toISOString() : neutraliseFormula(value ?? "");
  });
}

export function exportCsvStream(database: Database, shopId: number, kind: ExportKind, currencyCode: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = "0";
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${Papa.unparse([EXPORT_QUERIES[kind].columns])}\r\n`));
        return;
      }
      const rows = await exportBatch(database, shopId, kind, cursor);
      if (rows.length > 0) {
        cursor = String(rows.at(-1)!.cursor);
        controller.enqueue(encoder.encode(`${Papa.unparse(rows.map((row) => csvRow(kind, row, currencyCode)))}\r\n`));
      }
      if (rows.length < EXPORT_BATCH) controller.close();
    },
  });
}
