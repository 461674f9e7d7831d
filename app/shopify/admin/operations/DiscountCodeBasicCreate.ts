/** Creates an amount-off or percentage-off discount code (e.g. a single-use code for one customer). */
import { AdminApiError, assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface DiscountCodeBasicInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  customerSelection: { all: true } | { customers: { add: string[] } };
  customerGets: {
    value: { percentage: number } | { discountAmount: { amount: string; appliesOnEachItem: boolean } };
    /** Every item, or only these product variants (a free product is 100 % off its variant). */
    items: { all: true } | { products: { productVariantsToAdd: string[] } };
  };
  minimumRequirement?: { subtotal: { greaterThanOrEqualToSubtotal: string } } | null;
  combinesWith?: { orderDiscounts?: boolean; productDiscounts?: boolean; shippingDiscounts?: boolean };
}

export interface DiscountCodeBasicCreateVariables {
  basicCodeDiscount: DiscountCodeBasicInput;
}

export interface DiscountCodeBasicCreateData {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } | null;
}

/** The new code's discount node id; throws AdminApiError on userErrors (e.g. the code is taken). */
export async function discountCodeBasicCreate(admin: AdminClient, basicCodeDiscount: DiscountCodeBasicInput): Promise<string> {
  const data = await admin<DiscountCodeBasicCreateData>(document, { basicCodeDiscount } satisfies DiscountCodeBasicCreateVariables);
  const payload = assertNoUserErrors("discountCodeBasicCreate", data.discountCodeBasicCreate);
  if (!payload.codeDiscountNode) throw new AdminApiError("discountCodeBasicCreate returned no discount", "graphql");
  return payload.codeDiscountNode.id;
}
