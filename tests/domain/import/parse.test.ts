import { describe, expect, test } from "vitest";
import { parseImportCsv, type ParsedImport } from "~/domain/import";

const NOW = new Date("2026-11-20T12:00:00Z");

function parsed(csv: string): Extract<ParsedImport, { ok: true }> {
  const result = parseImportCsv(csv, NOW);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe("recognising the file's format from its header row", () => {
  test.each([
    ["email,points\n", "retention_engine"],
    ["customer_id,points,occurred_at,reason,reference\n", "retention_engine"],
    ["First Name,Last Name,Email,Points Balance,Member status,VIP tier\n", "smile"],
    ["\uFEFFemail,Points Balance\n", "smile"],
    ["Customer ID,Email,Points,Enrolled\n", "loyaltylion"],
    ["email,points_approved,points_pending,points_spent,tier\n", "loyaltylion"],
  ])("%j is %s", (header, format) => {
    expect(parsed(header).format).toBe(format);
  });

  test.each([
    ["", "The file is empty."],
    ["name,balance\nAnn,5\n", "The header row needs a points column"],
    ["email,first_name\nann@example.com,Ann\n", "The header row needs a points column"],
  ])("%j is refused", (csv, message) => {
    const result = parseImportCsv(csv, NOW);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });
});

describe("rows", () => {
  test("our format: signed entries with date, reason, normalized email and customer id", () => {
    const { rows, errors } = parsed(
      "email,customer_id,points,occurred_at,reason\n" +
        " Ann@Example.com ,,250,2024-03-01,Spring bonus\n" +
        ",gid://shopify/Customer/7001,-40,,Correction\n" +
        ",8002,15,2025-01-02T10:00:00Z,\n",
    );
    expect(errors).toEqual([]);
    expect(rows.map(({ idempotencyKey, ...rest }) => rest)).toEqual([
      { line: 2, email: "ann@example.com", customerId: null, points: 250, occurredAt: new Date("2024-03-01"), reason: "Spring bonus" },
      { line: 3, email: null, customerId: "7001", points: -40, occurredAt: null, reason: "Correction" },
      { line: 4, email: null, customerId: "8002", points: 15, occurredAt: new Date("2025-01-02T10:00:00Z"), reason: null },
    ]);
  });

  test("Smile.io export: the points balance, with the carried-over reason", () => {
    const { rows } = parsed("First Name,Last Name,Email,Points Balance,Member status,VIP tier\nAnn,Lee,ann@example.com,1200,member,Gold\n");
    expect(rows).toMatchObject([{ email: "ann@example.com", points: 1200, reason: "Balance carried over from Smile.io" }]);
  });

  test("LoyaltyLion export: approved plus pending points, or the total when given", () => {
    const { rows } = parsed("Merchant ID,Email,Points approved,Points pending\n501,ann@example.com,300,45\n");
    expect(rows).toMatchObject([{ customerId: "501", email: "ann@example.com", points: 345 }]);
    expect(parsed("email,points_total,points_approved\nbo@example.com,80,60\n").rows).toMatchObject([{ points: 80 }]);
  });

  test("rows with zero points are counted, not imported", () => {
    const result = parsed("email,points\na@example.com,0\nb@example.com,5\n");
    expect(result.rows.map((r) => r.email)).toEqual(["b@example.com"]);
    expect(result.skippedZeroRows).toBe(1);
    expect(result.totalRows).toBe(2);
  });

  test.each([
    ["email,points\nnot-an-email,10\n", "email", '"not-an-email" is not an email address'],
    ["email,points\n,10\n", "email", "Each row needs an email or a customer_id"],
    ["email,points\na@example.com,\n", "points", "Points are missing"],
    ["email,points\na@example.com,12.5\n", "points", '"12.5" is not a whole number of points'],
    ['email,points\na@example.com,"52,620"\n', "points", "Write points without thousands separators (52620)"],
    ["email,points\na@example.com,20000000\n", "points", "At most 10,000,000 points per row"],
    ["email,Points Balance\na@example.com,-5\n", "points_balance", "A carried-over balance cannot be negative"],
    ["customer_id,points\nabc,5\n", "customer_id", '"abc" is not a Shopify customer id'],
    ["email,points,occurred_at\na@example.com,5,yesterday\n", "occurred_at", '"yesterday" is not a date (use YYYY-MM-DD)'],
    ["email,points,occurred_at\na@example.com,5,2027-01-01\n", "occurred_at", "The date is in the future"],
    [`email,points,reason\na@example.com,5,${"x".repeat(201)}\n`, "reason", "The reason is longer than 200 characters"],
  ])("%j is a row error on %s", (csv, column, message) => {
    const { rows, errors } = parsed(csv);
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ line: 2, column, message }]);
  });

  test("one bad row does not hide the good ones, and errors name their spreadsheet row", () => {
    const { rows, errors } = parsed("email,points\na@example.com,5\nbroken,7\nc@example.com,9\n");
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(errors.map((e) => e.line)).toEqual([3]);
  });

  test("a reference used twice in one file is an error on the second row", () => {
    const { rows, errors } = parsed("email,points,reference\na@example.com,5,R1\nb@example.com,6,R1\n");
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([{ line: 3, column: "reference", message: 'Reference "R1" is already used on row 2' }]);
  });
});

describe("idempotency keys", () => {
  const csv = "email,points,reason\na@example.com,5,Bonus\nb@example.com,7,Bonus\na@example.com,5,Bonus\n";

  test("the same file gives the same keys, so importing it again posts nothing new", () => {
    expect(parsed(csv).rows.map((r) => r.idempotencyKey)).toEqual(parsed(csv).rows.map((r) => r.idempotencyKey));
  });

  test("identical rows in one file are separate entries; reordering the file keeps each row's key", () => {
    const keys = parsed(csv).rows.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    const reordered = parsed("email,points,reason\nb@example.com,7,Bonus\na@example.com,5,Bonus\na@example.com,5,Bonus\n").rows.map((r) => r.idempotencyKey);
    expect(new Set(reordered)).toEqual(new Set(keys));
  });

  test("a different amount is a different entry; a reference is the key itself", () => {
    const [five] = parsed("email,points\na@example.com,5\n").rows;
    const [six] = parsed("email,points\na@example.com,6\n").rows;
    expect(five.idempotencyKey).not.toBe(six.idempotencyKey);
    expect(parsed("email,points,reference\na@example.com,5,migr-0001\n").rows[0].idempotencyKey).toBe("import:ref:migr-0001");
  });
});
