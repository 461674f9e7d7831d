import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cdnowFile } from "./cdnow";

function churn(...args: string[]) {
  const run = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/churn.ts", ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), "churn-cli-"));
function scratchFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe("npm run churn", () => {
  it("fits the published BG/NBD parameters from the CDNOW summary", () => {
    const run = churn("fit", "--summary", cdnowFile("cdnow_customers_summary.csv"));
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: "bgnbd", customers: 2357, timeUnit: "weeks", converged: true });
    expect([result.params.r, result.params.alpha, result.params.a, result.params.b].map((v: number) => v.toFixed(3))).toStrictEqual([
      "0.243",
      "4.414",
      "0.793",
      "2.426",
    ]);
    expect(result.logLikelihood.toFixed(1)).toBe("-9582.4");
    expect(result.gammaGamma).toBeUndefined();
  });

  it("also fits Gamma-Gamma when the summary has mean repeat values", () => {
    const result = JSON.parse(churn("fit", "--summary", cdnowFile("cdnow_customers_summary_with_transactions.csv")).stdout);
    expect(result.gammaGamma.customers).toBe(946);
    expect(result.gammaGamma.params.p).toBeCloseTo(6.25, 1);
  });

  it("fits from the raw CDNOW_master.txt order file, at an observation end", () => {
    const run = churn("fit", "--transactions", cdnowFile("CDNOW_master.txt"), "--observation-end", "1997-09-30");
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.customers).toBe(23_570);
    expect(result.converged).toBe(true);
    // The full cohort behaves like its 1/10 sample.
    expect(result.params.r).toBeGreaterThan(0.2);
    expect(result.params.r).toBeLessThan(0.3);
    expect(result.gammaGamma.customers).toBeGreaterThan(9_000);
  });

  it("reads a comma-separated order file with a header and ISO dates, in days", () => {
    const file = scratchFile(
      "orders.csv",
      "Customer_ID,Date,Amount\n1,2024-01-01,10.00\n1,2024-01-15,12.50\n2,2024-01-03,8\n2,2024-01-04,8\n3,2024-02-01,20\n1,2024-03-01,9.99\n",
    );
    const result = JSON.parse(churn("fit", "--transactions", file, "--observation-end", "2024-03-31", "--unit", "days").stdout);
    expect(result).toMatchObject({ customers: 3, timeUnit: "days" });
    expect(result.gammaGamma.customers).toBe(2);
  });

  it("predicts P(alive) and expected purchases for one history", () => {
    const run = churn(
      "predict",
      "--params",
      '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}',
      "--frequency",
      "2",
      "--recency",
      "30.43",
      "--T",
      "38.86",
      "--horizon",
      "39",
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.expectedPurchases).toBeCloseTo(1.226, 3);
    expect(result.probabilityAlive).toBeGreaterThan(0.7);
    expect(result.probabilityAlive).toBeLessThan(0.75);
    expect(result.horizon).toBe(39);
  });

  it("documents both commands in --help", () => {
    const run = churn("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/fit --summary/);
    expect(run.stdout).toMatch(/fit --transactions FILE --observation-end/);
    expect(run.stdout).toMatch(/predict --params/);
  });

  it.each([
    { case: "no command", args: [], message: /no command/ },
    { case: "a missing file", args: ["fit", "--summary", "/nonexistent/summary.csv"], message: /cannot read .*ENOENT/ },
    { case: "an unknown option", args: ["fit", "--summry", "x.csv"], message: /--summry/ },
    { case: "a summary without T", args: ["fit", "--summary", scratchFile("no-t.csv", "id,frequency,recency\n1,0,0\n")], message: /no T column/ },
    {
      case: "a non-numeric frequency",
      args: ["fit", "--summary", scratchFile("bad.csv", "ID,frequency,recency,T\n1,2,3,10\n2,lots,0,10\n")],
      message: /line 3: frequency is not a number/,
    },
    {
      case: "an impossible date",
      args: ["fit", "--transactions", scratchFile("bad-date.txt", "1 19970230 1 9.99\n"), "--observation-end", "1997-09-30"],
      message: /line 1: not a date/,
    },
    { case: "transactions without an observation end", args: ["fit", "--transactions", "x.txt"], message: /--observation-end/ },
    {
      case: "a malformed observation end",
      args: ["fit", "--transactions", cdnowFile("CDNOW_master.txt"), "--observation-end", "1997-13-01"],
      message: /--observation-end: not a date/,
    },
    { case: "a non-numeric horizon", args: ["predict", "--params", '{"r":1,"alpha":1,"a":1.5,"b":1}', "--frequency", "1", "--recency", "1", "--T", "2", "--horizon", "soon"], message: /--horizon: value is not a number/ },
    { case: "params that are not JSON", args: ["predict", "--params", "{r:1}"], message: /not valid JSON/ },
    {
      case: "a fractional frequency",
      args: ["predict", "--params", '{"r":1,"alpha":1,"a":1.5,"b":1}', "--frequency", "1.5", "--recency", "1", "--T", "2", "--horizon", "1"],
      message: /not a purchase history/,
    },
  ])("rejects $case with one line and exit code 2", ({ args, message }) => {
    const run = churn(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^churn: /);
    expect(lines[0]).toMatch(message);
  });
});
