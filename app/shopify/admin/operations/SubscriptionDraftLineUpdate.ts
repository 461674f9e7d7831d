/** Swaps a draft line to another variant at the given price (a downgrade to a cheaper plan or size). */
import { formatMinor } from "~/domain/money";
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionDraftLineUpdate($draftId: ID!, $lineId: ID!, $input: SubscriptionLineUpdateInput!) {
    subscriptionDraftLineUpdate(draftId: $draftId, lineId: $lineId, input: $input) {
      lineUpdated {
        id
        variantId
        currentPrice {
          amount
          currencyCode
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionDraftLineUpdateData {
  subscriptionDraftLineUpdate: {
    lineUpdated: { id: string; variantId: string | null; currentPrice: { amount: string; currencyCode: string } } | null;
    userErrors: UserError[];
  } | null;
}

export async function subscriptionDraftLineUpdate(
  admin: AdminClient,
  draftId: string,
  line: { lineId: string; variantId?: string; unitPriceMinor: number; currencyCode: string },
): Promise<void> {
  const data = await admin<SubscriptionDraftLineUpdateData>(document, {
    draftId,
    lineId: line.lineId,
    input: { ...(line.variantId ? { productVariantId: line.variantId } : {}), currentPrice: formatMinor(line.unitPriceMinor, line.currencyCode) },
  });
  assertNoUserErrors("subscriptionDraftLineUpdate", data.subscriptionDraftLineUpdate);
}
