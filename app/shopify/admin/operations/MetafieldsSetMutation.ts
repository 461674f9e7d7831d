/** Creates or replaces metafields (up to 25) in one call. */
import type { UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface MetafieldsSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface MetafieldsSetData {
  metafieldsSet: { metafields: { id: string; namespace: string; key: string }[]; userErrors: UserError[] } | null;
}
