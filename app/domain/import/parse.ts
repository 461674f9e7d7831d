import { createHash } from "node:crypto";
import Papa from "papaparse";
import { z } from "zod";
import { allowsNegativePoints, detectFormat, normalizeHeader, readRow, type ImportFormat, type RawImportRow } from "./formats";

/** One ledger entry to import. `line` is the spreadsheet row number (the header is row 1). */
export interface ImportRow {
  line: number;
  /** Stable for the same row content: importing the same file again posts nothing new. */
  idempotencyKey: string;
  email: string | null;
  /** Shopify's numeric customer id. */
  customerId: string | null;
  points: number;
  occurredAt: Date | null;
  reason: string | null;
}

export interface RowError {
  line: number;
  column: string | null;
  message: string;
}

export type ParsedImport =
  | { ok: true; format: ImportFormat; rows: ImportRow[]; errors: RowError[]; skippedZeroRows: number; totalRows: number }
  | { ok: false; error: string };

export const MAX_IMPORT_POINTS = 10_000_000;

const emailSchema = z.email();

function parsePoints(cells: RawImportRow["points"], allowNegative: boolean): { points: number } | { column: string; message: string } {
  let points = 0;
  for (const { column, value } of cells) {
    const text = (value ?? "").trim();
    if (text === "") return { column, message: "Points are missing" };
    if (/^-?\d{1,3}(,\d{3})+$/.test(text)) return { column, message: `Write points without thousands separators (${text.replace(/,/g, "")})` };
    if (!/^[-+]?\d+$/.test(text)) return { column, message: `"${text}" is not a whole number of points` };
    const value_ = Number(text);
    if (!allowNegative && value_ < 0) return { column, message: "A carried-over balance cannot be negative" };
    points += value_;
  }
  if (Math.abs(points) > MAX_IMPORT_POINTS) return { column: cells[0].column, message: `At most ${MAX_IMPORT_POINTS.toLocaleString("en-US")} points per row` };
  return { points };
}

function parseCustomerId(text: string): string | null {
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(text);
  return match ? match[1] : null;
}

type RowCheck = { ok: true; row: Omit<ImportRow, "idempotencyKey" | "line">; reference: string | null } | { ok: false; error: Omit<RowError, "line"> };

function checkRow(format: ImportFormat, raw: RawImportRow, now: Date): RowCheck {
  const email = raw.email?.trim().toLowerCase() || null;
  const customerIdText = raw.customerId?.trim() || null;
  if (!email && !customerIdText) return { ok: false, error: { column: "email", message: "Each row needs an email or a customer_id" } };
  if (email && !emailSchema.safeParse(email).success) return { ok: false, error: { column: "email", message: `"${raw.email?.trim()}" is not an email address` } };
  const customerId = customerIdText ? parseCustomerId(customerIdText) : null;
  if (customerIdText && !customerId) return { ok: false, error: { column: "customer_id", message: `"${customerIdText}" is not a Shopify customer id` } };

  const points = parsePoints(raw.points, allowsNegativePoints(format));
  if ("message" in points) return { ok: false, error: points };

  let occurredAt: Date | null = null;
  const occurredText = raw.occurredAt?.trim();
  if (occurredText) {
    occurredAt = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(occurredText) ? new Date(occurredText) : new Date(Number.NaN);
    if (Number.isNaN(occurredAt.getTime())) return { ok: false, error: { column: "occurred_at", message: `"${occurredText}" is not a date (use YYYY-MM-DD)` } };
    if (occurredAt > now) return { ok: false, error: { column: "occurred_at", message: "The date is in the future" } };
  }
  const reason = raw.reason?.trim() || null;
  if (reason && reason.length > 200) return { ok: false, error: { column: "reason", message: "The reason is longer than 200 characters" } };
  const reference = raw.reference?.trim() || null;
  if (reference && reference.length > 100) return { ok: false, error: { column: "reference", message: "The reference is longer than 100 characters" } };
  return { ok: true, row: { email, customerId, points: points.points, occurredAt, reason }, reference };
}

function contentKey(format: ImportFormat, row: Omit<ImportRow, "idempotencyKey" | "line">, occurrence: number): string {
  const content = JSON.stringify([format, row.email, row.customerId, row.points, row.occurredAt?.toISOString() ?? null, row.reason, occurrence]);
  return `import:${createHash("sha256").update(content).digest("hex").slice(0, 40)}`;
}

/**
 * Parses and validates a CSV import. Every row gets a verdict: a valid entry or an error naming its row and
 * column; nothing is written here. Keys: a row's `reference` when given (the merchant's own id for it), else a
 * hash of its content and of how many identical rows came before it in the file, so two equal rows in one file
 * are two entries, and the same file imported again maps to the same keys.
 */
export function parseImportCsv(text: string, now: Date): ParsedImport {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: normalizeHeader,
  });
  const headers = parsed.meta.fields ?? [];
  if (headers.length === 0) return { ok: false, error: "The file is empty." };
  const detected = detectFormat(headers);
  if ("error" in detected) return { ok: false, error: detected.error };
  const { format } = detected;

  const malformed = new Map<number, string>();
  for (const error of parsed.errors) if (error.row !== undefined) malformed.set(error.row, error.message);

  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const occurrences = new Map<string, number>();
  const references = new Map<string, number>();
  let skippedZeroRows = 0;
  parsed.data.forEach((record, index) => {
    const line = index + 2;
    const broken = malformed.get(index);
    if (broken) {
      errors.push({ line, column: null, message: broken });
      return;
    }
    const check = checkRow(format, readRow(format, record), now);
    if (!check.ok) {
      errors.push({ line, ...check.error });
      return;
    }
    if (check.reference) {
      const first = references.get(check.reference);
      if (first !== undefined) {
        errors.push({ line, column: "reference", message: `Reference "${check.reference}" is already used on row ${first}` });
        return;
      }
      references.set(check.reference, line);
    }
    if (check.row.points === 0) {
      skippedZeroRows += 1;
      return;
    }
    let idempotencyKey: string;
    if (check.reference) {
      idempotencyKey = `import:ref:${check.reference}`;
    } else {
      const base = contentKey(format, check.row, 0);
      const occurrence = occurrences.get(base) ?? 0;
      occurrences.set(base, occurrence + 1);
      idempotencyKey = occurrence === 0 ? base : contentKey(format, check.row, occurrence);
    }
    rows.push({ line, idempotencyKey, ...check.row });
  });
  return { ok: true, format, rows, errors, skippedZeroRows, totalRows: parsed.data.length };
}
