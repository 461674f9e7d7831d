/** Removes tags from a taggable resource; tags it does not have are ignored. */
import type { UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation TagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
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

export interface TagsRemoveVariables {
  id: string;
  tags: string[];
}

export interface TagsRemoveData {
  tagsRemove: { node: { id: string } | null; userErrors: UserError[] } | null;
}
