/** Every cancel-save Admin operation is valid against Shopify's real 2025-01 schema and is named after its file. */
import { readdirSync } from "node:fs";
import path from "node:path";
import { parse, validate, type OperationDefinitionNode } from "graphql";
import { describe, expect, test } from "vitest";
import { adminSchema } from "~/shopify/admin/schema";

const DIR = path.resolve("app/shopify/admin/operations");
const files = readdirSync(DIR).filter((name) => /^Subscription\w+\.ts$/.test(name));

describe("cancel-save Admin operations", () => {
  test("cover the contract query and every mutation the flow uses", () => {
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([
      "SubscriptionBillingCycleSkip",
      "SubscriptionContract",
      "SubscriptionContractActivate",
      "SubscriptionContractCancel",
      "SubscriptionContractPause",
      "SubscriptionContractSetNextBillingDate",
      "SubscriptionContractUpdate",
      "SubscriptionDraftCommit",
      "SubscriptionDraftDiscountAdd",
      "SubscriptionDraftLineUpdate",
      "SubscriptionDraftUpdate",
    ]);
  });

  test.each(files)("%s validates against the schema", async (file) => {
    const { document } = (await import(path.join(DIR, file))) as { document: string };
    const parsed = parse(document);
    expect(validate(adminSchema(), parsed).map((e) => e.message)).toEqual([]);
    const operations = parsed.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    expect(operations.map((o) => o.name?.value)).toEqual([file.replace(/\.ts$/, "")]);
  });
});
