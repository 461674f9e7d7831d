/**
 * `npm run demo` as a merchant runs it, on the first 150 CDNOW customers (DEMO_CUSTOMERS) and a test database:
 * the program is switched on, the replayed history earns points and tiers, the demo's refund and cancellation
 * take points back, the churn radar scores the customers, and the admin and the storefront answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readCdnowPurchases } from "../../scripts/lib/cdnow";
import { stopProcess } from "../../scripts/lib/processes";
import { buildAppOnce, freePort, until } from "../faults/support/cluster";
import { createTestDatabase, type TestDatabase } from "../support/database";

const CUSTOMERS = 150;
const SHOP = "demo-shop.myshopify.com";

let db: TestDatabase;
let demo: ChildProcess;
let output = "";
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await buildAppOnce();
  port = await freePort();
  demo = spawn(process.execPath, ["--import", "tsx", resolve("scripts/demo.ts")], {
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), DEMO_CUSTOMERS: String(CUSTOMERS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await until(
    async () => output.includes("Ready.") || demo.exitCode !== null,
    async () => `the demo printed:\n${output}`,
    240_000,
  );
  if (!output.includes("Ready.")) throw new Error(`the demo stopped before it was ready:\n${output}`);
}, 300_000);

afterAll(async () => {
  if (demo) await stopProcess(demo);
  await db?.drop();
});

test("the replayed history earns points: every customer with a paid order has a ledger, and the balances are its sums", async () => {
  const purchases = readCdnowPurchases().filter((purchase) => purchase.customer <= CUSTOMERS);
  const { rows } = await db.pool.query<{ customers: number; earning: number; drift: number }>(
    `select count(*)::int as customers,
            count(*) filter (where l.total > 0)::int as earning,
            count(*) filter (where c."pointsBalance" <> coalesce(l.total, 0))::int as drift
       from "Customer" c join "Shop" s on s.id = c."shopId"
       left join (select "customerId", sum(points)::int as total from "LedgerEntry" group by 1) l on l."customerId" = c.id
      where s.domain = $1`,
    [SHOP],
  );
  expect(rows[0].customers).toBe(new Set(purchases.map((purchase) => purchase.customer)).size);
  expect(rows[0].earning).toBeGreaterThan(CUSTOMERS * 0.9); // a few spent $0 on their only order
  expect(rows[0].drift).toBe(0);
  expect(output).toMatch(/loyalty program switched on/);
  expect(output).toMatch(/rewards offered: \$5 off/);
});

test("the demo's refund and cancellation, sent as signed webhooks, take points back", () => {
  expect(output).toMatch(/half refunded: order_earn \+\d+, order_refund -\d+; balance now -?\d+/);
  expect(output).toMatch(/cancelled: order_earn \+\d+, order_cancel -\d+; balance now -?\d+/);
});

test("recent buyers' survey answers give the Feedback page NPS and CSAT scores, each detractor flagged to contact", async () => {
  const { rows } = await db.pool.query<{ kind: string; answers: number; detractors: number; open: number; points: number }>(
    `select f.kind::text as kind, count(*)::int as answers,
            count(*) filter (where (f.kind = 'nps' and f.score <= 6) or (f.kind = 'csat' and f.score <= 2))::int as detractors,
            count(*) filter (where f."followUp" = 'open')::int as open
       from "FeedbackResponse" f join "Shop" s on s.id = f."shopId" where s.domain = $1 group by 1 order by 1`,
    [SHOP],
  );
  expect(rows.map((row) => row.kind)).toEqual(["csat", "nps"]);
  for (const row of rows) {
    expect(row.answers).toBeGreaterThan(10);
    expect(row.detractors).toBeGreaterThan(0);
    expect(row.open).toBe(row.detractors);
  }
  expect(output).toMatch(/feedback: \d+ survey answers/);
});

test("the churn radar scored the customers, and the admin and the storefront answer", async () => {
  expect(output).toMatch(/customers scored/);
  // The URL the demo prints opens the embedded admin as the demo shop's staff.
  const admin = await fetch(`http://127.0.0.1:${port}/`, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/153.0.0.0 Safari/537.36" } });
  expect(admin.status).toBe(200);
  expect(await admin.text()).toContain("Retention Engine");
  const storefront = await fetch(`http://127.0.0.1:${port + 2}/`);
  expect(storefront.status).toBe(200);
});
