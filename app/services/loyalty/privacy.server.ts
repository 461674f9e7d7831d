/** Shopify's mandatory privacy webhooks, for the loyalty data (see app/data/loyalty/privacy.server.ts). */
import { collectCustomerData, deleteShopData, redactCustomerData, saveCustomerDataExport } from "~/data/loyalty/privacy.server";
import type { Queryable } from "~/data/loyalty/queryable";

/** customers/data_request: the customer's data as a JSON document, stored for the merchant to send on. */
export async function answerDataRequest(tx: Queryable, input: { shopId: number; shopifyCustomerId: string; requestId: string; now: Date }): Promise<void> {
  const { customerId, data } = await collectCustomerData(tx, input.shopId, input.shopifyCustomerId);
  await saveCustomerDataExport(tx, input.shopId, {
    customerId,
    shopifyCustomerId: input.shopifyCustomerId,
    requestId: input.requestId,
    document: { shopifyCustomerId: input.shopifyCustomerId, producedAt: input.now.toISOString(), loyalty: data },
  });
}

/** customers/redact: no personal field of the customer is left; their ledger keeps its amounts. */
export async function redactCustomer(tx: Queryable, input: { shopId: number; shopifyCustomerId: string; now: Date }): Promise<boolean> {
  return redactCustomerData(tx, input.shopId, input.shopifyCustomerId, input.now);
}

/** shop/redact: everything the app holds for the shop is deleted. */
export async function redactShop(tx: Queryable, input: { shopId: number; shopDomain: string; now: Date }): Promise<void> {
  await deleteShopData(tx, input.shopId, input.shopDomain, input.now);
}
