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

/** A row of a batch: one delivery of the batch's shop and topic, its payload checked against the topic's shape. */
export interface BatchRow {
  id: string;
  payload: unknown;
  triggeredAt: Date | null;
  receivedAt: Date;
}

export interface BatchContext {
  tx: pg.PoolClient;
  shopId: number;
  shopDomain: string;
  topic: WebhookTopic;
  rows: readonly BatchRow[];
  now: Date;
}

/**
 * Processes what it can of several rows of one shop and topic set-based, inside the transaction that marks them
 * processed, and returns the ids it processed: each must end exactly as the topic's handler would leave it. The
 * rest go to the topic's handler one by one, after the batch has committed.
 */
export type BatchHandler = (context: BatchContext) => Promise<Set<string>>;

export type BatchHandlerRegistry = Partial<Record<WebhookTopic, BatchHandler>>;
