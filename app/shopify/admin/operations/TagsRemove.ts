/** Removes tags from a taggable resource; tags it does not have are ignored. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

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

/** Throws AdminApiError when Shopify refuses it (userErrors). */
export async function tagsRemove(admin: AdminClient, variables: TagsRemoveVariables): Promise<void> {
  const data = await admin<TagsRemoveData>(document, { ...variables });
  assertNoUserErrors("tagsRemove", data.tagsRemove);
}
