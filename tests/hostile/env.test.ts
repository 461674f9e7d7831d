/**
 * Environment parsing fed random and boundary values for every variable: start-up either gets a complete,
 * in-range configuration or stops with one EnvError line naming the variable, never another kind of failure,
 * and never demo mode or the fake Admin API in production.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { EnvError, parseEnv } from "~/config/env.server";
import { hostileText } from "./arbitraries";

const VARIABLES = [
  "NODE_ENV",
  "DEMO_MODE",
  "DATABASE_URL",
  "PORT",
  "DATABASE_POOL_SIZE",
  "SHOPIFY_API_KEY",
  "SHOPIFY_API_SECRET",
  "SHOPIFY_APP_URL",
  "SCOPES",
  "SHOPIFY_ADMIN_API_ORIGIN",
  "LOG_LEVEL",
  "WORKER_CONCURRENCY",
  "JOB_EXPIRE_SECONDS",
  "JOB_MAINTENANCE_SECONDS",
  "WEBHOOK_MAX_ATTEMPTS",
  "MAX_REQUEST_BYTES",
] as const;

const valid: Record<string, string> = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://u:p@db.internal:5432/retention",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_orders",
};

const boundary = fc.constantFrom("", " ", "0", "1", "-1", "1.5", "1e3", "0x10", "65535", "65536", "2", "500", "501", "1023", "1024", "NaN", "Infinity", "true", "false", "yes", "production", "development", "test", "postgres://h/db", "postgresql://u@h:1/d", "mysql://h/d", "http://x", "https://app.example.com", "debug", "silent", "SILENT");
const value = fc.oneof(boundary, hostileText.filter((text) => text.length < 200), fc.integer({ min: -10, max: 100_000 }).map(String));

test("any environment gives a complete configuration or one EnvError naming a variable", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...VARIABLES), value), fc.boolean(), (changes, fromValid) => {
      const source = fromValid ? { ...valid, ...changes } : changes;
      let env;
      try {
        env = parseEnv(source);
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        const message = (error as EnvError).message;
        expect(message).not.toContain("\n");
        expect(VARIABLES.some((name) => message.startsWith(`${name} `))).toBe(true);
        return;
      }
      expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
      expect(Number.isInteger(env.PORT) && env.PORT >= 1 && env.PORT <= 65_535).toBe(true);
      expect(Number.isInteger(env.DATABASE_POOL_SIZE) && env.DATABASE_POOL_SIZE >= 2 && env.DATABASE_POOL_SIZE <= 500).toBe(true);
      expect(Number.isInteger(env.WORKER_CONCURRENCY) && env.WORKER_CONCURRENCY >= 1 && env.WORKER_CONCURRENCY <= 64).toBe(true);
      expect(Number.isInteger(env.WEBHOOK_MAX_ATTEMPTS) && env.WEBHOOK_MAX_ATTEMPTS >= 1 && env.WEBHOOK_MAX_ATTEMPTS <= 50).toBe(true);
      expect(env.MAX_REQUEST_BYTES).toBeGreaterThanOrEqual(1_024);
      for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"] as const) expect(env[name].length).toBeGreaterThan(0);
      if (env.NODE_ENV === "production") {
        expect(env.DEMO_MODE).toBe(false);
        expect(env.SHOPIFY_ADMIN_API_ORIGIN).toBeUndefined();
      }
      // Outside demo mode nothing Shopify-facing falls back to the demo's credentials.
      if (!env.DEMO_MODE) {
        for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"] as const) expect(env[name]).toBe(source[name]);
      }
    }),
    { numRuns: 3_000 },
  );
});

test("the error line never repeats a secret's value", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 12, maxLength: 40 }).filter((text) => text.trim() === text), (secret) => {
      const attempts = [
        { ...valid, SHOPIFY_API_SECRET: secret, PORT: "eighty" },
        { ...valid, SHOPIFY_API_SECRET: secret, DATABASE_URL: `mysql://u:${secret}@h/d` },
        { ...valid, DATABASE_URL: `postgres://u:${secret}@h:99999999/d` },
      ];
      for (const source of attempts) {
        try {
          parseEnv(source);
        } catch (error) {
          expect((error as Error).message).not.toContain(secret);
        }
      }
    }),
    { numRuns: 200 },
  );
});
