/** Shopify's real Admin GraphQL schema (2025-01), kept in reference/shopify for validating operations. */
import { buildClientSchema, type GraphQLSchema } from "graphql";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";

let schema: GraphQLSchema | undefined;

export const ADMIN_SCHEMA_PATH = resolve(process.env.SHOPIFY_SCHEMA_PATH ?? "reference/shopify/admin-2025-01.schema.json.gz");

export function adminSchema(): GraphQLSchema {
  schema ??= buildClientSchema(JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_PATH)).toString("utf8")).data);
  return schema;
}
