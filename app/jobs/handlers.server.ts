/**
 * What each webhook topic does once its delivery is in the inbox. A handler runs inside the transaction that
 * marks the row processed, so its writes and the row's status commit together (or not at all).
 * Handlers must be idempotent and order-independent: redeliveries, retries and out-of-order arrivals are normal.
 */
import type pg from "pg";
import type { WebhookTopic } from "~/shopify/webhooks/payloads";

export interface HandlerContext {
  tx: pg.PoolClient;
  shopId: number;
  shopDomain: string;
  topic: WebhookTopic;
  payload: unknown;
  triggeredAt: Date | null;
  receivedAt: Date;
  now: Date;
}

export type TopicHandler = (context: HandlerContext) => Promise<void>;

export type HandlerRegistry = Partial<Record<WebhookTopic, TopicHandler>>;

/** Several concerns on one topic (e.g. loyalty points and churn order facts), run in order in the row's transaction. */
export function runAll(...handlers: TopicHandler[]): TopicHandler {
  return async (context) => {
    for (const handler of handlers) await handler(context);
  };
}
