/**
 * Paid VIP membership: a subscription (contracts with the program's variant) that grants a loyalty tier while it
 * runs, is paused, or is failing within its grace; a cancelled one keeps the tier to the end of the period paid
 * for. Cancelling it goes through the same save flow as any subscription. Once it lapses the customer holds the
 * tier they earned (app/domain/cancel-save/membership.ts).
 */
import type pg from "pg";
import {
  billingFailureRisk,
  effectiveTier,
  isLiveContract,
  membershipStanding,
  type EffectiveTier,
  type MembershipContract,
  type MembershipStanding,
} from "~/domain/cancel-save";
import { programSettingsSchema } from "~/domain/loyalty/settings";
import { billingAttemptsOf } from "~/data/cancel-save/billing.server";
import { contractsOfCustomer, contractsWithVariant, type MirroredContract } from "~/data/cancel-save/contracts.server";
import { earnedTierOf, loyaltyProgramOf } from "~/data/cancel-save/loyalty.server";
import { loadMembershipProgram, type MembershipProgram } from "./settings.server";

type Queryable = pg.Pool | pg.PoolClient;

/** The loyalty program's tier ids, lowest first. */
export function tierOrderOf(programSettings: unknown, currencyCode: string): string[] {
  return programSettingsSchema(currencyCode)
    .parse(programSettings ?? {})
    .tiers.levels.map((level) => level.id);
}

/** A running membership decides; otherwise the latest one that ended. */
function decidingContract(contracts: MirroredContract[]): MirroredContract | null {
  const latestFirst = contracts.toSorted((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0));
  return latestFirst.find((c) => isLiveContract(c.contract)) ?? latestFirst[0] ?? null;
}

async function membershipContractOf(db: Queryable, shopId: number, contract: MirroredContract | null): Promise<MembershipContract | null> {
  if (!contract) return null;
  const attempts = (await billingAttemptsOf(db, shopId, [contract.contractId])).get(contract.contractId) ?? [];
  return { status: contract.contract.status, paidThrough: contract.contract.nextBillingDate, billingFailingSince: billingFailureRisk(attempts).failingSince };
}

/** The loyalty program's tier ids, lowest first: a membership grants one of them. */
export async function loyaltyTierIds(db: Queryable, shopId: number): Promise<string[]> {
  const program = await loyaltyProgramOf(db, shopId);
  return tierOrderOf(program.programSettings, program.currencyCode);
}

const hasVariant = (program: MembershipProgram) => (c: MirroredContract) => c.contract.lines.some((line) => line.variantId === program.variantId);

/** The tier the customer holds now: earned, or granted by a paid membership, whichever is higher. */
export async function subscriberTier(db: Queryable, shopId: number, customerId: string, now: Date): Promise<EffectiveTier> {
  const [program, earned] = await Promise.all([loadMembershipProgram(db, shopId), earnedTierOf(db, shopId, customerId)]);
  if (!program) return { tier: earned, source: earned === null ? null : "earned", membership: { state: "none" } };
  const memberships = (await contractsOfCustomer(db, shopId, customerId)).filter(hasVariant(program));
  const membership = await membershipContractOf(db, shopId, decidingContract(memberships));
  // A tier the merchant has since removed from the loyalty program still ranks (last) rather than stopping the flow.
  const order = [...new Set([...(await loyaltyTierIds(db, shopId)), program.grantsTier, ...(earned === null ? [] : [earned])])];
  return effectiveTier(earned, membership, program, order, now);
}

export interface Member {
  customerId: string;
  contractId: string;
  standing: MembershipStanding;
}

/** Every customer with a membership contract and where their membership stands, for the admin. */
export async function membershipMembers(db: Queryable, shopId: number, now: Date): Promise<{ program: MembershipProgram | null; members: Member[] }> {
  const program = await loadMembershipProgram(db, shopId);
  if (!program) return { program, members: [] };
  const byCustomer = new Map<string, MirroredContract[]>();
  for (const contract of await contractsWithVariant(db, shopId, program.variantId)) {
    byCustomer.set(contract.customerId, [...(byCustomer.get(contract.customerId) ?? []), contract]);
  }
  const members: Member[] = [];
  for (const [customerId, contracts] of byCustomer) {
    const deciding = decidingContract(contracts)!;
    const membership = await membershipContractOf(db, shopId, deciding);
    members.push({ customerId, contractId: deciding.contractId, standing: membershipStanding(membership, program, now) });
  }
  return { program, members };
}
