/**
 * Shopify's own sample webhook payloads (reference/shopify/webhooks), and deliveries built from them the way
 * Shopify sends them: raw JSON body, base64 HMAC-SHA256 signature, and the X-Shopify-* headers.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { webhookSignature } from "~/shopify/webhooks/verify.server";

export const SAMPLES_DIR = resolve(process.env.SHOPIFY_WEBHOOK_SAMPLES ?? "reference/shopify/webhooks");

const cache = new Map<string, any>();

/** A fresh deep copy of Shopify's sample payload for a topic ("orders/paid" → orders__paid.json). */
export function samplePayload(topic: string): any {
  if (!cache.has(topic)) cache.set(topic, JSON.parse(readFileSync(resolve(SAMPLES_DIR, `${topic.replace("/", "__")}.json`), "utf8")));
  return structuredClone(cache.get(topic));
}

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

export function signedDelivery(options: { topic: string; shop: string; payload: unknown; secret: string; eventId?: string; webhookId?: string; triggeredAt?: Date }): Delivery {
  const body = JSON.stringify(options.payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": options.topic,
      "x-shopify-shop-domain": options.shop,
      "x-shopify-api-version": "2025-01",
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-event-id": options.eventId ?? randomUUID(),
      "x-shopify-triggered-at": (options.triggeredAt ?? new Date()).toISOString(),
      "x-shopify-hmac-sha256": webhookSignature(body, options.secret),
    },
  };
}

export interface OrderSpec {
  orderId: number;
  customerId: number | null;
  email?: string;
  firstName?: string;
  lastName?: string;
  createdAt: Date;
  /** Line-items subtotal after discounts, in minor units. */
  subtotalMinor: number;
  shippingMinor?: number;
  taxMinor?: number;
  discountMinor?: number;
  quantity?: number;
  currency?: string;
  financialStatus?: "paid" | "refunded" | "partially_refunded";
  cancelledAt?: Date | null;
}

const money = (minor: number) => (minor / 100).toFixed(2);
const moneySet = (minor: number, currency: string) => ({
  shop_money: { amount: money(minor), currency_code: currency },
  presentment_money: { amount: money(minor), currency_code: currency },
});

/** An orders/* payload shaped like Shopify's sample (one line item), carrying the given facts. */
export function orderPayload(spec: OrderSpec): any {
  const order = samplePayload("orders/paid");
  const currency = spec.currency ?? "USD";
  const shipping = spec.shippingMinor ?? 0;
  const tax = spec.taxMinor ?? 0;
  const discount = spec.discountMinor ?? 0;
  const total = spec.subtotalMinor + shipping + tax;
  const at = spec.createdAt.toISOString();
  const line = order.line_items[0];
  Object.assign(line, {
    id: spec.orderId * 10 + 1,
    admin_graphql_api_id: `gid://shopify/LineItem/${spec.orderId * 10 + 1}`,
    quantity: spec.quantity ?? 1,
    current_quantity: spec.quantity ?? 1,
    price: money(Math.round((spec.subtotalMinor + discount) / (spec.quantity ?? 1))),
    price_set: moneySet(Math.round((spec.subtotalMinor + discount) / (spec.quantity ?? 1)), currency),
    total_discount: money(discount),
    total_discount_set: moneySet(discount, currency),
    discount_allocations: [],
  });
  Object.assign(order, {
    id: spec.orderId,
    admin_graphql_api_id: `gid://shopify/Order/${spec.orderId}`,
    name: `#${spec.orderId}`,
    order_number: spec.orderId,
    number: spec.orderId,
    created_at: at,
    processed_at: at,
    updated_at: at,
    cancelled_at: spec.cancelledAt ? spec.cancelledAt.toISOString() : null,
    cancel_reason: spec.cancelledAt ? "customer" : null,
    closed_at: null,
    currency,
    presentment_currency: currency,
    financial_status: spec.financialStatus ?? "paid",
    test: false,
    email: spec.email ?? "",
    contact_email: spec.email ?? "",
    subtotal_price: money(spec.subtotalMinor),
    subtotal_price_set: moneySet(spec.subtotalMinor, currency),
    current_subtotal_price: money(spec.subtotalMinor),
    current_subtotal_price_set: moneySet(spec.subtotalMinor, currency),
    total_line_items_price: money(spec.subtotalMinor + discount),
    total_line_items_price_set: moneySet(spec.subtotalMinor + discount, currency),
    total_discounts: money(discount),
    total_discounts_set: moneySet(discount, currency),
    current_total_discounts: money(discount),
    current_total_discounts_set: moneySet(discount, currency),
    total_shipping_price_set: moneySet(shipping, currency),
    current_shipping_price_set: moneySet(shipping, currency),
    total_tax: money(tax),
    total_tax_set: moneySet(tax, currency),
    current_total_tax: money(tax),
    current_total_tax_set: moneySet(tax, currency),
    total_price: money(total),
    total_price_set: moneySet(total, currency),
    current_total_price: money(total),
    current_total_price_set: moneySet(total, currency),
    line_items: [line],
    refunds: [],
    fulfillments: [],
    shipping_lines: [],
    discount_codes: [],
    discount_applications: [],
    tax_lines: [],
  });
  if (spec.customerId === null) {
    order.customer = null;
  } else {
    Object.assign(order.customer, {
      id: spec.customerId,
      admin_graphql_api_id: `gid://shopify/Customer/${spec.customerId}`,
      email: spec.email ?? null,
      first_name: spec.firstName ?? null,
      last_name: spec.lastName ?? null,
      created_at: at,
      updated_at: at,
    });
    order.customer.default_address.customer_id = spec.customerId;
  }
  return order;
}

/** A refunds/create payload refunding `subtotalMinor` of line items (and optionally shipping) on an order. */
export function refundPayload(spec: { refundId: number; orderId: number; subtotalMinor: number; shippingMinor?: number; at: Date }) {
  const refund = samplePayload("refunds/create");
  const set = (minor: number) => moneySet(minor, "USD");
  const line = refund.refund_line_items[0];
  Object.assign(line, { subtotal: spec.subtotalMinor / 100, subtotal_set: set(spec.subtotalMinor), total_tax: 0, total_tax_set: set(0) });
  Object.assign(refund, {
    id: spec.refundId,
    admin_graphql_api_id: `gid://shopify/Refund/${spec.refundId}`,
    order_id: spec.orderId,
    created_at: spec.at.toISOString(),
    processed_at: spec.at.toISOString(),
    refund_line_items: [line],
    refund_shipping_lines: spec.shippingMinor ? [{ subtotal_amount_set: set(spec.shippingMinor), tax_amount_set: set(0) }] : [],
    transactions: [{ ...refund.transactions[0], amount: money(spec.subtotalMinor + (spec.shippingMinor ?? 0)) }],
  });
  return refund;
}
