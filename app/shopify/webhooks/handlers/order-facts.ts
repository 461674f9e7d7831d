/**
 * What an orders/* or refunds/create payload says about an order, as the loyalty engine's facts: money in the
 * shop's currency (shop_money where the payload has it), the refunds it carries, its cancellation, its customer.
 * Only the fields read here are checked; the payloads were validated at intake (payloads.ts).
 */
import { z } from "zod";
import type { PostalAddress } from "~/domain/loyalty";
import { parseDecimalToMinor } from "~/domain/money";
import type { CustomerFacts } from "~/data/loyalty/customers.server";
import type { OrderFacts, RefundMoney } from "~/services/loyalty/order-points.server";
import { idFromGid, type WebhookPayload } from "../payloads";

const decimal = z.union([z.string(), z.number()]).transform(String);
const shopMoney = z.looseObject({ shop_money: z.looseObject({ amount: decimal, currency_code: z.string() }) });
const address = z.looseObject({
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  zip: z.string().nullish(),
  country_code: z.string().nullish(),
});

const refundShape = z.looseObject({
  id: z.union([z.string(), z.number()]),
  admin_graphql_api_id: z.string().optional(),
  created_at: z.string(),
  refund_line_items: z.array(z.looseObject({ subtotal: decimal.nullish(), subtotal_set: shopMoney.nullish(), total_tax: decimal.nullish(), total_tax_set: shopMoney.nullish() })).default([]),
  refund_shipping_lines: z.array(z.looseObject({ subtotal_amount_set: shopMoney.nullish(), tax_amount_set: shopMoney.nullish() })).nullish(),
  order_adjustments: z.array(z.looseObject({ kind: z.string().nullish(), amount: decimal.nullish(), tax_amount: decimal.nullish() })).nullish(),
});

const orderMoneyShape = z.looseObject({
  total_line_items_price: decimal.nullish(),
  total_line_items_price_set: shopMoney.nullish(),
  total_discounts_set: shopMoney.nullish(),
  total_tax_set: shopMoney.nullish(),
  taxes_included: z.boolean().nullish(),
  refunds: z.array(z.unknown()).nullish(),
  shipping_address: address.nullish(),
  customer: z.looseObject({ admin_graphql_api_id: z.string().nullish(), phone: z.string().nullish() }).nullish(),
});

/** Financial statuses of an order whose payment was captured (orders/updated reports payment this way). */
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

type OrderPayload = WebhookPayload<"orders/paid">;
type RefundPayload = WebhookPayload<"refunds/create">;

function minor(set: z.output<typeof shopMoney> | null | undefined, fallback: string | null | undefined, currencyCode: string): number {
  if (set) return parseDecimalToMinor(set.shop_money.amount, set.shop_money.currency_code);
  return fallback == null ? 0 : parseDecimalToMinor(fallback, currencyCode);
}

export function postalAddress(value: unknown): PostalAddress | null {
  const parsed = address.safeParse(value);
  if (!parsed.success) return null;
  const a = parsed.data;
  return { address1: a.address1 ?? null, address2: a.address2 ?? null, city: a.city ?? null, zip: a.zip ?? null, countryCode: a.country_code ?? null };
}

/** A refund's money in the shop's currency: the refunded line items' subtotals and tax, and refunded shipping. */
export function refundFacts(payload: unknown, currencyCode: string): OrderFacts["refunds"][number] {
  const refund = refundShape.parse(payload);
  const money: RefundMoney = { currencyCode, subtotalMinor: 0, discountsMinor: 0, shippingMinor: 0, taxMinor: 0 };
  for (const line of refund.refund_line_items) {
    money.subtotalMinor += minor(line.subtotal_set, line.subtotal, currencyCode);
    money.taxMinor += minor(line.total_tax_set, line.total_tax, currencyCode);
  }
  for (const line of refund.refund_shipping_lines ?? []) {
    money.shippingMinor += minor(line.subtotal_amount_set, null, currencyCode);
    money.taxMinor += minor(line.tax_amount_set, null, currencyCode);
  }
  // Older payloads report refunded shipping as a negative "shipping_refund" adjustment instead.
  for (const adjustment of refund.order_adjustments ?? []) {
    if (adjustment.kind === "shipping_refund" && !refund.refund_shipping_lines?.length) {
      money.shippingMinor -= minor(null, adjustment.amount, currencyCode);
      money.taxMinor -= minor(null, adjustment.tax_amount, currencyCode);
    }
  }
  const refundId = refund.admin_graphql_api_id ? idFromGid(refund.admin_graphql_api_id) : String(refund.id);
  return { refundId, refundedAt: new Date(refund.created_at), money };
}

function customerFacts(order: OrderPayload, extra: z.output<typeof orderMoneyShape>): CustomerFacts | null {
  if (!order.customer) return null;
  const gid = extra.customer?.admin_graphql_api_id;
  return {
    shopifyCustomerId: gid ? idFromGid(gid) : order.customer.id,
    email: order.customer.email ?? order.email ?? null,
    firstName: order.customer.first_name ?? null,
    lastName: order.customer.last_name ?? null,
    phone: extra.customer?.phone ?? null,
    addresses: null,
    createdAt: null,
    updatedAt: null,
  };
}

/**
 * The facts an order payload carries: paid (orders/paid, or orders/updated with a captured payment), each refund
 * in `refunds`, the cancellation. `receivedAt` dates a cancellation whose payload lacks `cancelled_at`.
 */
export function orderFacts(topic: "orders/paid" | "orders/updated" | "orders/cancelled", order: OrderPayload, receivedAt: Date): OrderFacts & { test: boolean } {
  const extra = orderMoneyShape.parse(order);
  const currencyCode = order.currency;
  const paid = topic === "orders/paid" || (topic === "orders/updated" && PAID_STATUSES.has(order.financial_status ?? ""));
  const cancelledAt = order.cancelled_at ? new Date(order.cancelled_at) : topic === "orders/cancelled" ? receivedAt : null;
  return {
    orderId: idFromGid(order.admin_graphql_api_id),
    test: order.test === true,
    customer: customerFacts(order, extra),
    createdAt: new Date(order.created_at),
    taxesIncluded: extra.taxes_included ?? null,
    paid: paid
      ? {
          paidAt: new Date(order.processed_at ?? order.created_at),
          money: {
            currencyCode,
            subtotalMinor: extra.total_line_items_price_set || extra.total_line_items_price
              ? minor(extra.total_line_items_price_set, extra.total_line_items_price, currencyCode)
              : parseDecimalToMinor(order.subtotal_price, currencyCode) + parseDecimalToMinor(order.total_discounts ?? "0", currencyCode),
            discountsMinor: minor(extra.total_discounts_set, order.total_discounts, currencyCode),
            shippingMinor: minor(order.total_shipping_price_set, null, currencyCode),
            taxMinor: minor(extra.total_tax_set, order.total_tax, currencyCode),
          },
        }
      : null,
    refunds: (extra.refunds ?? []).map((refund) => refundFacts(refund, currencyCode)),
    cancelledAt,
    shippingAddress: postalAddress(extra.shipping_address),
  };
}

/** refunds/create: one refund of an order whose customer the payload does not name. */
export function refundOrderFacts(refund: RefundPayload, currencyCode: string): OrderFacts {
  return {
    orderId: refund.order_id,
    customer: null,
    createdAt: null,
    taxesIncluded: null,
    paid: null,
    refunds: [refundFacts(refund, currencyCode)],
    cancelledAt: null,
    shippingAddress: null,
  };
}
