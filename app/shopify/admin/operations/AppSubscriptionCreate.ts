/** Asks Shopify to bill the shop for a plan; the merchant approves it at `confirmationUrl`. */
import type { UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation AppSubscriptionCreate($name: String!, $lineItems: [AppSubscriptionLineItemInput!]!, $returnUrl: URL!, $trialDays: Int, $test: Boolean) {
    appSubscriptionCreate(name: $name, lineItems: $lineItems, returnUrl: $returnUrl, trialDays: $trialDays, test: $test) {
      appSubscription {
        id
        status
        trialDays
      }
      confirmationUrl
      userErrors {
        field
        message
      }
    }
  }
`;

export interface AppSubscriptionCreateVariables {
  name: string;
  lineItems: { plan: { appRecurringPricingDetails: { price: { amount: string; currencyCode: string }; interval: "EVERY_30_DAYS" | "ANNUAL" } } }[];
  returnUrl: string;
  trialDays: number;
  test: boolean;
}

export interface AppSubscriptionCreateData {
  appSubscriptionCreate: {
    appSubscription: { id: string; status: string; trialDays: number } | null;
    confirmationUrl: string | null;
    userErrors: UserError[];
  } | null;
}
