/** Creates a free-shipping discount code (e.g. a single-use reward code for one customer). */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
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

export interface DiscountCodeFreeShippingInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  customerSelection: { customers: { add: string[] } };
  destination: { all: true };
  /** Decimal in the shop's currency; null makes every shipping rate free. */
  maximumShippingPrice: string | null;
  minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: string } } | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean };
}

export interface DiscountCodeFreeShippingCreateData {
  discountCodeFreeShippingCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } | null;
}

/** The new code's discount node id; throws AdminApiError on userErrors (e.g. the code is taken). */
export async function discountCodeFreeShippingCreate(admin: AdminClient, freeShippingCodeDiscount: DiscountCodeFreeShippingInput): Promise<string> {
  const data = await admin<DiscountCodeFreeShippingCreateData>(document, { freeShippingCodeDiscount });
  const payload = assertNoUserErrors("discountCodeFreeShippingCreate", data.discountCodeFreeShippingCreate);
  if (!payload.codeDiscountNode) throw new Error("discountCodeFreeShippingCreate returned no discount");
  return payload.codeDiscountNode.id;
}
