/**
 * Starts the merchant's Shopify Flow workflows that begin with one of the app's Flow triggers. The payload's keys
 * are the trigger extension's field keys; a customer reference is `customer_id` (the numeric id).
 */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FlowTriggerReceiveVariables {
  handle: string;
  payload: Record<string, unknown>;
}

export interface FlowTriggerReceiveData {
  flowTriggerReceive: { userErrors: UserError[] } | null;
}

/** Throws AdminApiError when Shopify refuses it (userErrors). */
export async function flowTriggerReceive(admin: AdminClient, variables: FlowTriggerReceiveVariables): Promise<void> {
  const data = await admin<FlowTriggerReceiveData>(document, { ...variables });
  assertNoUserErrors("flowTriggerReceive", data.flowTriggerReceive);
}
