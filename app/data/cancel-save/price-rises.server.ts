/**
 * Price rises with grandfathering (PriceRise) and each affected line's scheduled move to the new price
 * (ScheduledRepricing): on the rise's date, or when the line's protection ends.
 */
import type pg from "pg";
import type { GrandfatheringRule, LineRepricing, PriceRise, ProtectedSubscriber } from "~/domain/cancel-save";
import { inTransaction, type Database } from "../db.server";
import { setPriceProtectedUntil } from "./contracts.server";

type Queryable = pg.Pool | pg.PoolClient;

/** Records the rise, its repricings and who is protected until when, in one transaction. */
export async function recordPriceRise(
  database: Database,
  shopId: number,
  input: {
    rise: PriceRise;
    rule: GrandfatheringRule;
    protectedSubscribers: ProtectedSubscriber[];
    repricings: (LineRepricing & { customerId: string })[];
    createdBy: string | null;
    now: Date;
  },
): Promise<number> {
  return inTransaction(database.pool, async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `insert into "PriceRise" ("shopId", "variantId", "newUnitPriceMinor", "currencyCode", "effectiveOn", rule, "createdBy", "createdAt")
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) returning id`,
      [shopId, input.rise.variantId, input.rise.newUnitPrice.amountMinor, input.rise.newUnitPrice.currencyCode, input.rise.effectiveOn, JSON.stringify(input.rule), input.createdBy, input.now],
    );
    const priceRiseId = rows[0].id;
    const because = new Map(input.protectedSubscribers.map((p) => [p.contractId, p.because]));
    for (const r of input.repricings) {
      await tx.query(
        `insert into "ScheduledRepricing" ("priceRiseId", "shopId", "customerId", "contractId", "lineId", "fromUnitPriceMinor", "toUnitPriceMinor", "currencyCode", "protectedBecause", "dueOn")
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10)`,
        [priceRiseId, shopId, r.customerId, r.contractId, r.lineId, r.fromUnitPriceMinor, r.toUnitPriceMinor, r.currencyCode, because.get(r.contractId) ?? [], r.on],
      );
    }
    const byUntil = new Map<number, string[]>();
    for (const p of input.protectedSubscribers) byUntil.set(p.protectedUntil.getTime(), [...(byUntil.get(p.protectedUntil.getTime()) ?? []), p.contractId]);
    for (const [until, contractIds] of byUntil) await setPriceProtectedUntil(tx, shopId, contractIds, new Date(until));
    return priceRiseId;
  });
}

export interface ProtectedLine {
  id: number;
  customerId: string;
  contractId: string;
  lineId: string;
  variantId: string;
  keepsUnitPriceMinor: number;
  newUnitPriceMinor: number;
  currencyCode: string;
  protectedBecause: string[];
  protectedUntil: Date;
}

/** Lines still billed at their old price, and until when: protection ending soonest first. */
export async function protectedLines(db: Queryable, shopId: number): Promise<ProtectedLine[]> {
  const { rows } = await db.query<ProtectedLine>(
    `select r.id, r."customerId", r."contractId", r."lineId", p."variantId", r."fromUnitPriceMinor" as "keepsUnitPriceMinor",
            r."toUnitPriceMinor" as "newUnitPriceMinor", r."currencyCode", r."protectedBecause", r."dueOn" as "protectedUntil"
     from "ScheduledRepricing" r join "PriceRise" p on p.id = r."priceRiseId"
     where r."shopId" = $1 and r."appliedAt" is null and cardinality(r."protectedBecause") > 0
     order by r."dueOn", r."customerId", r.id`,
    [shopId],
  );
  return rows;
}

export interface DueRepricing {
  id: number;
  contractId: string;
  lineId: string;
  fromUnitPriceMinor: number;
  toUnitPriceMinor: number;
  currencyCode: string;
}

export async function dueRepricings(db: Queryable, shopId: number, now: Date): Promise<DueRepricing[]> {
  const { rows } = await db.query<DueRepricing>(
    `select id, "contractId", "lineId", "fromUnitPriceMinor", "toUnitPriceMinor", "currencyCode" from "ScheduledRepricing"
     where "shopId" = $1 and "appliedAt" is null and "dueOn" <= $2 order by "dueOn", id`,
    [shopId, now],
  );
  return rows;
}

export async function markRepricing(db: Queryable, id: number, outcome: { appliedAt: Date } | { error: string }): Promise<void> {
  if ("appliedAt" in outcome) await db.query(`update "ScheduledRepricing" set "appliedAt" = $2, "lastError" = null where id = $1`, [id, outcome.appliedAt]);
  else await db.query(`update "ScheduledRepricing" set "lastError" = $2 where id = $1`, [id, outcome.error.slice(0, 1000)]);
}
