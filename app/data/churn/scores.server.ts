/**
 * Customer scores (CustomerChurnScore): written in batches by the nightly run, read by the admin, campaigns and
 * the Shopify sync. `synced*` is what Shopify last received; a score that differs from it is due for a sync.
 */
import type pg from "pg";
import type { Database } from "../db.server";

type Queryable = pg.Pool | pg.PoolClient;
export type RiskLevelName = "low" | "medium" | "high";

export interface CustomerScoreRow {
  customerId: string;
  orders: number;
  spentMinor: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
  frequency: number;
  recencyDays: number;
  ageDays: number;
  probabilityAlive: number;
  expectedPurchases90d: number;
  lifetimeValueMinor: number | null;
  riskLevel: RiskLevelName;
  riskReasons: string[];
  segment: string;
  rfmRecency: number;
  rfmFrequency: number;
  rfmMonetary: number;
}

const COLUMNS: [keyof CustomerScoreRow, string][] = [
  ["customerId", "text"],
  ["orders", "int"],
  ["spentMinor", "int"],
  ["firstOrderAt", "timestamptz"],
  ["lastOrderAt", "timestamptz"],
  ["frequency", "int"],
  ["recencyDays", "int"],
  ["ageDays", "int"],
  ["probabilityAlive", "float8"],
  ["expectedPurchases90d", "float8"],
  ["lifetimeValueMinor", "int"],
  ["riskLevel", '"ChurnRiskLevel"'],
  ["riskReasons", "text"],
  ["segment", "text"],
  ["rfmRecency", "int"],
  ["rfmFrequency", "int"],
  ["rfmMonetary", "int"],
];

/** One statement per batch: column arrays unnested into rows (a text[][] would not unnest per row, so reasons travel as JSON). */
export async function upsertScores(db: Queryable, shopId: number, runId: number, scoredAt: Date, rows: readonly CustomerScoreRow[]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = COLUMNS.map(([name]) => rows.map((row) => (name === "riskReasons" ? JSON.stringify(row.riskReasons) : row[name])));
  const names = COLUMNS.map(([name]) => `"${name}"`).join(", ");
  const unnest = COLUMNS.map(([, type], i) => `$${i + 4}::${type}[]`).join(", ");
  const selected = COLUMNS.map(([name]) => (name === "riskReasons" ? `array(select jsonb_array_elements_text(u."riskReasons"::jsonb))` : `u."${name}"`)).join(", ");
  const updates = COLUMNS.filter(([name]) => name !== "customerId")
    .map(([name]) => `"${name}" = excluded."${name}"`)
    .join(", ");
  await db.query(
    `insert into "CustomerChurnScore" ("shopId", "runId", "scoredAt", ${names})
     select $1, $2, $3, ${selected} from unnest(${unnest}) as u(${names})
     on conflict ("shopId", "customerId") do update set "runId" = excluded."runId", "scoredAt" = excluded."scoredAt", ${updates}`,
    [shopId, runId, scoredAt, ...arrays],
  );
}

/** Scores a run did not rewrite belong to customers who no longer have a counted order (all cancelled or refunded). */
export async function deleteScoresNotFromRun(db: Queryable, shopId: number, runId: number): Promise<number> {
  const result = await db.query(`delete from "CustomerChurnScore" where "shopId" = $1 and "runId" <> $2`, [shopId, runId]);
  return result.rowCount ?? 0;
}

export interface ScoreToSync {
  customerId: string;
  riskLevel: RiskLevelName;
  riskReasons: string[];
  segment: string;
  probabilityAlive: number;
  lifetimeValueMinor: number | null;
  syncedRiskLevel: RiskLevelName | null;
  syncedSegment: string | null;
}

const AWAITING_SYNC = `"shopId" = $1 and ("riskLevel" is distinct from "syncedRiskLevel" or segment is distinct from "syncedSegment")`;

