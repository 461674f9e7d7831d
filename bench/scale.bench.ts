/**
 * How cost grows with the shop: synthetic CDNOW-shaped shops (scripts/synthetic-shop.ts) of 10,000, 100,000 and
 * 1,000,000 customers with ~10 ledger rows each (4 years of history), in one database, and for each:
 *   - a customer's balance read through the use case (the ledger sum, as the storefront and redemption read it);
 *   - customer search as the admin's customer list runs it (email, name, Shopify id, a miss);
 *   - admin pages' server time: document requests to the built app (server.ts) as the embedded admin makes them;
 *   - the nightly churn refit (fit + score + metrics; Shopify sync left out: Shopify's rate limits pace it).
 * Prints figures and writes them to bench/results/scale.json after each size (for scripts/benchmark-chart.ts),
 * replacing earlier figures of the same size and keeping the others; never fails on time.
 *   SCALE_SIZES (default 10000,100000; the 1,000,000 shop takes ~30 min more: SCALE_SIZES=10000,100000,1000000)
 *   SCALE_CHURN_MAX: skip the churn refit of shops with more customers than this (default: refit every size)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { APP_SCOPES } from "~/config/env.server";
import { listCustomers } from "~/data/admin/customers.server";
import { openDatabase } from "~/data/db.server";
import { runChurnRefit } from "~/services/churn/refit.server";
import { customerBalance } from "~/services/loyalty/balance.server";
import { mintSessionToken } from "~/shopify/session-token.server";
import { startFakeAdminApi } from "../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../scripts/fake-shopify/resolvers";
import { ensureAppBuilt } from "../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../scripts/lib/processes";
import { generateSyntheticShop } from "../scripts/synthetic-shop";
import { benchDatabase, fmt, percentile } from "./lib";

const SIZES = (process.env.SCALE_SIZES ?? "10000,100000").split(",").map(Number);
const RESULTS = "bench/results/scale.json";
const CHURN_MAX = Number(process.env.SCALE_CHURN_MAX ?? Infinity);
const BALANCE_READS = 2_000;
/** Reads of other customers first: connections opened and code compiled, as in a running app. */
const BALANCE_WARMUP = 200;
const SEARCH_RUNS = 10;
const PAGE_WARMUP = 2;
const PAGE_RUNS = 10;
const API_KEY = "scale-bench-key";
const SECRET = "scale-bench-secret";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
const PORT = 3330;

export interface ScaleFigures {
  measuredAt: string;
  /** The machine's 1-minute load average when the size's measurements started and when they ended. */
  loadAverage: { start: number; end: number };
  customers: number;
  orders: number;
  ledgerRows: number;
  generateSeconds: number;
  balanceReadMs: { p50: number; p99: number };
  searchMs: Record<string, { median: number; p95: number }>;
  pageMs: Record<string, { median: number; p95: number }>;
  churn: { customers: number; fitMs: number; scoreMs: number; metricsMs: number; totalMs: number; peakHeapMb: number; error?: string };
}

export interface ScaleResults {
  conditions: string;
  figures: ScaleFigures[];
}

