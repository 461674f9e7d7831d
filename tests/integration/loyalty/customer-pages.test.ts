/**
 * The daily jobs walk a shop's customers a page at a time, after the last id of the previous page. Ids are
 * bigints carried as decimal strings: a page ordered by the string ("1000" before "999") skipped customers once
 * the ids crossed a power of ten. Every walk must see every customer once.
 */
import { beforeAll, expect, test } from "vitest";
import { useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const ctx = useLoyaltyWorld();
let shopId: number;
let all: string[];

beforeAll(async () => {
  shopId = await ctx.world.shop("pages.myshopify.com", NOW);
  // Enough customers that their ids cross a power of ten whatever the sequence had reached.
  const { rows } = await ctx.db.pool.query<{ id: string }>(
    `insert into "Customer" ("shopId", "shopifyCustomerId", "pointsBalance", "lastActivityAt")
     select $1, 'page-' || g, 10, $2::timestamptz - interval '400 days' from generate_series(1, 1200) g returning id::text as id`,
    [shopId, NOW],
  );
  all = rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b));
  expect(all.at(0)!.length).toBeLessThan(all.at(-1)!.length);
});

async function walk(page: (afterId: string) => Promise<string[]>): Promise<string[]> {
  const seen: string[] = [];
  for (let after = "0"; ; ) {
    const ids = await page(after);
    if (ids.length === 0) return seen;
    seen.push(...ids);
    after = ids[ids.length - 1];
  }
}

test("customerIdsPage, expiryCandidates and customersAwaitingSync each visit every customer once, in id order", async () => {
  const { customerIdsPage, expiryCandidates, customersAwaitingSync } = await import("~/data/loyalty/customers.server");
  const pool = ctx.db.pool;
  expect(await walk((after) => customerIdsPage(pool, shopId, after, 97))).toEqual(all);
  expect(await walk((after) => expiryCandidates(pool, shopId, NOW, after, 97))).toEqual(all);
  expect(await walk(async (after) => (await customersAwaitingSync(pool, shopId, NOW, after, 97)).map((c) => c.id))).toEqual(all);
});

test("a customer's history pages newest first through every row, in the admin and in the storefront's one-query view", async () => {
  const { ledgerHistory } = await import("~/data/loyalty/ledger.server");
  const { customerViewByShopifyId } = await import("~/data/loyalty/customer-view.server");
  const pool = ctx.db.pool;
  const { rows } = await pool.query<{ id: string }>(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey")
     select $1, $2, 'import', g, $3, $3, 'page-history-' || g from generate_series(1, 150) g returning id::text as id`,
    [shopId, all[0], NOW],
  );
  const newestFirst = rows.map((row) => row.id).sort((a, b) => Number(b) - Number(a));
  expect(newestFirst.at(-1)!.length).toBeLessThan(newestFirst.at(0)!.length);

  const paged: string[] = [];
  for (let beforeId: string | null = null; ; ) {
    const page = await ledgerHistory(pool, shopId, all[0], { limit: 40, beforeId });
    if (page.length === 0) break;
    paged.push(...page.map((row) => row.id));
    beforeId = page[page.length - 1].id;
  }
  expect(paged).toEqual(newestFirst);

  const view = await customerViewByShopifyId(pool, shopId, "page-1", NOW, { history: 20, redemptions: 10 });
  expect(view?.history.map((row) => row.id)).toEqual(newestFirst.slice(0, 20));
  expect(view?.balanceEntries.reduce((sum, entry) => sum + entry.points, 0)).toBe((150 * 151) / 2);
});
