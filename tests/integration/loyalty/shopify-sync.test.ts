/**
 * Shopify's side against the fake Admin API: customer metafields and tier tags follow the ledger (only what
 * changed is sent), and the Flow outbox is delivered once, keeping what Shopify refuses and dropping what a
 * redaction made anonymous.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { order, refundPayload, samplePayload, useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const ctx = useLoyaltyWorld({ fakeAdmin: true });
let admin: import("~/shopify/admin/client.server").AdminClient;

beforeAll(async () => {
  const { createAdminClient } = await import("~/shopify/admin/client.server");
  admin = createAdminClient({ shop: "x.myshopify.com", accessToken: "token" }, { origin: ctx.fake.origin, maxAttempts: 2, sleep: async () => {} });
});

const metafield = (customerId: string, key: string) => ctx.fake.state.metafields?.get(`gid://shopify/Customer/${customerId}|loyalty.${key}`)?.value;
const tags = (customerId: string) => [...(ctx.fake.state.customerTags?.get(`gid://shopify/Customer/${customerId}`) ?? [])].sort();

describe("metafields and tier tags", () => {
  test("are sent for customers whose standing changed, and only for them", async () => {
    const shop = "sync.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const { syncCustomersToShopify } = await import("~/services/loyalty/shopify-sync.server");
    const paid = (orderId: number, customerId: number, subtotalMinor: number) => ({ topic: "orders/paid", payload: order({ orderId, customerId, createdAt: NOW, subtotalMinor }) });
    await ctx.world.deliverAndProcess(shop, [paid(1, 11, 60_000), paid(2, 12, 2_000)], NOW);

    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: NOW })).toEqual({ sent: 2, refused: 0 });
    expect([metafield("11", "points"), metafield("11", "tier"), metafield("12", "points"), metafield("12", "tier")]).toEqual(["600", "Gold", "20", "None"]);
    expect(metafield("11", "referral_url")).toMatch(/^https:\/\/sync\.myshopify\.com\/\?ref=[2-9A-Z]{12}$/);
    expect(tags("11")).toEqual(["loyalty-tier-gold", "vip-early-access"]);
    expect(tags("12")).toEqual([]);
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: NOW })).toEqual({ sent: 0, refused: 0 });

    // A refund takes customer 11 down to Silver once the retention period has passed (the daily pass).
    await ctx.world.deliverAndProcess(shop, [{ topic: "refunds/create", payload: refundPayload({ refundId: 5, orderId: 1, subtotalMinor: 45_000, at: NOW }) }], NOW);
    const { recomputeShopTiers } = await import("~/services/loyalty/tiers.server");
    const later = new Date(NOW.getTime() + 91 * 86_400_000);
    await recomputeShopTiers({ db: ctx.db, shopId, now: later });
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: later })).toEqual({ sent: 1, refused: 0 });
    expect([metafield("11", "points"), metafield("11", "tier")]).toEqual(["150", "Silver"]);
    expect(tags("11")).toEqual(["loyalty-tier-silver"]);

    // The merchant renames Silver: its members' tier metafield (the name themes and emails show) is sent again.
    const { updateProgramSettings } = await import("~/services/loyalty/program.server");
    const renamed = await updateProgramSettings({
      db: ctx.db.pool,
      shopId,
      change: (s) => ({ ...s, tiers: { ...s.tiers, levels: s.tiers.levels.map((tier) => (tier.id === "silver" ? { ...tier, name: "Silver Club" } : tier)) } }),
      now: later,
    });
    expect(renamed.ok).toBe(true);
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: later })).toEqual({ sent: 1, refused: 0 });
    expect(metafield("11", "tier")).toBe("Silver Club");
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: later })).toEqual({ sent: 0, refused: 0 });
  });

  test("a customer Shopify refuses is kept for the next pass; an unreachable Shopify ends the pass", async () => {
    const shop = "sync-faults.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const { syncCustomersToShopify } = await import("~/services/loyalty/shopify-sync.server");
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 3, customerId: 13, createdAt: NOW, subtotalMinor: 5_000 }) }], NOW);
    ctx.fake.injectFault("MetafieldsSet", { userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid" }] });
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: NOW })).toEqual({ sent: 0, refused: 1 });
    ctx.fake.injectFault("MetafieldsSet", "server_error", 2);
    await expect(syncCustomersToShopify({ db: ctx.db, admin, shopId, now: NOW })).rejects.toThrow(/502/);
    expect(await syncCustomersToShopify({ db: ctx.db, admin, shopId, now: NOW })).toEqual({ sent: 1, refused: 0 });
    expect(metafield("13", "points")).toBe("50");
  });
});

describe("Flow triggers", () => {
  test("points earned and tier changed reach Flow once each; a refused one is kept; a redacted customer's are dropped", async () => {
    const shop = "flow.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const { sendFlowEvents } = await import("~/services/loyalty/flow.server");
    await ctx.world.deliverAndProcess(shop, [
      { topic: "orders/paid", payload: order({ orderId: 20, customerId: 21, createdAt: NOW, subtotalMinor: 12_000 }) },
      { topic: "orders/paid", payload: order({ orderId: 21, customerId: 22, createdAt: NOW, subtotalMinor: 3_000 }) },
    ], NOW);
    const redacted = (await ctx.world.customerRow(shopId, "22"))!.id;
    // Redaction deletes the customer's waiting events; one raised later (a late refund's tier change) is dropped.
    await ctx.world.deliverAndProcess(shop, [{ topic: "customers/redact", payload: { ...samplePayload("customers/redact"), customer: { id: 22, email: null, phone: null } } }], NOW);
    const { insertLoyaltyEvents } = await import("~/data/loyalty/events.server");
    await insertLoyaltyEvents(ctx.db.pool, shopId, [{ kind: "tier_changed", customerId: redacted, payload: { tier: null, previousTier: "Silver", direction: "down" } }]);
    const before = ctx.fake.state.flowTriggers?.length ?? 0;
    ctx.fake.injectFault("FlowTriggerReceive", { userErrors: [{ field: ["payload"], message: "Trigger not found" }] });
    expect(await sendFlowEvents({ db: ctx.db, admin, shopId })).toEqual({ sent: 1, refused: 1, dropped: 1 });
    expect(await sendFlowEvents({ db: ctx.db, admin, shopId })).toEqual({ sent: 1, refused: 0, dropped: 0 });
    expect(await sendFlowEvents({ db: ctx.db, admin, shopId })).toEqual({ sent: 0, refused: 0, dropped: 0 });
    // (The fake records a call even when it answers with injected userErrors.)
    const sent = ctx.fake.state.flowTriggers.slice(before);
    expect(new Set(sent.map((trigger: unknown) => JSON.stringify(trigger))).size).toBe(2);
    expect(sent).toEqual(
      expect.arrayContaining([
        { handle: "loyalty-points-earned", payload: { customer_id: 21, Points: 120, "Points balance": 120, Reason: "order_earn", "Order ID": "20" } },
        { handle: "loyalty-tier-changed", payload: { customer_id: 21, Tier: "Silver", "Previous tier": "", Direction: "up" } },
      ]),
    );
  });

  test("events Shopify accepted before it became unreachable are not sent again", async () => {
    const shop = "flow-faults.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const { sendFlowEvents } = await import("~/services/loyalty/flow.server");
    await ctx.world.deliverAndProcess(
      shop,
      Array.from({ length: 6 }, (_, i) => ({ topic: "orders/paid", payload: order({ orderId: 30 + i, customerId: 31, createdAt: NOW, subtotalMinor: 1_000 }) })),
      NOW,
    );
    const before = ctx.fake.state.flowTriggers.length;
    // Sent four at a time: the second group meets a Shopify that is down for longer than the client retries.
    let answered = 0;
    const flaky: typeof admin = async (document, variables) => {
      if (++answered > 4) throw new (await import("~/shopify/admin/client.server")).AdminApiError("Shopify answered 503", "unavailable");
      return admin(document, variables);
    };
    await expect(sendFlowEvents({ db: ctx.db, admin: flaky, shopId })).rejects.toThrow(/503/);
    expect(await sendFlowEvents({ db: ctx.db, admin, shopId })).toEqual({ sent: 2, refused: 0, dropped: 0 });
    expect(ctx.fake.state.flowTriggers.length - before).toBe(6);
  });
});
