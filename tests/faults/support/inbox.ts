/** What "every accepted delivery processed exactly once" means in the database, checked the same way by every fault test. */
import type pg from "pg";
import { expect } from "vitest";
import type { Delivery } from "../../../scripts/fake-shopify/webhook-samples";

/**
 * One inbox row per distinct event, each processed by exactly one committed attempt (a handler's writes and the
 * row's `processed` mark commit together, so `attempts = 1` means its handler took effect once), and one job per
 * row: a duplicate delivery never queues work.
 */
export async function expectEveryEventProcessedOnce(pool: pg.Pool, deliveries: Delivery[], events: number): Promise<void> {
  expect(new Set(deliveries.map((delivery) => `${delivery.headers["x-shopify-topic"]}|${delivery.headers["x-shopify-event-id"]}`)).size).toBe(events);
  const { rows } = await pool.query<{ rows: number; keys: number; processed: number; once: number }>(
    `select count(*)::int as rows, count(distinct "dedupeKey")::int as keys,
            count(*) filter (where status = 'processed')::int as processed, count(*) filter (where attempts = 1)::int as once
       from "WebhookInbox"`,
  );
  expect(rows[0]).toEqual({ rows: events, keys: events, processed: events, once: events });
  const { rows: jobs } = await pool.query<{ jobs: number; rows: number }>(
    `select count(*)::int as jobs, count(distinct data->>'inboxId')::int as rows
       from (select data from pgboss.job where name = 'webhook-inbox' union all select data from pgboss.archive where name = 'webhook-inbox') j`,
  );
  expect(jobs[0]).toEqual({ jobs: events, rows: events });
}
