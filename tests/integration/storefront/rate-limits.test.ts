/**
 * Rate limits on the shopper-facing endpoints, counted in a real PostgreSQL so they hold across web processes
 * (here: separate connection pools, as separate processes would have).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "~/data/db.server";
import { checkRateLimits, STOREFRONT_LIMITS } from "~/services/storefront/rate-limits.server";
import type { Shopper } from "~/services/storefront/shopper.server";
import { createTestDatabase, type TestDatabase } from "../../support/database";

let db: TestDatabase;
let otherProcess: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  otherProcess = openDatabase(db.url);
});
afterAll(async () => {
  await otherProcess.close();
  await db.drop();
});

const at = (iso: string) => new Date(iso);
let nextAddress = 1;
/** A shopper of their own for each test, so counts never carry over between tests. */
function shopper(overrides: Partial<Shopper> = {}): Shopper {
  const n = nextAddress++;
  return { shop: "limits.myshopify.com", customerId: String(1000 + n), address: `10.0.0.${n}`, ...overrides };
}

describe("redeem limits", () => {
  test("a customer's hits beyond the per-minute limit are refused until the window ends, whichever process counts them", async () => {
    const ann = shopper();
    const limit = STOREFRONT_LIMITS.redeem.perCustomer.hits;
    for (let i = 0; i < limit; i += 1) {
      const pool = i % 2 === 0 ? db.pool : otherProcess.pool;
      expect(await checkRateLimits(pool, "redeem", ann, at("2026-11-23T10:00:15Z"))).toEqual({ allowed: true });
    }
    expect(await checkRateLimits(otherProcess.pool, "redeem", ann, at("2026-11-23T10:00:20Z"))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await checkRateLimits(db.pool, "redeem", ann, at("2026-11-23T10:01:00Z"))).toEqual({ allowed: true });
  });

  test("parallel hits never let more through than the limit", async () => {
    const ben = shopper();
    const now = at("2026-11-23T11:00:00Z");
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => checkRateLimits(i % 2 ? db.pool : otherProcess.pool, "redeem", ben, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(STOREFRONT_LIMITS.redeem.perCustomer.hits);
  });

  test("one address redeeming for many customers is refused past the per-address limit", async () => {
    const address = "203.0.113.7";
    const now = at("2026-11-23T12:00:00Z");
    const limit = STOREFRONT_LIMITS.redeem.perAddress.hits;
    for (let i = 0; i < limit; i += 1) {
      expect((await checkRateLimits(db.pool, "redeem", shopper({ address }), now)).allowed).toBe(true);
    }
    expect((await checkRateLimits(db.pool, "redeem", shopper({ address }), now)).allowed).toBe(false);
    expect((await checkRateLimits(db.pool, "redeem", shopper(), now)).allowed).toBe(true);
  });

  test("the same customer id in another shop is another customer", async () => {
    const now = at("2026-11-23T13:00:00Z");
    const inShopA = shopper({ shop: "a.myshopify.com", customerId: "42" });
    for (let i = 0; i < STOREFRONT_LIMITS.redeem.perCustomer.hits + 1; i += 1) await checkRateLimits(db.pool, "redeem", { ...inShopA, address: null }, now);
    expect((await checkRateLimits(db.pool, "redeem", { ...inShopA, address: null }, now)).allowed).toBe(false);
    expect((await checkRateLimits(db.pool, "redeem", { shop: "b.myshopify.com", customerId: "42", address: null }, now)).allowed).toBe(true);
  });

  test("a process whose clock lags counts into the current window instead of reopening an old one", async () => {
    const cara = shopper();
    const limit = STOREFRONT_LIMITS.redeem.perCustomer.hits;
    for (let i = 0; i < limit; i += 1) await checkRateLimits(db.pool, "redeem", cara, at("2026-11-23T14:01:00Z"));
    expect((await checkRateLimits(otherProcess.pool, "redeem", cara, at("2026-11-23T14:00:59Z"))).allowed).toBe(false);
  });
});

describe("read limits", () => {
  test("are looser than redeem limits and counted apart from them", async () => {
    const dan = shopper();
    const now = at("2026-11-23T15:00:00Z");
    for (let i = 0; i < STOREFRONT_LIMITS.redeem.perCustomer.hits + 1; i += 1) await checkRateLimits(db.pool, "redeem", dan, now);
    expect(STOREFRONT_LIMITS.read.perCustomer.hits).toBeGreaterThan(STOREFRONT_LIMITS.redeem.perCustomer.hits);
    for (let i = 0; i < STOREFRONT_LIMITS.read.perCustomer.hits; i += 1) {
      expect((await checkRateLimits(db.pool, "read", dan, now)).allowed).toBe(true);
    }
    expect(await checkRateLimits(db.pool, "read", dan, now)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  test("guests whose address is unknown are not lumped into one shared counter", async () => {
    const guest = { shop: "limits.myshopify.com", customerId: null, address: null };
    for (let i = 0; i < STOREFRONT_LIMITS.read.perAddress.hits + 1; i += 1) {
      expect((await checkRateLimits(db.pool, "read", guest, at("2026-11-23T16:00:00Z"))).allowed).toBe(true);
    }
  });
});
