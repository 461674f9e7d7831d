/**
 * Shared by the cancel-save integration tests: a shop on a test database of its own, the fake Admin API (every
 * operation validated against Shopify's schema) holding seeded subscription contracts, and the mirror filled
 * from it as the webhooks would.
 */
import { randomUUID } from "node:crypto";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { seedSubscriptionContract, subscriptionContracts, type ContractSeed } from "../../../scripts/fake-shopify/subscription-resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { cancelSaveSettingsSchema, type CancelSaveSettingsInput } from "~/domain/cancel-save";
import { shopIdFor } from "~/data/shops.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin/client.server";
import { refreshContract } from "~/services/cancel-save/contract-mirror.server";
import { saveCancelSaveSettings } from "~/services/cancel-save/settings.server";
import type { FlowContext } from "~/services/cancel-save/cancel-flow.server";

export const NOW = new Date("2026-03-10T12:00:00.000Z");
export const DAY_MS = 86_400_000;
export const daysFrom = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

export interface Harness {
  database: TestDatabase;
  fake: FakeAdminApi;
  /** One attempt per call (no retries), so a fault shows at once; a 5 s timeout (a hang fault waits it out) that a loaded machine never hits by itself. */
  admin: AdminClient;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const database = await createTestDatabase();
  const fake = await startFakeAdminApi(fakeAdminResolvers);
  const admin = createAdminClient({ shop: "subscriptions.myshopify.com", accessToken: "token" }, { origin: fake.origin, maxAttempts: 1, timeoutMs: 5_000 });
  return {
    database,
    fake,
    admin,
    async stop() {
      await fake.close();
      await database.drop();
    },
  };
}

export async function newShop(h: Harness, settings?: CancelSaveSettingsInput): Promise<number> {
  const shopId = await shopIdFor(h.database.pool, `shop-${randomUUID().slice(0, 8)}.myshopify.com`);
  if (settings) {
    await saveCancelSaveSettings(h.database, shopId, cancelSaveSettingsSchema.parse(settings), { formToken: randomUUID(), staffUserId: null, now: NOW });
  }
  return shopId;
}

let nextId = 70_000;

/** A monthly coffee subscription (2 × 12.50 USD) unless told otherwise, in the fake Admin API and in the mirror. */
export async function seedContract(h: Harness, shopId: number, overrides: Partial<ContractSeed> = {}) {
  const id = String((nextId += 1));
  const seed: ContractSeed = {
    id,
    customerId: `5${id}`,
    createdAt: daysFrom(NOW, -200),
    nextBillingDate: daysFrom(NOW, 12),
    lines: [{ id: `${id}1`, variantId: "4001", title: "House blend 1 kg", quantity: 2, unitPriceMinor: 1250 }],
    ...overrides,
  };
  const fakeContract = seedSubscriptionContract(h.fake.state, seed);
  const mirrored = await refreshContract(h.database.pool, h.admin, shopId, id, NOW);
  return { contractId: id, customerId: seed.customerId, fakeContract, mirrored: mirrored! };
}

export function fakeContract(h: Harness, contractId: string) {
  return subscriptionContracts(h.fake.state).get(`gid://shopify/SubscriptionContract/${contractId}`)!;
}

export function flowContext(h: Harness, shopId: number, now = NOW, extra: Partial<FlowContext> = {}): FlowContext {
  return { database: h.database, admin: h.admin, shopId, now, ...extra };
}

/** The operation names the fake Admin API received since `from` (an index into its call log). */
export function callsSince(h: Harness, from: number): string[] {
  return h.fake.calls.slice(from).map((call) => call.operationName);
}
