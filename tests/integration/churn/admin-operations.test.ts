/**
 * The Admin API operations the churn radar sends are valid against Shopify's 2025-01 schema, and so are the
 * variables it sends them with (checked through graphql-js's own input coercion).
 */
import { getVariableValues, parse, validate, type OperationDefinitionNode } from "graphql";
import { describe, expect, test } from "vitest";
import { adminSchema } from "~/shopify/admin/schema";
import * as DiscountCodeBasicCreate from "~/shopify/admin/operations/DiscountCodeBasicCreate";
import * as FlowTriggerReceive from "~/shopify/admin/operations/FlowTriggerReceive";
import * as MetafieldsSet from "~/shopify/admin/operations/MetafieldsSetMutation";
import * as TagsAdd from "~/shopify/admin/operations/TagsAdd";
import * as TagsRemove from "~/shopify/admin/operations/TagsRemove";

/** Errors of a document with these variables, as Shopify's GraphQL layer would report them. */
function operationErrors(document: string, variables: Record<string, unknown>): string[] {
  const schema = adminSchema();
  const ast = parse(document);
  const errors = validate(schema, ast).map((e) => e.message);
  const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return [...errors, ...(coerced.errors ?? []).map((e) => e.message)];
}

describe("churn radar operations", () => {
  test.each([
    ["TagsAdd", TagsAdd.document, { id: "gid://shopify/Customer/1", tags: ["churn-risk-high", "rfm-at-risk"] } satisfies TagsAdd.TagsAddVariables],
    ["TagsRemove", TagsRemove.document, { id: "gid://shopify/Customer/1", tags: ["churn-risk-low"] } satisfies TagsRemove.TagsRemoveVariables],
    ["FlowTriggerReceive", FlowTriggerReceive.document, { handle: "customer-churn-risk-changed", payload: { customer_id: 1, "Risk level": "high" } }],
    [
      "MetafieldsSet",
      MetafieldsSet.document,
      { metafields: [{ ownerId: "gid://shopify/Customer/1", namespace: "retention", key: "churn_risk", type: "single_line_text_field", value: "high" }] },
    ],
    [
      "DiscountCodeBasicCreate",
      DiscountCodeBasicCreate.document,
      {
        basicCodeDiscount: {
          title: "Win-back 15 % · campaign 1",
          code: "BACK-ABC123",
          startsAt: "2026-11-01T00:00:00.000Z",
          endsAt: "2026-12-01T00:00:00.000Z",
          usageLimit: 1,
          appliesOncePerCustomer: true,
          customerSelection: { customers: { add: ["gid://shopify/Customer/1"] } },
          customerGets: { value: { percentage: 0.15 }, items: { all: true } },
        },
      } satisfies DiscountCodeBasicCreate.DiscountCodeBasicCreateVariables,
    ],
  ])("%s validates with the variables the app sends", (_, document, variables) => {
    expect(operationErrors(document, variables)).toEqual([]);
  });

  test("a wrong variable shape is caught (the check can fail)", () => {
    expect(operationErrors(TagsAdd.document, { tags: ["x"] })).not.toEqual([]);
    expect(operationErrors(DiscountCodeBasicCreate.document, { basicCodeDiscount: { code: "X", customerGets: { value: { percent: 10 } } } })).not.toEqual([]);
  });
});
