import { describe, expect, it } from "vitest";
import { summarizeTransactions, type OrderRecord } from "~/domain/churn";
import { loadCdnowOrders, loadCdnowSampleMasterIds, loadCdnowSummaryWithSpend } from "./cdnow";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("summarizeTransactions", () => {
  const orders: OrderRecord[] = [
    { customerId: "ann", orderedAt: new Date("2024-01-01T09:00:00Z"), amountMinor: 1000 },
    { customerId: "ann", orderedAt: new Date("2024-01-01T17:30:00Z"), amountMinor: 500 },
    { customerId: "ann", orderedAt: day("2024-01-15"), amountMinor: 2000 },
    { customerId: "ann", orderedAt: day("2024-01-15"), amountMinor: 1000 },
    { customerId: "ann", orderedAt: day("2024-01-29"), amountMinor: 1001 },
    { customerId: "ann", orderedAt: day("2024-03-01"), amountMinor: 9999 },
    { customerId: "bob", orderedAt: day("2024-01-22"), amountMinor: 4000 },
    { customerId: "cy", orderedAt: day("2024-02-10"), amountMinor: 100 },
  ];

  it.each([
    {
      unit: "days" as const,
      expected: [
        { customerId: "ann", frequency: 2, recency: 28, T: 35, monetaryMinor: 2001 },
        { customerId: "bob", frequency: 0, recency: 0, T: 14, monetaryMinor: 0 },
      ],
    },
    {
      unit: "weeks" as const,
      expected: [
        { customerId: "ann", frequency: 2, recency: 4, T: 5, monetaryMinor: 2001 },
        { customerId: "bob", frequency: 0, recency: 0, T: 2, monetaryMinor: 0 },
      ],
    },
  ])("merges same-day orders, ignores orders after the end, in $unit", ({ unit, expected }) => {
    expect(summarizeTransactions(orders, { observationEnd: day("2024-02-05"), timeUnit: unit })).toStrictEqual(expected);
  });

  it("counts orders on the observation end day", () => {
    const [ann] = summarizeTransactions(orders, { observationEnd: new Date("2024-01-29T23:59:00Z"), timeUnit: "days" });
    expect(ann).toMatchObject({ frequency: 2, recency: 28, T: 28 });
  });

  it("works from dates alone", () => {
    const summary = summarizeTransactions([{ customerId: "x", orderedAt: day("2024-01-01") }, { customerId: "x", orderedAt: day("2024-01-08") }], {
      observationEnd: day("2024-01-10"),
      timeUnit: "days",
    });
    expect(summary).toStrictEqual([{ customerId: "x", frequency: 1, recency: 7, T: 9, monetaryMinor: 0 }]);
  });
});

describe("summarizeTransactions on CDNOW_master.txt", () => {
  it("reproduces the published calibration summary of the 2,357 sampled customers (first 39 weeks)", () => {
    const summaries = summarizeTransactions(loadCdnowOrders(), { observationEnd: day("1997-09-30"), timeUnit: "weeks" });
    const byMasterId = new Map(summaries.map((s) => [String(Number(s.customerId)), s]));
    const masterIdOf = loadCdnowSampleMasterIds();
    const published = loadCdnowSummaryWithSpend();
    expect(published).toHaveLength(2357);
    const withinRounding = (ours: number, theirs: number) => Math.abs(ours - theirs) <= 0.005 + 1e-9;
    const mismatches = published.filter((row) => {
      const ours = byMasterId.get(masterIdOf.get(row.id)!)!;
      return !(
        ours.frequency === row.frequency &&
        withinRounding(ours.recency, row.recency) &&
        withinRounding(ours.T, row.T) &&
        Math.abs(ours.monetaryMinor - row.monetaryMinor!) <= 1
      );
    });
    expect(mismatches).toStrictEqual([]);
  });
});
