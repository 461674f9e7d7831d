/** The CDNOW data set (see reference/cdnow/README.md), read with the CLI's own parsers. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseSummaryTable, parseTransactionTable } from "../../../scripts/churn";

export const cdnowFile = (name: string) => path.resolve(process.cwd(), "reference/cdnow", name);

export const loadCdnowSummary = () => parseSummaryTable(readFileSync(cdnowFile("cdnow_customers_summary.csv"), "utf8"));

export const loadCdnowSummaryWithSpend = () =>
  parseSummaryTable(readFileSync(cdnowFile("cdnow_customers_summary_with_transactions.csv"), "utf8"));

export const loadCdnowOrders = () => parseTransactionTable(readFileSync(cdnowFile("CDNOW_master.txt"), "utf8")).orders;

/**
 * Master-file customer id of each sampled customer. The published sample does not carry them; they
 * were recovered once (fixtures/cdnow-sample-master-ids.csv) by walking the master customers in order
 * of first purchase and id and matching frequency, recency, T and mean repeat value. Customers without
 * a repeat purchase on the same first day are interchangeable, so any of them is as good. Ids are
 * without the master file's leading zeros.
 */
export function loadCdnowSampleMasterIds(): Map<string, string> {
  const lines = readFileSync(fileURLToPath(new URL("fixtures/cdnow-sample-master-ids.csv", import.meta.url)), "utf8").trim().split("\n");
  return new Map(lines.slice(1).map((line) => line.split(",") as [string, string]));
}
