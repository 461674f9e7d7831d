/**
 * Redeeming a reward (docs/decisions/020-loyalty-ledger.md §5). Under the customer's row lock the balance is
 * checked and the redemption is written with its ledger row, in one transaction, so concurrent redemptions
 * (two tabs, a double click, checkout and storefront) can never take the balance below zero. Shopify is called
 * after the commit; if it refuses or cannot be reached, a redemption_reversal row returns the points. Nothing
 * is ever half-done: a redemption is issued (with its code) or reversed (with its points back). A retry of the
 * same request (same `requestKey`) returns the first outcome instead of redeeming twice.
 */
import { randomBytes as cryptoRandomBytes, randomUUID } from "node:crypto";
import { inTransaction, type Database } from "~/data/db.server";
import { lockCustomer, lockCustomerByShopifyId } from "~/data/loyalty/customers.server";
import { insertLoyaltyEvents } from "~/data/loyalty/events.server";
import {
  findRedemptionByRequestKey,
  insertRedemption,
  lockPendingRedemption,
  markRedemptionIssued,
  markRedemptionReversed,
  replaceRedemptionCode,
  stalePendingRedemptions,
  type RedemptionRow,
} from "~/data/loyalty/redemptions.server";
import { describeRedemption, generateRewardCode, quoteRedemption, rewardSchema, type RedemptionRefusal, type Reward } from "~/domain/loyalty";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { balanceOf } from "./balance.server";
import { postEntries } from "./posting.server";
import { loadProgram } from "./program.server";
import { findReward } from "./rewards.server";
import { findIssuedCode, issueInShopify } from "./shopify-rewards.server";

export type RedemptionFailure =
  | "not_a_customer"
  | "program_off"
  | "reward_unavailable"
  | RedemptionRefusal
  | "in_progress"
  | "shopify_refused";

export interface IssuedRedemption {
  redemptionId: string;
  rewardId: string;
  title: string;
  kind: Reward["type"];
  /** The single-use code; null for store credit. */
  code: string | null;
  /** Store credit added, in minor units of `currencyCode`; null for codes. */
  creditedMinor: number | null;
  currencyCode: string;
  pointsCost: number;
  expiresAt: Date | null;
  /** Spendable points after the redemption. */
  balance: number;
}

export type RedemptionResult = { ok: true; redemption: IssuedRedemption } | { ok: false; reason: RedemptionFailure; message: string };

const MESSAGES: Record<RedemptionFailure, string> = {
  not_a_customer: "We could not find your rewards account yet. Please try again in a minute.",
  program_off: "The rewards program is not running at the moment.",
  reward_unavailable: "This reward is not available.",
  reward_archived: "This reward is no longer offered.",
  tier_restricted: "This reward is for a higher tier.",
  insufficient_points: "You do not have enough points for this reward.",
  in_progress: "This redemption is still being processed. Please try again in a moment.",
  shopify_refused: "We could not create your reward right now; your points were not spent. Please try again later.",
};

const refuse = (reason: RedemptionFailure): RedemptionResult => ({ ok: false, reason, message: MESSAGES[reason] });

/** The marker that ends the title of the redemption's code in Shopify (see shopify-rewards.server.ts). */
const marker = (redemptionId: string) => `R${redemptionId}`;

function issued(row: RedemptionRow, balance: number): IssuedRedemption {
  const reward = rewardSchema.parse(row.rewardSnapshot);
  return {
    redemptionId: row.id,
    rewardId: String(row.rewardId),
    title: reward.name,
    kind: reward.type,
    code: row.code,
    creditedMinor: row.creditedMinor,
    currencyCode: row.currencyCode,
    pointsCost: row.pointsCost,
    expiresAt: row.expiresAt,
    balance,
  };
}

/** A settled redemption as its outcome (for a retried request). */
async function outcomeOf(db: Database, shopId: number, row: RedemptionRow, now: Date): Promise<RedemptionResult> {
  if (row.status === "pending") return refuse("in_progress");
  if (row.status === "reversed") return refuse("shopify_refused");
  return { ok: true, redemption: issued(row, (await balanceOf(db.pool, shopId, row.customerId, now)).available) };
}

/** Returns the points of a redemption Shopify did not issue, once (the reversal's key is the redemption's). */
async function reverse(db: Database, shopId: number, redemptionId: string, failure: string, now: Date): Promise<void> {
  await inTransaction(db.pool, async (tx) => {
    const row = await lockPendingRedemption(tx, shopId, redemptionId);
    if (!row) return;
    const customer = await lockCustomer(tx, shopId, row.customerId);
    await markRedemptionReversed(tx, shopId, row.id, failure, now);
    if (!customer) return;
    const program = await loadProgram(tx, shopId);
    await postEntries(tx, program, customer, [
      { customerId: customer.id, kind: "redemption_reversal", points: row.pointsCost, availableAt: now, occurredAt: now, idempotencyKey: `redemption:${row.id}:reversed` },
    ], now);
  });
}

