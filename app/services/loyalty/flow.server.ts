/**
 * Sends the Flow outbox (LoyaltyEvent) to Shopify: each event once accepted is deleted; one Shopify refuses is
 * kept with its error and tried again on later passes; one whose customer was redacted since is dropped
 * unsent. A few calls at a time, so a large backlog drains at a pace Shopify's rate limit accepts.
 */
import type { Database } from "~/data/db.server";
import { deleteLoyaltyEvents, pendingLoyaltyEvents, recordLoyaltyEventFailure } from "~/data/loyalty/events.server";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { flowTriggerReceive } from "~/shopify/admin/operations/FlowTriggerReceive";
import { flowTrigger } from "~/shopify/flow/triggers";

const PAGE = 100;
const CONCURRENCY = 4;

export async function sendFlowEvents(input: {
  db: Database;
  admin: AdminClient;
  shopId: number;
  limit?: number;
}): Promise<{ sent: number; refused: number; dropped: number }> {
  const outcome = { sent: 0, refused: 0, dropped: 0 };
  let after = "0";
  while (outcome.sent + outcome.refused + outcome.dropped < (input.limit ?? Infinity)) {
    const page = await pendingLoyaltyEvents(input.db.pool, input.shopId, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    const done: string[] = [];
    // What Shopify accepted is deleted even when a later call fails, so it is never sent twice.
    try {
      for (let start = 0; start < page.length; start += CONCURRENCY) {
        await Promise.all(
          page.slice(start, start + CONCURRENCY).map(async (event) => {
            if (event.shopifyCustomerId === null) {
              done.push(event.id);
              outcome.dropped += 1;
              return;
            }
            try {
              await flowTriggerReceive(input.admin, flowTrigger(event, event.shopifyCustomerId));
              done.push(event.id);
              outcome.sent += 1;
            } catch (error) {
              if (!(error instanceof AdminApiError) || error.kind !== "user_errors") throw error;
              await recordLoyaltyEventFailure(input.db.pool, input.shopId, event.id, error.message);
              outcome.refused += 1;
            }
          }),
        );
      }
    } finally {
      await deleteLoyaltyEvents(input.db.pool, input.shopId, done);
    }
  }
  return outcome;
}
