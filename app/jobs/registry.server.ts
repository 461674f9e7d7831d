/** Which handler each webhook topic gets. Topics without a handler are recorded and marked processed. */
import { markShopUninstalled } from "~/data/shops.server";
import { subscriptionWebhookHandlers } from "~/services/cancel-save/contract-mirror.server";
import { churnOrderHandlers, recordOrdersOfBatch } from "~/services/churn/order-facts.server";
import { loyaltyBatchHandlers, loyaltyHandlers } from "~/shopify/webhooks/handlers/loyalty.server";
import { offlineAdminClient } from "~/services/churn/offline-admin.server";
import { runAll, type BatchHandlerRegistry, type HandlerRegistry } from "./handlers.server";

export const topicHandlers: HandlerRegistry = {
  "app/uninstalled": async ({ tx, shopId, shopDomain, now }) => markShopUninstalled(tx, shopId, shopDomain, now),
  "orders/paid": runAll(loyaltyHandlers["orders/paid"], churnOrderHandlers["orders/paid"]),
  "orders/updated": loyaltyHandlers["orders/updated"],
  "orders/cancelled": runAll(loyaltyHandlers["orders/cancelled"], churnOrderHandlers["orders/cancelled"]),
  "refunds/create": runAll(loyaltyHandlers["refunds/create"], churnOrderHandlers["refunds/create"]),
  "customers/create": loyaltyHandlers["customers/create"],
  "customers/update": loyaltyHandlers["customers/update"],
  "customers/redact": loyaltyHandlers["customers/redact"],
  "customers/data_request": loyaltyHandlers["customers/data_request"],
  "shop/redact": loyaltyHandlers["shop/redact"],
  ...subscriptionWebhookHandlers(offlineAdminClient),
};

/**
 * The topics whose rows the worker also processes in batches, set-based: the hot topic of a busy shop. Each ends
 * a row exactly as its handler above would (the loyalty steps, then the churn order facts of the rows they took).
 */
export const topicBatchHandlers: BatchHandlerRegistry = {
  "orders/paid": async (context) => {
    const done = await loyaltyBatchHandlers["orders/paid"](context);
    await recordOrdersOfBatch({ ...context, rows: context.rows.filter((row) => done.has(row.id)) });
    return done;
  },
};
