/**
 * The fake Admin API's answers for the loyalty engine's rewards: free-shipping codes (kept with the other discount
 * codes, so a code is unique across both kinds, as in Shopify), store credit, and finding a discount by its code.
 */
import type { FakeShopState, Resolver } from "./admin-api";
import { discountCodes } from "./churn-resolvers";

export interface StoreCreditTransaction {
  id: string;
  amount: string;
  currencyCode: string;
  expiresAt: string | null;
}

/** Store credit given, by customer gid. */
export function storeCredit(state: FakeShopState): Map<string, StoreCreditTransaction[]> {
  state.storeCredit ??= new Map<string, StoreCreditTransaction[]>();
  return state.storeCredit;
}

export const loyaltyResolvers: Record<string, Resolver> = {
  DiscountCodeFreeShippingCreate: ({ freeShippingCodeDiscount: input }, state) => {
    const codes = discountCodes(state);
    if (codes.has(input.code)) {
      return { discountCodeFreeShippingCreate: { codeDiscountNode: null, userErrors: [{ field: ["freeShippingCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] } };
    }
    const id = `gid://shopify/DiscountCodeNode/${codes.size + 1}`;
    codes.set(input.code, {
      id,
      code: input.code,
      title: input.title,
      customerIds: input.customerSelection?.customers?.add ?? [],
      value: { freeShipping: true, maximumShippingPrice: input.maximumShippingPrice ?? null },
      usageLimit: input.usageLimit ?? null,
      endsAt: input.endsAt ?? null,
    });
    return { discountCodeFreeShippingCreate: { codeDiscountNode: { id }, userErrors: [] } };
  },

  StoreCreditAccountCredit: ({ id, creditInput }, state) => {
    const amount = Number(creditInput.creditAmount.amount);
    if (!(amount > 0)) return { storeCreditAccountCredit: { storeCreditAccountTransaction: null, userErrors: [{ field: ["creditInput", "creditAmount", "amount"], message: "A positive amount must be used.", code: "NEGATIVE_OR_ZERO_AMOUNT" }] } };
    const credits = storeCredit(state).get(id) ?? [];
    const transaction = { id: `gid://shopify/StoreCreditAccountCreditTransaction/${credits.length + 1}`, amount: creditInput.creditAmount.amount, currencyCode: creditInput.creditAmount.currencyCode, expiresAt: creditInput.expiresAt ?? null };
    storeCredit(state).set(id, [...credits, transaction]);
    return {
      storeCreditAccountCredit: { storeCreditAccountTransaction: { id: transaction.id, amount: { amount: transaction.amount, currencyCode: transaction.currencyCode } }, userErrors: [] },
    };
  },

  CodeDiscountNodeByCode: ({ code }, state) => {
    const stored = discountCodes(state).get(code);
    return { codeDiscountNodeByCode: stored ? { id: stored.id, codeDiscount: { title: stored.title } } : null };
  },
};
