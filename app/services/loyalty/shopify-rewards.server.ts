/**
 * Creates in Shopify what a redemption or a referral gives (the domain's RewardIssue): a single-use discount code
 * for one customer, or store credit. Each code's title carries a marker of its own (e.g. "$5 off · R123"), so
 * when Shopify says a code is taken the app can tell its own earlier attempt (a retry after a lost answer:
 * already done) from someone else's code (draw another).
 */
import { formatMinor } from "~/domain/money";
import type { RewardIssue } from "~/domain/loyalty";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { codeDiscountNodeByCode } from "~/shopify/admin/operations/CodeDiscountNodeByCode";
import { discountCodeBasicCreate, type DiscountCodeBasicInput } from "~/shopify/admin/operations/DiscountCodeBasicCreate";
import { discountCodeFreeShippingCreate, type DiscountCodeFreeShippingInput } from "~/shopify/admin/operations/DiscountCodeFreeShippingCreate";
import { storeCreditAccountCredit } from "~/shopify/admin/operations/StoreCreditAccountCredit";

export const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;
const variantGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/ProductVariant/${id}`);

type CodeIssue = Exclude<RewardIssue, { kind: "store_credit" }>;

function minimum(issue: CodeIssue) {
  return issue.minimumSubtotal ? { subtotal: { greaterThanOrEqualToSubtotal: formatMinor(issue.minimumSubtotal.amountMinor, issue.minimumSubtotal.currencyCode) } } : null;
}

async function createCode(admin: AdminClient, issue: CodeIssue, title: string): Promise<string> {
  const common = {
    title,
    code: issue.code,
    startsAt: issue.startsAt.toISOString(),
    endsAt: issue.endsAt?.toISOString() ?? null,
    usageLimit: issue.usageLimit,
    appliesOncePerCustomer: issue.appliesOncePerCustomer,
    customerSelection: { customers: { add: [customerGid(issue.customerId)] } },
    minimumRequirement: minimum(issue),
  };
  if (issue.kind === "free_shipping_code") {
    const input: DiscountCodeFreeShippingInput = {
      ...common,
      destination: { all: true },
      maximumShippingPrice: issue.maximumShippingPrice ? formatMinor(issue.maximumShippingPrice.amountMinor, issue.maximumShippingPrice.currencyCode) : null,
      combinesWith: { orderDiscounts: true, productDiscounts: true },
    };
    return discountCodeFreeShippingCreate(admin, input);
  }
  const value = issue.value;
  const basicCodeDiscount: DiscountCodeBasicInput = {
    ...common,
    customerGets:
      value.type === "free_product"
        ? { value: { percentage: 1 }, items: { products: { productVariantsToAdd: [variantGid(value.productVariantId)] } } }
        : value.type === "percentage"
          ? { value: { percentage: value.percent / 100 }, items: { all: true } }
          : { value: { discountAmount: { amount: formatMinor(value.amount.amountMinor, value.amount.currencyCode), appliesOnEachItem: false } }, items: { all: true } },
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
  return discountCodeBasicCreate(admin, basicCodeDiscount);
}

function codeTaken(error: unknown): boolean {
  return (
    error instanceof AdminApiError &&
    error.kind === "user_errors" &&
    (error.details as { code?: string | null; field?: string[] | null }[]).some((e) => e.code === "TAKEN" || e.field?.at(-1) === "code")
  );
}

export type IssueOutcome = { shopifyDiscountId: string | null; code: string | null };

/**
 * Creates the code or credits the store credit. `marker` ends the code's title and must be unique to this
 * redemption or referral. When the code is taken by another discount, `replaceCode` records a new one (drawn by
 * the caller) before the next try. Throws AdminApiError when Shopify refuses or cannot be reached.
 */
export async function issueInShopify(
  admin: AdminClient,
  issue: RewardIssue,
  marker: string,
  replaceCode: () => Promise<string>,
): Promise<IssueOutcome> {
  if (issue.kind === "store_credit") {
    await storeCreditAccountCredit(admin, {
      id: customerGid(issue.customerId),
      creditInput: { creditAmount: { amount: formatMinor(issue.credit.amountMinor, issue.credit.currencyCode), currencyCode: issue.credit.currencyCode }, expiresAt: issue.expiresAt?.toISOString() ?? null },
    });
    return { shopifyDiscountId: null, code: null };
  }
  const title = `${issue.title} · ${marker}`;
  let current: CodeIssue = issue;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { shopifyDiscountId: await createCode(admin, current, title), code: current.code };
    } catch (error) {
      if (!codeTaken(error)) throw error;
      const existing = await codeDiscountNodeByCode(admin, current.code);
      if (existing?.title === title) return { shopifyDiscountId: existing.id, code: current.code };
      if (attempt >= 3) throw error;
      current = { ...current, code: await replaceCode() };
    }
  }
}

/** Whether an earlier attempt created the code (a process that died mid-call): the discount's id, or null. */
export async function findIssuedCode(admin: AdminClient, code: string, marker: string): Promise<string | null> {
  const existing = await codeDiscountNodeByCode(admin, code);
  return existing?.title?.endsWith(` · ${marker}`) ? existing.id : null;
}
