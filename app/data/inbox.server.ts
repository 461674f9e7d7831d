/**
 * The webhook inbox: every accepted delivery is a row before Shopify gets its 200. Rows are never dropped;
 * a row that keeps failing stays `failed`, visible with its last error, and can be replayed.
 */
import type pg from "pg";

export interface InboxDelivery {
  shopId: number;
  topic: string;
  dedupeKey: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  rawPayload: string;
}

export interface InboxRow {
  id: string;
  shopId: number;
  shopDomain: string;
  topic: string;
  payload: unknown;
  status: "received" | "processed" | "failed";
  attempts: number;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/**
 * Inserts deliveries in one statement; returns the new rows' ids by `${shopId}|${dedupeKey}`. A delivery whose
 * key is already recorded (a redelivery, or a twin within the batch) gets no id.
 */
export async function recordDeliveries(tx: pg.PoolClient, deliveries: InboxDelivery[]): Promise<Map<string, string>> {
  // One VALUES row per delivery with plain parameters: array parameters would make pg escape every payload
  // character by character.
  // In key order: two web processes recording the same deliveries (a redelivery racing its original) then take
  // the unique index's entries in the same order and wait for each other instead of deadlocking.
  const ordered = [...deliveries].sort((x, y) => x.shopId - y.shopId || (x.dedupeKey < y.dedupeKey ? -1 : x.dedupeKey > y.dedupeKey ? 1 : 0));
  const values: unknown[] = [];
  const tuples = ordered.map((d) => {
    const at = values.push(d.shopId, d.topic, d.dedupeKey, d.webhookId, d.eventId, d.apiVersion, d.triggeredAt, d.rawPayload);
    return `($${at - 7}::int, $${at - 6}, $${at - 5}, $${at - 4}, $${at - 3}, $${at - 2}, $${at - 1}::timestamptz, $${at}::jsonb)`;
  });
  const { rows } = await tx.query<{ id: string; shopId: number; dedupeKey: string }>(
    `insert into "WebhookInbox" ("shopId", topic, "dedupeKey", "webhookId", "eventId", "apiVersion", "triggeredAt", payload)
     values ${tuples.join(", ")}
     on conflict ("shopId", "dedupeKey") do nothing
     returning id::text as id, "shopId", "dedupeKey"`,
    values,
  );
  return new Map(rows.map((row) => [`${row.shopId}|${row.dedupeKey}`, row.id]));
}

/** Locks the row for processing; null when it is gone or already processed. */
export async function lockInboxRow(tx: pg.PoolClient, id: string): Promise<InboxRow | null> {
  return (await lockInboxRows(tx, [id]))[0] ?? null;
}

/** Locks the rows for processing, in id order; those gone or already processed are left out. */
export async function lockInboxRows(tx: pg.PoolClient, ids: readonly string[]): Promise<InboxRow[]> {
  const { rows } = await tx.query<InboxRow>(
    `select i.id::text as id, i."shopId", s.domain as "shopDomain", i.topic, i.payload, i.status, i.attempts, i."triggeredAt", i."receivedAt"
       from "WebhookInbox" i join "Shop" s on s.id = i."shopId"
      where i.id = any($1::bigint[]) order by i.id for update of i`,
    [ids],
  );
  return rows.filter((row) => row.status !== "processed");
}

export async function markProcessed(tx: pg.PoolClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(`update "WebhookInbox" set status = 'processed', "processedAt" = now(), attempts = attempts + 1, "lastError" = null where id = any($1::bigint[])`, [ids]);
}

/** Records a failed attempt; the row becomes `failed` once it has used its attempts. */
export async function recordFailure(pool: pg.Pool, id: string, error: string, maxAttempts: number): Promise<"retry" | "failed"> {
  const { rows } = await pool.query<{ status: string }>(
    `update "WebhookInbox"
        set attempts = attempts + 1, "lastError" = left($2, 2000),
            status = case when attempts + 1 >= $3 then 'failed'::"InboxStatus" else status end
      where id = $1 returning status`,
    [id, error, maxAttempts],
  );
  return rows[0]?.status === "failed" ? "failed" : "retry";
}

/** Puts failed rows of a shop back to `received` with fresh attempts; returns their ids for re-enqueueing. */
export async function reopenFailed(tx: pg.PoolClient, shopId: number, ids?: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `update "WebhookInbox" set status = 'received', attempts = 0
      where "shopId" = $1 and status = 'failed' and ($2::bigint[] is null or id = any($2::bigint[]))
      returning id::text as id`,
    [shopId, ids ?? null],
  );
  return rows.map((row) => row.id);
}

export async function inboxCounts(pool: pg.Pool, shopId: number): Promise<Record<"received" | "processed" | "failed", number>> {
  const { rows } = await pool.query<{ status: "received" | "processed" | "failed"; n: number }>(
    `select status, count(*)::int as n from "WebhookInbox" where "shopId" = $1 group by status`,
    [shopId],
  );
  const counts = { received: 0, processed: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function listFailed(pool: pg.Pool, shopId: number, limit = 50) {
  const { rows } = await pool.query<{ id: string; topic: string; attempts: number; lastError: string | null; receivedAt: Date }>(
    `select id::text as id, topic, attempts, "lastError", "receivedAt" from "WebhookInbox"
      where "shopId" = $1 and status = 'failed' order by "receivedAt" desc limit $2`,
    [shopId, limit],
  );
  return rows;
}
