/** Birthdays and first-order anniversaries celebrated (CustomerMoment), and whose birthday falls on a day. */
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;
export type MomentKind = "birthday" | "anniversary";

/**
 * Loyalty members (Shopify customer ids) whose stored birthday is one of `monthDays` ([month, day]) and who have not
 * been celebrated for `kind` in `year`.
 */
export async function birthdaysOn(db: Queryable, shopId: number, monthDays: readonly [number, number][], year: number): Promise<string[]> {
  const { rows } = await db.query<{ customerId: string }>(
    `select c."shopifyCustomerId" as "customerId" from "Customer" c
       join unnest($2::int[], $3::int[]) as d(month, day) on c."birthdayMonth" = d.month and c."birthdayDay" = d.day
      where c."shopId" = $1 and c."redactedAt" is null
        and not exists (select 1 from "CustomerMoment" m where m."shopId" = $1 and m."customerId" = c."shopifyCustomerId" and m.kind = 'birthday' and m.year = $4)
      order by 1`,
    [shopId, monthDays.map(([month]) => month), monthDays.map(([, day]) => day), year],
  );
  return rows.map((row) => row.customerId);
}

/** Of `customerIds`, those already celebrated for `kind` in `year`. */
export async function celebratedAlready(db: Queryable, shopId: number, kind: MomentKind, year: number, customerIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ customerId: string }>(
    `select "customerId" from "CustomerMoment" where "shopId" = $1 and kind = $2::"MomentKind" and year = $3 and "customerId" = any($4::text[])`,
    [shopId, kind, year, customerIds],
  );
  return new Set(rows.map((row) => row.customerId));
}

export async function recordMoment(db: Queryable, shopId: number, moment: { customerId: string; kind: MomentKind; year: number; at: Date; rewardCode: string | null }): Promise<void> {
  await db.query(
    `insert into "CustomerMoment" ("shopId", "customerId", kind, year, "triggeredAt", "rewardCode") values ($1, $2, $3::"MomentKind", $4, $5, $6)
     on conflict do nothing`,
    [shopId, moment.customerId, moment.kind, moment.year, moment.at, moment.rewardCode],
  );
}
