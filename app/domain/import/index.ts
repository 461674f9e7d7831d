/**
 * Importing points from a CSV file: our documented layout and the export formats of Smile.io and LoyaltyLion.
 * Pure: text in, validated rows and row-level errors out; the admin's import job writes the rows to the ledger.
 */
export { FORMAT_LABELS, IMPORT_FORMATS, detectFormat } from "./formats";
export type { ImportFormat } from "./formats";
export { MAX_IMPORT_POINTS, parseImportCsv } from "./parse";
export type { ImportRow, ParsedImport, RowError } from "./parse";
