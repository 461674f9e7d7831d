/**
 * Web and worker processes set the job queue up on their own, often at the same moment (a deploy starts them all
 * together, on a database pg-boss has not seen yet). Each must start; none may answer webhooks with 503 because
 * another won a race on pg-boss's schema (seen in CI: "deadlock detected" from a second web process).
 */
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { INBOX_QUEUE, startQueue, type Queue } from "~/jobs/queue.server";
import { CHURN_NIGHTLY_QUEUE, CHURN_REFIT_QUEUE, CHURN_WIN_BACK_QUEUE, ensureChurnQueues } from "~/services/churn/queues.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

const PROCESSES = 6;
let db: TestDatabase;
const pools: pg.Pool[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.stop({ graceful: false, wait: true })));
  await Promise.all(pools.map((pool) => pool.end()));
  await db.drop();
});

test("six processes setting up the queue and their jobs' queues at once on a fresh database all start, and share them", { timeout: 120_000 }, async () => {
  for (let i = 0; i < PROCESSES; i += 1) pools.push(new pg.Pool({ connectionString: db.url, max: 4 }));
  const started = await Promise.allSettled(
    pools.map((pool) => startQueue(pool, { maxAttempts: 3, expireSeconds: 5, maintenanceSeconds: 60 }, ["win-back", "nightly-refit"])),
  );
  for (const outcome of started) if (outcome.status === "fulfilled") queues.push(outcome.value);
  expect(started.filter((outcome) => outcome.status === "rejected").map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);

  // Then each creates the queues of its own jobs, all at once too (CI saw a worker die of a deadlock here).
  const created = await Promise.allSettled(queues.map((queue) => ensureChurnQueues(queue)));
  expect(created.filter((outcome) => outcome.status === "rejected").map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);

  const { rows } = await db.pool.query<{ name: string }>(`select name from pgboss.queue where name not like '\_\_pgboss%' order by name`);
  expect(rows.map((row) => row.name)).toEqual([INBOX_QUEUE, "nightly-refit", "win-back", CHURN_NIGHTLY_QUEUE, CHURN_REFIT_QUEUE, CHURN_WIN_BACK_QUEUE].sort());
  // A job sent through one process is fetched by another.
  const id = await queues[0].send(INBOX_QUEUE, { inboxId: "1" });
  const [fetched] = (await queues[PROCESSES - 1].fetch(INBOX_QUEUE)) ?? [];
  expect(fetched?.id).toBe(id);
});
