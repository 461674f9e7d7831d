/**
 * The storefront over real HTTP, for a test file: the built app's web process (server.ts, demo mode) on a test
 * database of its own, with the fake Admin API (tests/browser/storefront.test.ts, redeem-concurrency.test.ts).
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { ensureAppBuilt } from "../../../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../../../scripts/lib/processes";
import { freePort } from "../../faults/support/cluster";
import { TEST_API_KEY, TEST_SECRET, useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";

export interface StorefrontWebApp {
  db: TestDatabase;
  fake: FakeAdminApi;
  /** The web process's origin. */
  url: string;
}

/**
 * Registers the file's beforeAll and afterAll. `seed` runs once this process's app environment points at the
 * database, the fake Admin API and the web process's address, and before the web process starts. The fields of
 * the object returned are set in that beforeAll; a beforeAll the file registers after this call runs after it, and
 * its afterAll before the clean-up here.
 */
export function useStorefrontWebApp(seed: (app: StorefrontWebApp) => Promise<void>): StorefrontWebApp {
  const app = {} as StorefrontWebApp;
  let web: ChildProcess | undefined;
  beforeAll(async () => {
    ensureAppBuilt();
    app.db = await createTestDatabase();
    app.fake = await startFakeAdminApi(fakeAdminResolvers);
    const port = await freePort();
    app.url = `http://127.0.0.1:${port}`;
    const appEnv = { SHOPIFY_ADMIN_API_ORIGIN: app.fake.origin, SHOPIFY_APP_URL: app.url };
    useAppEnv(app.db.url, appEnv);
    await seed(app);
    web = spawnAppProcess("web", { DATABASE_URL: app.db.url, PORT: String(port), DEMO_MODE: "1", SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_SECRET, ...appEnv }, { quiet: true });
    await waitForHttp(`${app.url}/healthz`);
  }, 600_000); // building the app (when its sources changed) comes first
  afterAll(async () => {
    if (web) await stopProcess(web);
    await app.fake?.close();
    const { getDatabase } = await import("~/data/database.server");
    await getDatabase().close();
    await app.db?.drop();
  });
  return app;
}
