/** Points the app's modules (imported after this runs) at a test database, in demo configuration. */
export const TEST_SECRET = "test-api-secret";
export const TEST_API_KEY = "test-api-key";

export function useAppEnv(databaseUrl: string, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    DEMO_MODE: "1",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_SECRET,
    SHOPIFY_APP_URL: "http://localhost:3999",
    JOB_EXPIRE_SECONDS: "2",
    JOB_MAINTENANCE_SECONDS: "1",
    ...extra,
  });
}
