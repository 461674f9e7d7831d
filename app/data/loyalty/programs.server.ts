/** The shop's loyalty program row: settings JSON (validated by the service), time zone, version. */
import type { Queryable } from "./queryable";

export interface ProgramRow {
  currencyCode: string;
  timeZone: string;
  /** 0 while the shop has never saved settings. */
  version: number;
  /** The stored settings, or undefined when `knownVersion` is still current (the caller has them parsed). */
  settings: unknown;
}

/**
 * The shop's program. Pass the version the caller has already parsed: the settings JSON is only sent when it
 * changed since, so the hot path reads one small row.
 */
export async function readProgram(db: Queryable, shopId: number, knownVersion: number | null = null): Promise<ProgramRow> {
  const { rows } = await db.query<{ currencyCode: string; timeZone: string | null; version: number | null; settings: unknown }>(
    `select s."currencyCode", p."timeZone", p.version,
            case when p.version is distinct from $2 then p.settings end as settings
       from "Shop" s left join "LoyaltyProgram" p on p."shopId" = s.id
      where s.id = $1`,
    [shopId, knownVersion],
  );
  const row = rows[0];
  if (!row) throw new Error(`no shop ${shopId}`);
  const version = row.version ?? 0;
  return { currencyCode: row.currencyCode, timeZone: row.timeZone ?? "UTC", version, settings: version === knownVersion ? undefined : (row.settings ?? {}) };
}

/** Saves the settings (already validated) and bumps the version; returns the new version. */
export async function writeProgram(db: Queryable, shopId: number, settings: unknown, timeZone: string | null): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `insert into "LoyaltyProgram" ("shopId", settings, "timeZone", version, "updatedAt")
     values ($1, $2::jsonb, coalesce($3, 'UTC'), 1, now())
     on conflict ("shopId") do update
       set settings = excluded.settings, "timeZone" = coalesce($3, "LoyaltyProgram"."timeZone"),
           version = "LoyaltyProgram".version + 1, "updatedAt" = now()
     returning version`,
    [shopId, JSON.stringify(settings), timeZone],
  );
  return rows[0].version;
}

/** Shops whose program is switched on, for the daily jobs. */
export async function shopsWithProgramOn(db: Queryable): Promise<{ shopId: number; shopDomain: string }[]> {
  const { rows } = await db.query<{ shopId: number; shopDomain: string }>(
    `select s.id as "shopId", s.domain as "shopDomain"
       from "LoyaltyProgram" p join "Shop" s on s.id = p."shopId"
      where (p.settings->>'enabled')::boolean and s."uninstalledAt" is null
      order by s.id`,
  );
  return rows;
}

export async function findShopDomain(db: Queryable, shopId: number): Promise<string> {
  const { rows } = await db.query<{ domain: string }>(`select domain from "Shop" where id = $1`, [shopId]);
  if (!rows[0]) throw new Error(`no shop ${shopId}`);
  return rows[0].domain;
}

/** The shop's id, or null when the app has never heard of the domain (no install, no webhook). */
export async function findShopId(db: Queryable, domain: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(`select id from "Shop" where domain = $1`, [domain]);
  return rows[0]?.id ?? null;
}
