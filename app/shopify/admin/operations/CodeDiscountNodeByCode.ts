/** Finds a discount by its code, with its title: whether a code the app tried to create exists, and is the app's. */
import type { AdminClient } from "../client.server";

export const document = /* GraphQL */ `
  query CodeDiscountNodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
        }
        ... on DiscountCodeFreeShipping {
          title
        }
        ... on DiscountCodeBxgy {
          title
        }
        ... on DiscountCodeApp {
          title
        }
      }
    }
  }
`;

export interface CodeDiscountNodeByCodeData {
  codeDiscountNodeByCode: { id: string; codeDiscount: { title?: string } } | null;
}

/** The discount with that code, or null when the shop has none. */
export async function codeDiscountNodeByCode(admin: AdminClient, code: string): Promise<{ id: string; title: string | null } | null> {
  const data = await admin<CodeDiscountNodeByCodeData>(document, { code });
  const node = data.codeDiscountNodeByCode;
  return node ? { id: node.id, title: node.codeDiscount.title ?? null } : null;
}
