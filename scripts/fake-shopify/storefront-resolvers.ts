/**
 * The fake Admin API's answers for what the storefront reads from Shopify: the app installation and the
 * metafields set on it (app-data metafields, which themes read as `app.metafields.<namespace>.<key>`).
 */
import type { FakeShopState, Resolver } from "./admin-api";

const APP_INSTALLATION_ID = "gid://shopify/AppInstallation/1000001";

interface StoredMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

function metafields(state: FakeShopState): Map<string, StoredMetafield> {
  state.metafields ??= new Map<string, StoredMetafield>();
  return state.metafields;
}

/** An app-data metafield's value as Liquid sees it (`.value`: a json metafield parsed), or undefined if unset. */
export function appMetafieldValue(state: FakeShopState, namespace: string, key: string): unknown {
  const stored = metafields(state).get(`${APP_INSTALLATION_ID}|${namespace}.${key}`);
  if (!stored) return undefined;
  return stored.type === "json" ? JSON.parse(stored.value) : stored.value;
}

export const storefrontResolvers: Record<string, Resolver> = {
  CurrentAppInstallation: () => ({ currentAppInstallation: { id: APP_INSTALLATION_ID } }),

  MetafieldsSet: (variables, state) => {
    const inputs = variables.metafields as (Omit<StoredMetafield, "id"> & { ownerId: string })[];
    const userErrors = inputs.flatMap((input, index) => {
      if (input.type === "json") {
        try {
          JSON.parse(input.value);
        } catch {
          return [{ field: ["metafields", String(index), "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" }];
        }
      }
      return input.namespace.length < 3 ? [{ field: ["metafields", String(index), "namespace"], message: "Namespace is too short (minimum is 3 characters)", code: "TOO_SHORT" }] : [];
    });
    if (userErrors.length > 0) return { metafieldsSet: { metafields: [], userErrors } };
    const stored = inputs.map((input) => {
      const key = `${input.ownerId}|${input.namespace}.${input.key}`;
      const metafield = { id: metafields(state).get(key)?.id ?? `gid://shopify/Metafield/${metafields(state).size + 1}`, ...input };
      metafields(state).set(key, metafield);
      return metafield;
    });
    return { metafieldsSet: { metafields: stored.map(({ id, namespace, key }) => ({ id, namespace, key })), userErrors: [] } };
  },
};
