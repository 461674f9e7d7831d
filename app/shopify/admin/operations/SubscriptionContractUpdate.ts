/** Opens a draft of a contract: frequency, line and discount changes are made on the draft, then committed. */
import { AdminApiError, assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionContractUpdate($contractId: ID!) {
    subscriptionContractUpdate(contractId: $contractId) {
      draft {
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

export interface SubscriptionContractUpdateData {
  subscriptionContractUpdate: { draft: { id: string } | null; userErrors: UserError[] } | null;
}

/** The new draft's id. */
export async function subscriptionContractUpdate(admin: AdminClient, contractGid: string): Promise<string> {
  const data = await admin<SubscriptionContractUpdateData>(document, { contractId: contractGid });
  const payload = assertNoUserErrors("subscriptionContractUpdate", data.subscriptionContractUpdate);
  if (!payload.draft) throw new AdminApiError("subscriptionContractUpdate returned no draft", "graphql");
  return payload.draft.id;
}
