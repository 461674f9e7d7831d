/** Commits a draft: only now does the contract change. An abandoned draft changes nothing. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionDraftCommit($draftId: ID!) {
    subscriptionDraftCommit(draftId: $draftId) {
      contract {
        id
        revisionId
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionDraftCommitData {
  subscriptionDraftCommit: { contract: { id: string; revisionId: string } | null; userErrors: UserError[] } | null;
}

export async function subscriptionDraftCommit(admin: AdminClient, draftId: string): Promise<void> {
  const data = await admin<SubscriptionDraftCommitData>(document, { draftId });
  assertNoUserErrors("subscriptionDraftCommit", data.subscriptionDraftCommit);
}
