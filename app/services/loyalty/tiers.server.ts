/**
 * VIP tiers: recomputed for a customer on every ledger change (inside the posting transaction), and for every
 * customer of a shop by the daily job, which is what moves customers down when old orders leave the rolling
 * window or a retention period ends. The admin's preview of a rule change counts who would move.
 */
import { inTransaction, type Database } from "~/data/db.server";
import {
  customerIdsPage,
  customerStanding,
  customerStandings,
  lockCustomers,
  recordCustomerStandings,
  type LoyaltyCustomer,
  type StandingChange,
} from "~/data/loyalty/customers.server";
import type { Queryable } from "~/data/loyalty/queryable";
import type { z } from "zod";
import {
  nextTierAssignment,
  previewTierChanges,
  programSettingsSchema,
  rollingWindowStart,
  type ProgramSettingsInput,
  type TierChangePreview,
  type TierStanding,
} from "~/domain/loyalty";
import type { LoyaltyEvent } from "~/shopify/flow/triggers";
import { loadProgram, type LoadedProgram } from "./program.server";

const EMPTY_STANDING: TierStanding = { spendMinor: { rolling12Months: 0, lifetime: 0 }, pointsEarned: { rolling12Months: 0, lifetime: 0 } };

export interface TierOutcome {
  tierId: string | null;
  tierSince: Date | null;
  /** The Flow event for a move up or down, if any. */
  event: LoyaltyEvent | null;
}

function decideTier(program: LoadedProgram, customer: LoyaltyCustomer, standing: TierStanding, now: Date): TierOutcome {
  const rules = program.settings.tiers;
  const current = customer.tierId && customer.tierSince ? { tierId: customer.tierId, since: customer.tierSince } : null;
  const { assignment, change } = nextTierAssignment(current, standing, rules, now);
  const tierId = assignment?.tierId ?? null;
  const name = (id: string | null) => rules.levels.find((tier) => tier.id === id)?.name ?? id;
  const event: LoyaltyEvent | null =
    change === "none" || tierId === customer.tierId
      ? null
      : { kind: "tier_changed", customerId: customer.id, payload: { tier: name(tierId), previousTier: name(customer.tierId), direction: change } };
  return { tierId, tierSince: assignment?.since ?? null, event };
}

/** The tier the locked customer should hold now, from their standing as of this transaction. */
async function assignTier(tx: Queryable, program: LoadedProgram, customer: LoyaltyCustomer, now: Date): Promise<TierOutcome> {
  return decideTier(program, customer, await customerStanding(tx, program.shopId, customer.id, rollingWindowStart(now)), now);
}

/** The tiers several locked customers should hold now (assignTier for each), by customer id. */
export async function assignTiers(tx: Queryable, program: LoadedProgram, customers: readonly LoyaltyCustomer[], now: Date): Promise<Map<string, TierOutcome>> {
  // One customer (most postings) is read by the two index scans of customerStanding, without grouping.
  if (customers.length === 1) return new Map([[customers[0].id, await assignTier(tx, program, customers[0], now)]]);
  const standings = await customerStandings(tx, program.shopId, customers.map((customer) => customer.id), rollingWindowStart(now));
  return new Map(customers.map((customer) => [customer.id, decideTier(program, customer, standings.get(customer.id) ?? EMPTY_STANDING, now)]));
}

const TIER_JOB_PAGE = 500;

/**
 * The daily pass over every customer of the shop, a page at a time, each page locked and decided in one
 * transaction (so it never races an order being processed for the same customer). Returns how many moved.
 */
export async function recomputeShopTiers(input: { db: Database; shopId: number; now: Date }): Promise<{ customers: number; movedUp: number; movedDown: number }> {
  const program = await loadProgram(input.db.pool, input.shopId);
  const outcome = { customers: 0, movedUp: 0, movedDown: 0 };
  let after = "0";
  for (;;) {
    const ids = await customerIdsPage(input.db.pool, input.shopId, after, TIER_JOB_PAGE);
    if (ids.length === 0) return outcome;
    after = ids[ids.length - 1];
    await inTransaction(input.db.pool, async (tx) => {
      const customers = await lockCustomers(tx, input.shopId, ids);
      const tiers = await assignTiers(tx, program, customers, input.now);
      const changes: StandingChange[] = [];
      for (const customer of customers) {
        const tier = tiers.get(customer.id)!;
        if (tier.tierId === customer.tierId && tier.tierSince?.getTime() === customer.tierSince?.getTime()) continue;
        changes.push({ customerId: customer.id, standing: { tierId: tier.tierId, tierSince: tier.tierSince, lastActivityAt: customer.lastActivityAt }, events: tier.event ? [tier.event] : [] });
        if (tier.event?.kind === "tier_changed") {
          if (tier.event.payload.direction === "up") outcome.movedUp += 1;
          else outcome.movedDown += 1;
        }
      }
      await recordCustomerStandings(tx, input.shopId, changes);
      outcome.customers += customers.length;
    });
  }
}

/**
 * How many customers the proposed tier rules (as the admin's form gives them) would move, before the merchant
 * saves them; or why the rules are not valid.
 */
export async function previewTierRules(input: {
  db: Queryable;
  shopId: number;
  rules: ProgramSettingsInput["tiers"];
  now: Date;
}): Promise<{ ok: true; preview: TierChangePreview } | { ok: false; issues: z.core.$ZodIssue[] }> {
  const program = await loadProgram(input.db, input.shopId);
  const proposed = programSettingsSchema(program.currencyCode).safeParse({ ...program.settings, tiers: input.rules });
  if (!proposed.success) return { ok: false, issues: proposed.error.issues };
  const standings = await customerStandings(input.db, input.shopId, null, rollingWindowStart(input.now));
  return { ok: true, preview: previewTierChanges([...standings.values()], program.settings.tiers, proposed.data.tiers) };
}
