/** Adds tags to a taggable resource (a customer, an order…); tags it already has are kept once. */
import type { UserError } from "../client.server";

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
