/** Adds tags to a taggable resource (a customer, an order…); tags it already has are kept once. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation TagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface TagsAddVariables {
  id: string;
  tags: string[];
}

export interface TagsAddData {
  tagsAdd: { node: { id: string } | null; userErrors: UserError[] } | null;
}

/** Throws AdminApiError when Shopify refuses it (userErrors). */
export async function tagsAdd(admin: AdminClient, variables: TagsAddVariables): Promise<void> {
  const data = await admin<TagsAddData>(document, { ...variables });
  assertNoUserErrors("tagsAdd", data.tagsAdd);
}