/** Adds a size's figures to bench/results/scale.json, replacing that size's earlier figures. */
function record(conditions: string, figures: ScaleFigures) {
  const earlier: ScaleResults = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : { conditions, figures: [] };
  const kept = (earlier.figures ?? []).filter((f) => f.customers !== figures.customers && typeof f.measuredAt === "string");
  mkdirSync("bench/results", { recursive: true });
  const all = [...kept, figures].sort((a, b) => a.customers - b.customers);
  writeFileSync(RESULTS, `${JSON.stringify({ conditions, figures: all } satisfies ScaleResults, null, 2)}\n`);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const n = (value: number) => value.toLocaleString("en-US");

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

function summary(times: number[]): { median: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function main() {
  ensureAppBuilt(say);
  const bench = await benchDatabase("scale");
  const database = openDatabase(bench.url, { max: 4 });
  const fakeAdmin = await startFakeAdminApi(fakeAdminResolvers);
  const base = `http://localhost:${PORT}`;
  const web = spawnAppProcess(
    "web",
    { DATABASE_URL: bench.url, PORT: String(PORT), DEMO_MODE: "1", SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: base, SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.origin, LOG_LEVEL: "error" },
    { quiet: true },
  );
  const conditions = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM; embedded PostgreSQL, shared_buffers 512 MB`;
  say(`scale: ${conditions}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")} at start`);
  try {
    await waitForHttp(`${base}/healthz`, 120_000);
    for (const size of SIZES) {
      const shop = `scale-${size}.myshopify.com`;
      const now = new Date();
      const generated = await generateSyntheticShop(bench.url, { customers: size, shop, now, log: (line) => say(`scale ${n(size)}: generating${line}`) });
      const loadAtStart = loadavg()[0];
      say(`scale ${n(size)}: generated ${n(generated.customers)} customers, ${n(generated.orders)} orders, ${n(generated.ledgerRows)} ledger rows in ${fmt(generated.seconds)} s`);
      const { shopId } = generated;
      const { rows: sample } = await database.pool.query<{ id: string; shopifyId: string; email: string; firstName: string; lastName: string }>(
        `select id::text, "shopifyCustomerId" as "shopifyId", email, "firstName", "lastName" from "Customer" where "shopId" = $1 order by random() limit $2`,
        [shopId, BALANCE_WARMUP + BALANCE_READS],
      );

      // Balance reads: the ledger summed by the domain's rule, one customer at a time.
      const reads: number[] = [];
      for (const [i, customer] of sample.entries()) {
        const [ms] = await timed(() => customerBalance({ db: database.pool, shopId, customerId: customer.shopifyId, now }));
        if (i >= BALANCE_WARMUP) reads.push(ms);
      }
      reads.sort((a, b) => a - b);
      const balanceReadMs = { p50: percentile(reads, 50), p99: percentile(reads, 99) };
      say(`scale ${n(size)}: balance read p50 ${fmt(balanceReadMs.p50, 2)} ms, p99 ${fmt(balanceReadMs.p99, 2)} ms (${n(reads.length)} customers)`);

      // Customer search, as the customer list runs it.
      const searches: Record<string, string> = {
        email: sample[0].email,
        name: sample[1].lastName,
        "full name": `${sample[3].firstName} ${sample[3].lastName}`,
        "Shopify id": sample[2].shopifyId,
        miss: "nobody-by-this-name",
        // A term in a third of the shop's addresses: the list must sort and count them all.
        "broad (a third of the shop)": "example.net",
      };
      const searchMs: ScaleFigures["searchMs"] = {};
      for (const [kind, term] of Object.entries(searches)) {
        const times: number[] = [];
        for (let run = 0; run < SEARCH_RUNS; run += 1) times.push((await timed(() => listCustomers(database, shopId, { search: term, sort: "balance", direction: "desc", page: 1, pageSize: 50 })))[0]);
        searchMs[kind] = summary(times);
        say(`scale ${n(size)}: customer search by ${kind}: median ${fmt(searchMs[kind].median)} ms, p95 ${fmt(searchMs[kind].p95)} ms`);
      }

      // Admin pages as the embedded admin requests them (session token in id_token), server time end to end.
      await database.pool.query(`insert into "Session" (id, shop, state, "isOnline", scope, "accessToken") values ($1, $2, 'bench', false, $3, 'bench-token') on conflict (id) do nothing`, [`offline_${shop}`, shop, APP_SCOPES]);
      const { rows: busiest } = await database.pool.query<{ id: string }>(`select "customerId"::text as id from "LedgerEntry" where "shopId" = $1 group by 1 order by count(*) desc limit 1`, [shopId]);
      const pages: Record<string, string> = {
        home: "/app",
        customers: "/app/customers",
        "customers, search": `/app/customers?q=${encodeURIComponent(sample[1].lastName)}`,
        "customers, by spend, page 100": "/app/customers?sort=spend&dir=desc&page=100",
        customer: `/app/customers/${busiest[0].id}`,
        analytics: "/app/analytics",
      };
      const pageMs: ScaleFigures["pageMs"] = {};
      for (const [name, path] of Object.entries(pages)) {
        const times: number[] = [];
        let status = 0;
        for (let run = 0; run < PAGE_WARMUP + PAGE_RUNS; run += 1) {
          const url = new URL(path, base);
          const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
          const token = await mintSessionToken({ shop, apiKey: API_KEY, secret: SECRET, sub: "1" });
          for (const [key, value] of Object.entries({ embedded: "1", shop, host, id_token: token })) url.searchParams.set(key, value);
          const [ms, response] = await timed(async () => {
            const answer = await fetch(url, { headers: { "user-agent": CHROME } });
            await answer.arrayBuffer();
            return answer;
          });
          status = response.status;
          if (run >= PAGE_WARMUP) times.push(ms);
        }
        pageMs[name] = summary(times);
        say(`scale ${n(size)}: admin page ${name}: median ${fmt(pageMs[name].median)} ms, p95 ${fmt(pageMs[name].p95)} ms (HTTP ${status})`);
      }

      // Recorded before the churn refit too, so a refit that takes the process down leaves the other figures.
      const figuresSoFar = {
        measuredAt: new Date().toISOString(),
        customers: generated.customers,
        orders: generated.orders,
        ledgerRows: generated.ledgerRows,
        generateSeconds: generated.seconds,
        balanceReadMs,
        searchMs,
        pageMs,
      };
      const notMeasured = { customers: 0, fitMs: NaN, scoreMs: NaN, metricsMs: NaN, totalMs: NaN, peakHeapMb: NaN };
      record(conditions, { ...figuresSoFar, loadAverage: { start: loadAtStart, end: loadavg()[0] }, churn: { ...notMeasured, error: "did not finish (the process ended during the refit)" } });
      if (generated.customers > CHURN_MAX) {
        say(`scale ${n(size)}: churn refit skipped (SCALE_CHURN_MAX=${n(CHURN_MAX)})`);
        record(conditions, { ...figuresSoFar, loadAverage: { start: loadAtStart, end: loadavg()[0] }, churn: { ...notMeasured, error: `not measured (SCALE_CHURN_MAX=${CHURN_MAX})` } });
        continue;
      }

      // The nightly churn refit of the shop, in this process as in the worker (its heap is the worker's default).
      let peakHeap = process.memoryUsage().heapUsed;
      const heapSampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
      const { rows: run } = await database.pool.query<{ id: number }>(`insert into "ChurnRun" ("shopId", trigger) values ($1, 'manual') returning id`, [shopId]);
      const [totalMs, error] = await timed(() =>
        runChurnRefit({ database, shopId, runId: run[0].id, clock: () => now, admin: null }).then(
          () => undefined,
          (failure: unknown) => (failure instanceof Error ? failure.message : String(failure)),
        ),
      );
      clearInterval(heapSampler);
      const peakHeapMb = Math.round(peakHeap / 2 ** 20);
      const refit = await database.prisma.churnRun.findUniqueOrThrow({ where: { id: run[0].id } });
      const t = (refit.timings ?? {}) as Record<string, number>;
      const churn = { customers: refit.customers ?? 0, fitMs: t.readAndFitMs ?? NaN, scoreMs: t.scoreMs ?? NaN, metricsMs: t.metricsMs ?? NaN, totalMs, peakHeapMb, ...(error ? { error } : {}) };
      say(
        error
          ? `scale ${n(size)}: churn refit FAILED after ${fmt(totalMs / 1000)} s: ${error}`
          : `scale ${n(size)}: churn refit of ${n(churn.customers)} customers: read + fit ${fmt(churn.fitMs / 1000)} s, score + store ${fmt(churn.scoreMs / 1000)} s, metrics ${fmt(churn.metricsMs / 1000)} s, total ${fmt(totalMs / 1000)} s; peak heap ${n(peakHeapMb)} MB`,
      );

      const loadAverage = { start: loadAtStart, end: loadavg()[0] };
      say(`scale ${n(size)}: 1-minute load average ${fmt(loadAverage.start)} at the start of the measurements, ${fmt(loadAverage.end)} at the end`);
      record(conditions, { ...figuresSoFar, loadAverage, churn });
    }
  } finally {
    await stopProcess(web);
    await fakeAdmin.close();
    await database.close();
    await bench.stop();
  }
  say(`scale: figures written to ${RESULTS} (chart: npx tsx scripts/benchmark-chart.ts)`);
}

await main();
