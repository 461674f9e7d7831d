/**
 * The shape each webhook topic must have before its delivery is accepted. Only the fields the product reads
 * are required; everything else Shopify sends is kept as it came (the inbox stores the raw payload).
 * Checked against Shopify's own sample payloads in tests/shopify/webhook-payloads.test.ts.
 */
import { z } from "zod";

// Shopify ids are integers; a number above 2^53 has lost digits in JSON parsing, so where a payload carries the
// GraphQL gid as well, readers take the id from the gid (see idFromGid).
const id = z
  .union([z.number().nonnegative().refine(Number.isInteger, "must be an integer id"), z.string().regex(/^\d+$/)])
  .transform((value) => (typeof value === "number" ? BigInt(value).toString() : value));
const gid = z.string().startsWith("gid://shopify/");
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform(String);
const timestamp = z.iso.datetime({ offset: true });
const moneySet = z.object({ shop_money: z.object({ amount: decimal, currency_code: z.string().length(3) }) });

const order = z.looseObject({
  id,
  admin_graphql_api_id: gid,
  name: z.string(),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  currency: z.string().length(3),
  financial_status: z.string().nullish(),
  subtotal_price: decimal,
  total_price: decimal,
  total_tax: decimal.nullish(),
  total_discounts: decimal.nullish(),
  total_shipping_price_set: moneySet.nullish(),
  email: z.string().nullish(),
  test: z.boolean().optional(),
  customer: z.looseObject({ id, email: z.string().nullish(), first_name: z.string().nullish(), last_name: z.string().nullish() }).nullish(),
  line_items: z.array(z.looseObject({ id, price: decimal, quantity: z.number().int() })),
});

const refund = z.looseObject({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z.array(z.looseObject({ subtotal: z.union([z.number(), z.string()]), line_item_id: id })),
  transactions: z.array(z.looseObject({ kind: z.string(), status: z.string().nullish(), amount: decimal })),
  order_adjustments: z.array(z.looseObject({ amount: decimal, kind: z.string().nullish() })).optional(),
});

const customer = z.looseObject({
  id,
  admin_graphql_api_id: gid.optional(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  created_at: timestamp.nullish(),
  state: z.string().nullish(),
});

const privacyCustomer = z.object({ id, email: z.string().nullish(), phone: z.string().nullish() });

const subscriptionContract = z.looseObject({
  id,
  admin_graphql_api_id: gid,
  status: z.string(),
  customer_id: id,
  currency_code: z.string().length(3),
  billing_policy: z.looseObject({ interval: z.string(), interval_count: z.number().int() }),
  delivery_policy: z.looseObject({ interval: z.string(), interval_count: z.number().int() }).optional(),
  revision_id: z.union([z.string(), z.number()]).transform(String).optional(),
});

const billingAttempt = z.looseObject({
  id: id.nullish(),
  idempotency_key: z.string().nullish(),
  subscription_contract_id: id,
  admin_graphql_api_subscription_contract_id: gid,
  order_id: id.nullish(),
  ready: z.boolean(),
  error_message: z.string().nullish(),
  error_code: z.string().nullish(),
});

export const webhookPayloads = {
  "orders/paid": order,
  "orders/updated": order,
  "orders/cancelled": order,
  "refunds/create": refund,
  "customers/create": customer,
  "customers/update": customer,
  "app/uninstalled": z.looseObject({ id: id.optional(), myshopify_domain: z.string().nullish() }),
  "customers/data_request": z.looseObject({ shop_id: id, shop_domain: z.string(), customer: privacyCustomer, orders_requested: z.array(id) }),
  "customers/redact": z.looseObject({ shop_id: id, shop_domain: z.string(), customer: privacyCustomer, orders_to_redact: z.array(id) }),
  "shop/redact": z.looseObject({ shop_id: id, shop_domain: z.string() }),
  "subscription_contracts/create": subscriptionContract,
  "subscription_contracts/update": subscriptionContract,
  "subscription_contracts/pause": subscriptionContract,
  "subscription_contracts/cancel": subscriptionContract,
  "subscription_contracts/activate": subscriptionContract,
  "subscription_contracts/expire": subscriptionContract,
  "subscription_contracts/fail": subscriptionContract,
  "subscription_billing_attempts/success": billingAttempt,
  "subscription_billing_attempts/failure": billingAttempt,
} as const;

/** "gid://shopify/Order/820982911946154508" → "820982911946154508". */
export function idFromGid(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

export type WebhookTopic = keyof typeof webhookPayloads;
export type WebhookPayload<T extends WebhookTopic> = z.output<(typeof webhookPayloads)[T]>;

export const WEBHOOK_TOPICS = Object.keys(webhookPayloads) as WebhookTopic[];

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return Object.hasOwn(webhookPayloads, topic);
}
