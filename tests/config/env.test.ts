import { expect, test } from "vitest";
import { parseEnv } from "~/config/env.server";

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://u:p@db.internal:5432/retention",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_orders",
};

test("a complete production configuration parses, with defaults filled in", () => {
  const env = parseEnv(production);
  expect(env).toMatchObject({ PORT: 3000, DEMO_MODE: false, WORKER_CONCURRENCY: 8, SHOPIFY_API_SECRET: "secret" });
});

test.each([
  [{ DATABASE_URL: undefined }, /^DATABASE_URL /],
  [{ DATABASE_URL: "mysql://x/y" }, /^DATABASE_URL must be a postgres:\/\/ URL/],
  [{ PORT: "eighty" }, /^PORT /],
  [{ SHOPIFY_API_SECRET: undefined }, /^SHOPIFY_API_SECRET is required/],
  [{ SHOPIFY_APP_URL: "not a url" }, /^SHOPIFY_APP_URL /],
  [{ DEMO_MODE: "1" }, /^DEMO_MODE demo mode is refused in production/],
  [{ SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:1" }, /^SHOPIFY_ADMIN_API_ORIGIN the fake Admin API is refused in production/],
  [{ WORKER_CONCURRENCY: "0" }, /^WORKER_CONCURRENCY /],
])("%o stops start-up with one line naming the variable", (change, message) => {
  expect(() => parseEnv({ ...production, ...change })).toThrow(message);
});

test("demo mode needs only a database; the demo secret can be overridden", () => {
  const env = parseEnv({ DEMO_MODE: "1", DATABASE_URL: "postgres://localhost/x", SHOPIFY_API_SECRET: "mine" });
  expect(env).toMatchObject({ DEMO_MODE: true, SHOPIFY_API_KEY: "demo-api-key", SHOPIFY_API_SECRET: "mine", SHOPIFY_APP_URL: "http://localhost:3000" });
});