async function markIssued(db: Database, shopId: number, redemptionId: string, shopifyDiscountId: string | null, now: Date): Promise<RedemptionRow | null> {
  return inTransaction(db.pool, async (tx) => {
    const row = await lockPendingRedemption(tx, shopId, redemptionId);
    if (!row) return null;
    await markRedemptionIssued(tx, shopId, row.id, shopifyDiscountId, now);
    const reward = rewardSchema.parse(row.rewardSnapshot);
    const balance = await balanceOf(tx, shopId, row.customerId, now);
    await insertLoyaltyEvents(tx, shopId, [
      { kind: "reward_redeemed", customerId: row.customerId, payload: { reward: reward.name, pointsCost: row.pointsCost, code: row.code, balance: balance.available } },
    ]);
    return { ...row, status: "issued", shopifyDiscountId };
  });
}

export async function redeemReward(input: {
  db: Database;
  admin: AdminClient;
  shopId: number;
  /** Shopify's customer id. */
  customerId: string;
  rewardId: string;
  now: Date;
  /** The same key for a retried request returns its first outcome; a fresh one by default. */
  requestKey?: string;
  randomBytes?: (size: number) => Uint8Array;
}): Promise<RedemptionResult> {
  const { db, shopId, now } = input;
  const requestKey = input.requestKey ?? randomUUID();
  const newCode = () => generateRewardCode(input.randomBytes ?? cryptoRandomBytes);

  const started = await inTransaction(db.pool, async (tx) => {
    const customer = await lockCustomerByShopifyId(tx, shopId, input.customerId);
    if (!customer) return refuse("not_a_customer");
    const earlier = await findRedemptionByRequestKey(tx, shopId, requestKey);
    if (earlier) return { step: "retried" as const, earlier };
    const program = await loadProgram(tx, shopId);
    if (!program.settings.enabled) return refuse("program_off");
    const reward = await findReward(tx, shopId, input.rewardId);
    if (!reward) return refuse("reward_unavailable");
    const balance = await balanceOf(tx, shopId, customer.id, now);
    const quote = quoteRedemption(reward, { balance, tierId: customer.tierId }, program.settings.tiers);
    if (!quote.allowed) return refuse(quote.reason);

    const { id: rewardId, ...terms } = reward;
    const issue = describeRedemption(terms, { customerId: input.customerId, currencyCode: program.currencyCode, now, newCode });
    const redemptionId = await insertRedemption(tx, shopId, {
      customerId: customer.id,
      rewardId: Number(rewardId),
      rewardSnapshot: terms,
      pointsCost: quote.pointsCost,
      requestKey,
      code: issue.kind === "store_credit" ? null : issue.code,
      creditedMinor: issue.kind === "store_credit" ? issue.credit.amountMinor : null,
      currencyCode: program.currencyCode,
      expiresAt: issue.kind === "store_credit" ? issue.expiresAt : issue.endsAt,
      createdAt: now,
    });
    if (redemptionId === null) throw new Error("redemption request key taken inside its own lock");
    await postEntries(tx, program, customer, [
      { customerId: customer.id, kind: "redemption", points: -quote.pointsCost, availableAt: now, occurredAt: now, idempotencyKey: `redemption:${redemptionId}` },
    ], now);
    return { step: "recorded" as const, redemptionId, issue, available: balance.available - quote.pointsCost };
  });
  if (!("step" in started)) return started;
  if (started.step === "retried") return outcomeOf(db, shopId, started.earlier, now);

  let outcome;
  try {
    outcome = await issueInShopify(input.admin, started.issue, marker(started.redemptionId), async () => {
      const code = newCode();
      await replaceRedemptionCode(db.pool, shopId, started.redemptionId, code);
      return code;
    });
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    await reverse(db, shopId, started.redemptionId, error.message, now);
    return refuse("shopify_refused");
  }
  const row = await markIssued(db, shopId, started.redemptionId, outcome.shopifyDiscountId, now);
  if (!row) return refuse("in_progress");
  return { ok: true, redemption: issued({ ...row, code: outcome.code }, started.available) };
}

/**
 * Settles redemptions left pending by a process that died between its commit and Shopify's answer: a code that
 * Shopify has (found by code, recognised by its title's marker) is issued; anything else is reversed. Store
 * credit cannot be looked up by redemption (Shopify 2025-01 has no idempotency key for it), so it is reversed.
 */
export async function settleStaleRedemptions(input: {
  db: Database;
  adminFor: (shopDomain: string) => Promise<AdminClient | null>;
  now: Date;
  olderThanMs?: number;
}): Promise<{ issued: number; reversed: number }> {
  const stale = await stalePendingRedemptions(input.db.pool, new Date(input.now.getTime() - (input.olderThanMs ?? 10 * 60_000)), 500);
  const settled = { issued: 0, reversed: 0 };
  for (const row of stale) {
    const admin = await input.adminFor(row.shopDomain);
    if (!admin) continue;
    const discountId = row.code ? await findIssuedCode(admin, row.code, marker(row.id)) : null;
    if (discountId) {
      await markIssued(input.db, row.shopId, row.id, discountId, input.now);
      settled.issued += 1;
    } else {
      await reverse(input.db, row.shopId, row.id, "not confirmed by Shopify", input.now);
      settled.reversed += 1;
    }
  }
  return settled;
}
