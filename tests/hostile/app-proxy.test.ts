/**
 * App Proxy verification fed random, tampered, replayed and boundary queries: only a query Shopify signed,
 * unchanged and fresh, names a shop and a customer; everything else is refused with a reason.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { PROXY_MAX_AGE_SECONDS, signAppProxyQuery, verifyAppProxyRequest } from "~/shopify/app-proxy.server";
import { hostileText, isWellFormed } from "./arbitraries";

const SECRET = "proxy-hostile-secret";
const NOW = new Date("2026-11-20T12:00:00Z");
const SHOP = "hostile-proxy.myshopify.com";

function proxyUrl(params: URLSearchParams): URL {
  return new URL(`https://app.example.com/proxy/program?${params}`);
}

function signedQuery(extra: Record<string, string> = {}, at = NOW): URLSearchParams {
  return signAppProxyQuery({ shop: SHOP, logged_in_customer_id: "7001", path_prefix: "/apps/rewards", ...extra }, SECRET, at);
}

const paramName = fc.oneof(fc.constantFrom("shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature", "customer_id", "points"), fc.string({ minLength: 1, maxLength: 12 }));
// A URL carries well-formed text only (an unpaired surrogate becomes U+FFFD on the way).
const paramValue = fc.oneof(hostileText.filter((text) => text.length < 200 && isWellFormed(text)), fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }));

describe("queries Shopify did not sign", () => {
  test("any query without Shopify's signature over it is refused with a reason", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(paramName, paramValue), { maxLength: 8 }), (pairs) => {
        const verification = verifyAppProxyRequest(proxyUrl(new URLSearchParams(pairs)), SECRET, NOW);
        expect(verification.ok).toBe(false);
        if (!verification.ok) expect(verification.reason).toMatch(/signature|timestamp|shop|customer/);
      }),
      { numRuns: 1_000 },
    );
  });

  test("a signature made with another secret is refused", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((secret) => secret !== SECRET), (otherSecret) => {
        const params = signAppProxyQuery({ shop: SHOP, logged_in_customer_id: "7001" }, otherSecret, NOW);
        expect(verifyAppProxyRequest(proxyUrl(params), SECRET, NOW)).toEqual({ ok: false, reason: "invalid signature" });
      }),
      { numRuns: 200 },
    );
  });
});

describe("queries Shopify signed, then tampered with", () => {
  type Tampering = { kind: "change"; index: number; value: string } | { kind: "add"; name: string; value: string } | { kind: "remove"; index: number } | { kind: "duplicate"; index: number };
  const tampering: fc.Arbitrary<Tampering> = fc.oneof(
    fc.record({ kind: fc.constant("change" as const), index: fc.nat(), value: paramValue }),
    fc.record({ kind: fc.constant("add" as const), name: paramName.filter((name) => name !== "signature"), value: paramValue }),
    fc.record({ kind: fc.constant("remove" as const), index: fc.nat() }),
    fc.record({ kind: fc.constant("duplicate" as const), index: fc.nat() }),
  );

  test("changing, adding, removing or repeating any signed parameter invalidates the signature", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== "signature"), paramValue, { maxKeys: 3 }), tampering, (extra, change) => {
        const params = signedQuery(extra);
        const signature = params.get("signature")!;
        params.delete("signature");
        const entries = [...params.entries()];
        if (change.kind === "change") {
          const index = change.index % entries.length;
          fc.pre(entries[index][1] !== change.value);
          entries[index] = [entries[index][0], change.value];
        } else if (change.kind === "add") {
          fc.pre(!params.has(change.name));
          entries.push([change.name, change.value]);
        } else if (change.kind === "remove") entries.splice(change.index % entries.length, 1);
        else entries.push(entries[change.index % entries.length]);
        const tampered = new URLSearchParams([...entries, ["signature", signature]]);
        expect(verifyAppProxyRequest(proxyUrl(tampered), SECRET, NOW)).toEqual({ ok: false, reason: "invalid signature" });
      }),
      { numRuns: 1_000 },
    );
  });

  test("the untampered query is accepted and names exactly the signed shop and customer", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !["signature", "timestamp", "shop", "logged_in_customer_id", "path_prefix"].includes(k)), paramValue, { maxKeys: 3 }), (extra) => {
        const verification = verifyAppProxyRequest(proxyUrl(signedQuery(extra)), SECRET, NOW);
        expect(verification).toEqual({ ok: true, context: { shop: SHOP, customerId: "7001", pathPrefix: "/apps/rewards" } });
      }),
      { numRuns: 300 },
    );
  });
});

describe("replayed and boundary queries", () => {
  test(`a signed query is accepted only within ${PROXY_MAX_AGE_SECONDS} s of its timestamp, either way`, () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (offsetSeconds) => {
        const signedAt = new Date(NOW.getTime() + offsetSeconds * 1000);
        const verification = verifyAppProxyRequest(proxyUrl(signedQuery({}, signedAt)), SECRET, NOW);
        if (Math.abs(offsetSeconds) <= PROXY_MAX_AGE_SECONDS) expect(verification.ok).toBe(true);
        else expect(verification).toEqual({ ok: false, reason: "stale request" });
      }),
      { numRuns: 500 },
    );
  });

  test("a signed shop or customer id of the wrong shape is refused even with a valid signature", () => {
    fc.assert(
      fc.property(paramValue, paramValue, (shop, customer) => {
        const params = signAppProxyQuery({ shop, logged_in_customer_id: customer, path_prefix: "/apps/rewards" }, SECRET, NOW);
        const verification = verifyAppProxyRequest(proxyUrl(params), SECRET, NOW);
        const shopOk = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop);
        const customerOk = customer === "" || /^\d{1,20}$/.test(customer);
        expect(verification.ok).toBe(shopOk && customerOk);
      }),
      { numRuns: 500 },
    );
  });

  test.each(["", "0".repeat(63), "0".repeat(65), "Z".repeat(64), "%00", "A".repeat(64)])("signature %j is refused without comparing", (signature) => {
    const params = signedQuery();
    params.set("signature", signature);
    expect(verifyAppProxyRequest(proxyUrl(params), SECRET, NOW).ok).toBe(false);
  });
});
