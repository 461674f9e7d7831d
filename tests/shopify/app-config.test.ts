/** shopify.app.toml declares what the code handles: every webhook topic, the scopes, the App Proxy. */
import { readFileSync } from "node:fs";
import toml from "toml";
import { expect, test } from "vitest";
import { APP_SCOPES } from "~/config/env.server";
import { WEBHOOK_TOPICS } from "~/shopify/webhooks/payloads";

const config = toml.parse(readFileSync("shopify.app.toml", "utf8"));

test("every topic the intake accepts is subscribed, and nothing else", () => {
  const subscribed = config.webhooks.subscriptions.flatMap((s: { topics?: string[]; compliance_topics?: string[] }) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]);
  expect([...subscribed].sort()).toEqual([...WEBHOOK_TOPICS].sort());
  expect(config.webhooks.subscriptions.every((s: { uri: string }) => s.uri === "/webhooks")).toBe(true);
});

test("the mandatory privacy topics are compliance subscriptions", () => {
  const compliance = config.webhooks.subscriptions.flatMap((s: { compliance_topics?: string[] }) => s.compliance_topics ?? []);
  expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
});

test("the scopes requested are the scopes the app configures", () => {
  expect(config.access_scopes.scopes).toBe(APP_SCOPES);
  for (const needed of ["read_orders", "write_discounts", "write_store_credit_account_transactions", "write_own_subscription_contracts", "write_metafields", "write_customers"]) {
    expect(APP_SCOPES.split(",")).toContain(needed);
  }
});

test("the App Proxy forwards /apps/rewards to the app's /proxy", () => {
  expect(config.app_proxy).toMatchObject({ prefix: "apps", subpath: "rewards" });
  expect(new URL(config.app_proxy.url).pathname).toBe("/proxy");
});
