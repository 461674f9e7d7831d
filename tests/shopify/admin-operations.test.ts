/**
 * Every Admin GraphQL operation the app sends (one named operation per file in app/shopify/admin/operations)
 * validates against Shopify's real 2025-01 schema: an unknown field, argument or type fails here, not in a shop.
 */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parse, validate, type OperationDefinitionNode } from "graphql";
import { describe, expect, test } from "vitest";
import { adminSchema } from "~/shopify/admin/schema";

const DIR = resolve("app/shopify/admin/operations");
const files = readdirSync(DIR).filter((file) => file.endsWith(".ts")).sort();

function problems(document: string): string[] {
  return validate(adminSchema(), parse(document)).map((error) => error.message);
}

describe("Admin API operations", () => {
  test("there are operations to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  test.each(files)("%s is one named operation, valid against the 2025-01 schema", async (file) => {
    const { document } = (await import(resolve(DIR, file))) as { document: string };
    const operations = parse(document).definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    expect(operations).toHaveLength(1);
    expect(operations[0].name?.value).toBe(file.replace(/\.ts$/, "").replace(/(Mutation|Query)$/, ""));
    expect(problems(document)).toEqual([]);
  });

  test("a wrong document fails: unknown field, unknown argument, wrong variable type", () => {
    expect(problems(`mutation M($code: String!) { discountCodeBasicCreate(basicCodeDiscount: { code: $code }) { codeDiscountNode { id colour } userErrors { message } } }`)).toEqual([
      expect.stringContaining('Cannot query field "colour"'),
    ]);
    expect(problems(`query Q { codeDiscountNodeByCode(code: "X", shop: "y") { id } }`)).toEqual([expect.stringContaining('Unknown argument "shop"')]);
    expect(problems(`mutation M($id: Int!) { tagsAdd(id: $id, tags: ["a"]) { userErrors { message } } }`)).toEqual([expect.stringContaining('Variable "$id" of type "Int!" used in position expecting type "ID!"')]);
  });
});
