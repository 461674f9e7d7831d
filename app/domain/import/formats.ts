/**
 * The CSV layouts an import accepts, recognised by their header row. Header names are compared after
 * lower-casing and turning spaces and dashes into underscores, so "Points Balance" matches points_balance.
 *
 * - retention_engine (ours, documented on the admin's Import page): email and/or customer_id, points (signed), and optional
 *   occurred_at, reason, reference. One row per ledger entry, so balances and history both fit.
 * - smile: Smile.io's points file (email, points) and its customer export (email, "Points Balance", with name,
 *   "Member status", "VIP tier", "Date of birth" columns that are not needed here).
 * - loyaltylion: LoyaltyLion's points import (customer id, email, points, enrolled) and its customer export
 *   ("Points approved", "Points pending", "Points total", tier...). Total = approved + pending, as LoyaltyLion
 *   defines it; pending points are carried over because the customer would have received them there.
 */
export const IMPORT_FORMATS = ["retention_engine", "smile", "loyaltylion"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  retention_engine: "Retention Engine CSV",
  smile: "Smile.io export",
  loyaltylion: "LoyaltyLion export",
};

/** A row as the format describes it, before validation: text cells by meaning. */
export interface RawImportRow {
  email?: string;
  customerId?: string;
  /** Cells whose integers add up to the row's points (LoyaltyLion's approved + pending). */
  points: { column: string; value: string | undefined }[];
  occurredAt?: string;
  reason?: string;
  reference?: string;
}

export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

const cell = (row: Record<string, string>, ...names: string[]) => {
  for (const name of names) if (row[name] !== undefined) return row[name];
  return undefined;
};

/** Which format a header row is, or why none fits. */
export function detectFormat(headers: string[]): { format: ImportFormat } | { error: string } {
  const has = (name: string) => headers.includes(name);
  if (has("points_approved") || has("points_total") || has("enrolled")) return { format: "loyaltylion" };
  if (has("points_balance") || has("vip_tier") || has("member_status")) return { format: "smile" };
  if (has("points") && (has("email") || has("customer_id"))) return { format: "retention_engine" };
  return { error: "The header row needs a points column (points, Points Balance or Points approved) and an email or customer_id column." };
}

/** Reads one record (keys are normalized headers) as the format lays it out. */
export function readRow(format: ImportFormat, row: Record<string, string>): RawImportRow {
  switch (format) {
    case "retention_engine":
      return {
        email: row.email,
        customerId: row.customer_id,
        points: [{ column: "points", value: row.points }],
        occurredAt: row.occurred_at,
        reason: row.reason,
        reference: row.reference,
      };
    case "smile": {
      const column = row.points_balance !== undefined ? "points_balance" : "points";
      return { email: row.email, points: [{ column, value: row[column] }], reason: "Balance carried over from Smile.io" };
    }
    case "loyaltylion": {
      const points =
        row.points_total !== undefined
          ? [{ column: "points_total", value: row.points_total }]
          : row.points_approved !== undefined
            ? [
                { column: "points_approved", value: row.points_approved },
                ...(row.points_pending !== undefined ? [{ column: "points_pending", value: row.points_pending }] : []),
              ]
            : [{ column: "points", value: row.points }];
      return {
        email: row.email,
        customerId: cell(row, "customer_id", "shopify_id", "merchant_id"),
        points,
        reason: "Balance carried over from LoyaltyLion",
      };
    }
  }
}

/** Imports from another program carry balances, which cannot be negative; our own rows are signed entries. */
export function allowsNegativePoints(format: ImportFormat): boolean {
  return format === "retention_engine";
}
