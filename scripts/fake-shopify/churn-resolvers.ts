/**
 * The fake Admin API's answers for the churn radar: customer tags, Flow triggers and discount codes, kept in the
 * fake shop's state so tests and the demo can see what the app sent. (metafieldsSet is answered by
 * storefront-resolvers.ts for every owner.)
 */
import type { FakeShopState, Resolver } from "./admin-api";

export interface FlowTriggerCall {
  handle: string;
  payload: Record<string, unknown>;
}

export interface StoredDiscountCode {
  id: string;
  code: string;
  title: string;
  customerIds: string[];
  value: unknown;
  usageLimit: number | null;
  endsAt: string | null;
}

export function customerTags(state: FakeShopState): Map<string, Set<string>> {
  state.customerTags ??= new Map<string, Set<string>>();
  return state.customerTags;
}

export function flowTriggers(state: FakeShopState): FlowTriggerCall[] {
  state.flowTriggers ??= [];
  return state.flowTriggers;
}

export function discountCodes(state: FakeShopState): Map<string, StoredDiscountCode> {
  state.discountCodes ??= new Map<string, StoredDiscountCode>();
  return state.discountCodes;
}

const TAG_MAX_LENGTH = 255;

function tagErrors(tags: string[]) {
  return tags.flatMap((tag, index) => (tag.length > TAG_MAX_LENGTH ? [{ field: ["tags", String(index)], message: "Tag is too long (maximum is 255 characters)" }] : []));
}

export const churnResolvers: Record<string, Resolver> = {
  TagsAdd: ({ id, tags }, state) => {
    const userErrors = tagErrors(tags);
    if (userErrors.length > 0) return { tagsAdd: { node: null, userErrors } };
    const current = customerTags(state).get(id) ?? new Set<string>();
    for (const tag of tags as string[]) current.add(tag);
    customerTags(state).set(id, current);
    return { tagsAdd: { node: { id }, userErrors: [] } };
  },

  TagsRemove: ({ id, tags }, state) => {
    const current = customerTags(state).get(id);
    for (const tag of tags as string[]) current?.delete(tag);
    return { tagsRemove: { node: { id }, userErrors: [] } };
  },

  FlowTriggerReceive: ({ handle, payload }, state) => {
    if (typeof handle !== "string" || handle.length === 0) return { flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] } };
    flowTriggers(state).push({ handle, payload });
    return { flowTriggerReceive: { userErrors: [] } };
  },

  DiscountCodeBasicCreate: ({ basicCodeDiscount }, state) => {
    const codes = discountCodes(state);
    if (codes.has(basicCodeDiscount.code)) {
      return { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] } };
    }
    const id = `gid://shopify/DiscountCodeNode/${codes.size + 1}`;
    codes.set(basicCodeDiscount.code, {
      id,
      code: basicCodeDiscount.code,
      title: basicCodeDiscount.title,
      customerIds: basicCodeDiscount.customerSelection?.customers?.add ?? [],
      value: basicCodeDiscount.customerGets?.value,
      usageLimit: basicCodeDiscount.usageLimit ?? null,
      endsAt: basicCodeDiscount.endsAt ?? null,
    });
    return { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } };
  },
};
