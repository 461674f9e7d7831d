/** Credits a customer's store credit account (created by Shopify on the first credit in that currency). */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation StoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount {
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

export interface StoreCreditAccountCreditVariables {
  /** The customer's gid (the account owner) or the store credit account's gid. */
  id: string;
  creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt: string | null };
}

export interface StoreCreditAccountCreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: { id: string; amount: { amount: string; currencyCode: string } } | null;
    userErrors: UserError[];
  } | null;
}

/** The credit transaction's id; throws AdminApiError on userErrors. */
export async function storeCreditAccountCredit(admin: AdminClient, variables: StoreCreditAccountCreditVariables): Promise<string> {
  const data = await admin<StoreCreditAccountCreditData>(document, { ...variables });
  const payload = assertNoUserErrors("storeCreditAccountCredit", data.storeCreditAccountCredit);
  if (!payload.storeCreditAccountTransaction) throw new Error("storeCreditAccountCredit returned no transaction");
  return payload.storeCreditAccountTransaction.id;
}