export async function countScoresAwaitingSync(db: Queryable, shopId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from "CustomerChurnScore" where ${AWAITING_SYNC}`, [shopId]);
  return rows[0].n;
}

/** The next page of scores Shopify has not seen, after `afterCustomerId` (keyset, so a long sync never rescans). */
export async function scoresAwaitingSync(db: Queryable, shopId: number, afterCustomerId: string, limit: number): Promise<ScoreToSync[]> {
  const { rows } = await db.query<ScoreToSync>(
    `select "customerId", "riskLevel", "riskReasons", segment, "probabilityAlive", "lifetimeValueMinor", "syncedRiskLevel", "syncedSegment"
       from "CustomerChurnScore" where ${AWAITING_SYNC} and "customerId" > $2 order by "customerId" limit $3`,
    [shopId, afterCustomerId, limit],
  );
  return rows;
}

/** Records what Shopify received (which may already be older than a newer score: then the next sync sends it again). */
export async function markScoresSynced(db: Queryable, shopId: number, sent: readonly { customerId: string; riskLevel: RiskLevelName; segment: string }[], at: Date): Promise<void> {
  if (sent.length === 0) return;
  await db.query(
    `update "CustomerChurnScore" s set "syncedRiskLevel" = u.risk::"ChurnRiskLevel", "syncedSegment" = u.segment, "syncedAt" = $2
       from unnest($3::text[], $4::text[], $5::text[]) as u(customer, risk, segment)
      where s."shopId" = $1 and s."customerId" = u.customer`,
    [shopId, at, sent.map((s) => s.customerId), sent.map((s) => s.riskLevel), sent.map((s) => s.segment)],
  );
}

/** customerId → segment and lifetime value, for the metrics per segment. */
export async function customerSegments(db: Queryable, shopId: number): Promise<Map<string, { segment: string; lifetimeValueMinor: number | null }>> {
  const { rows } = await db.query<{ customerId: string; segment: string; lifetimeValueMinor: number | null }>(
    `select "customerId", segment, "lifetimeValueMinor" from "CustomerChurnScore" where "shopId" = $1`,
    [shopId],
  );
  return new Map(rows.map((row) => [row.customerId, { segment: row.segment, lifetimeValueMinor: row.lifetimeValueMinor }]));
}

export async function riskLevelCounts(database: Database, shopId: number): Promise<Record<RiskLevelName, number>> {
  const groups = await database.prisma.customerChurnScore.groupBy({ by: ["riskLevel"], where: { shopId }, _count: { _all: true } });
  const counts = { low: 0, medium: 0, high: 0 };
  for (const group of groups) counts[group.riskLevel] = group._count._all;
  return counts;
}

export interface ScoredCustomer {
  customerId: string;
  /** From the loyalty program's customer record, when there is one (and it is not redacted). */
  name: string | null;
  email: string | null;
  orders: number;
  spentMinor: number;
  lastOrderAt: Date;
  probabilityAlive: number;
  expectedPurchases90d: number;
  lifetimeValueMinor: number | null;
  riskLevel: RiskLevelName;
  riskReasons: string[];
  segment: string;
}

const SCORED_CUSTOMER = `s."customerId", nullif(trim(concat_ws(' ', c."firstName", c."lastName")), '') as name, c.email, s.orders, s."spentMinor", s."lastOrderAt",
  s."probabilityAlive", s."expectedPurchases90d", s."lifetimeValueMinor", s."riskLevel", s."riskReasons", s.segment`;
const WITH_CUSTOMER = `"CustomerChurnScore" s left join "Customer" c on c."shopId" = s."shopId" and c."shopifyCustomerId" = s."customerId" and c."redactedAt" is null`;

/** A page of scored customers, most valuable first, optionally one risk level and/or segment. */
export async function scoredCustomers(
  db: Queryable,
  shopId: number,
  filter: { riskLevel?: RiskLevelName; segment?: string; take: number; skip: number },
): Promise<{ customers: ScoredCustomer[]; total: number }> {
  const where = `s."shopId" = $1 and ($2::"ChurnRiskLevel" is null or s."riskLevel" = $2::"ChurnRiskLevel") and ($3::text is null or s.segment = $3)`;
  const params = [shopId, filter.riskLevel ?? null, filter.segment ?? null];
  const [page, count] = await Promise.all([
    db.query<ScoredCustomer>(`select ${SCORED_CUSTOMER} from ${WITH_CUSTOMER} where ${where} order by s."spentMinor" desc, s."customerId" limit $4 offset $5`, [...params, filter.take, filter.skip]),
    db.query<{ n: number }>(`select count(*)::int as n from "CustomerChurnScore" s where ${where}`, params),
  ]);
  return { customers: page.rows, total: count.rows[0].n };
}

/** Customers of an audience: an RFM segment and/or a risk level. */
export async function audienceCustomerIds(db: Queryable, shopId: number, audience: { segment: string | null; riskLevel: RiskLevelName | null }): Promise<string[]> {
  const { rows } = await db.query<{ customerId: string }>(
    `select "customerId" from "CustomerChurnScore"
      where "shopId" = $1 and ($2::text is null or segment = $2) and ($3::"ChurnRiskLevel" is null or "riskLevel" = $3::"ChurnRiskLevel")
      order by "customerId"`,
    [shopId, audience.segment, audience.riskLevel],
  );
  return rows.map((row) => row.customerId);
}
