/** Ends a paid plan (moving the shop back to Free). */
import type { UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation AppSubscriptionCancel($id: ID!) {
    appSubscriptionCancel(id: $id) {
      appSubscription {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface AppSubscriptionCancelData {
  appSubscriptionCancel: { appSubscription: { id: string; status: string } | null; userErrors: UserError[] } | null;
}
