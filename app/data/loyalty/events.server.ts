/** The Flow outbox: events written with the change that caused them, deleted once Shopify has them. */
import type { LoyaltyEvent, LoyaltyEventKind } from "~/shopify/flow/triggers";
import type { Queryable } from "./queryable";

/** The insert of events given as parallel arrays (customer ids, kinds, JSON payloads) in the named parameters. */
export function insertEventsStatement(params: { shopId: string; customerIds: string; kinds: string; payloads: string }): string {
  return `insert into "LoyaltyEvent" ("shopId", "customerId", kind, payload)
    select ${params.shopId}, e."customerId", e.kind::"LoyaltyEventKind", e.payload::jsonb
      from unnest(${params.customerIds}::bigint[], ${params.kinds}::text[], ${params.payloads}::text[]) as e("customerId", kind, payload)`;
}

export function eventParameters(events: readonly LoyaltyEvent[]): [string[], string[], string[]] {
  return [events.map((e) => e.customerId), events.map((e) => e.kind), events.map((e) => JSON.stringify(e.payload))];
}

export async function insertLoyaltyEvents(tx: Queryable, shopId: number, events: readonly LoyaltyEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(insertEventsStatement({ shopId: "$1", customerIds: "$2", kinds: "$3", payloads: "$4" }), [shopId, ...eventParameters(events)]);
}

export interface PendingLoyaltyEvent {
  id: string;
  kind: LoyaltyEventKind;
  payload: LoyaltyEvent["payload"];
  /** Null once the customer was redacted: such an event is dropped, never sent. */
  shopifyCustomerId: string | null;
  attempts: number;
}

export async function pendingLoyaltyEvents(db: Queryable, shopId: number, afterId: string, limit: number): Promise<PendingLoyaltyEvent[]> {
  const { rows } = await db.query<PendingLoyaltyEvent>(
    `select e.id::text as id, e.kind, e.payload, c."shopifyCustomerId", e.attempts
       from "LoyaltyEvent" e join "Customer" c on c.id = e."customerId"
      where e."shopId" = $1 and e.id > $2 order by e.id limit $3`,
    [shopId, afterId, limit],
  );
  return rows;
}

export async function deleteLoyaltyEvents(db: Queryable, shopId: number, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.query(`delete from "LoyaltyEvent" where "shopId" = $1 and id = any($2::bigint[])`, [shopId, ids]);
}

/** An event Shopify refused is kept with its error and tried again on later passes. */
export async function recordLoyaltyEventFailure(db: Queryable, shopId: number, id: string, error: string): Promise<void> {
  await db.query(`update "LoyaltyEvent" set attempts = attempts + 1, "lastError" = left($3, 1000) where "shopId" = $1 and id = $2`, [shopId, id, error]);
}

/** Shops with events waiting. */
export async function shopsWithPendingEvents(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ shopId: number }>(`select distinct "shopId" from "LoyaltyEvent"`);
  return rows.map((row) => row.shopId);
}
