/** The process's long-lived collaborators (database, job queue), created on first use. */
import { env } from "~/config/env.server";
import { getDatabase } from "~/data/database.server";
import { startQueue, type Queue } from "~/jobs/queue.server";
import { InboxWriter } from "~/shopify/webhooks/inbox-writer.server";

let queue: Promise<Queue> | undefined;

export function getQueue(): Promise<Queue> {
  queue ??= startQueue(getDatabase().pool, {
    maxAttempts: env().WEBHOOK_MAX_ATTEMPTS,
    expireSeconds: env().JOB_EXPIRE_SECONDS,
    maintenanceSeconds: env().JOB_MAINTENANCE_SECONDS,
  }).catch((error: unknown) => {
    queue = undefined; // try again on the next request (e.g. the database was down)
    throw error;
  });
  return queue;
}

let inboxWriter: InboxWriter | undefined;

/** The process's webhook inbox writer (group commit). */
export async function getInboxWriter(): Promise<InboxWriter> {
  const queue = await getQueue();
  inboxWriter ??= new InboxWriter(getDatabase().pool, queue);
  return inboxWriter;
}
