/**
 * The admin as a merchant meets it, for the admin-*.test.ts browser tests: the built app (server.ts) and a
 * worker against a test database of their own, in demo mode, with the fake Admin API, driven by headless
 * Chromium. `/` redirects to `/app?...&id_token=...` as the demo does; `open(path)` keeps those parameters.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureAppBuilt } from "../../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../../scripts/lib/processes";
import { startFakeAdminApi, type FakeAdminApi } from "../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../scripts/fake-shopify/resolvers";
import { DESKTOP_CHROME_UA, launchBrowser } from "../../scripts/lib/browser";
import { createTestDatabase, type TestDatabase } from "../support/database";

export const DEMO_SHOP = "demo-shop.myshopify.com";

export interface AdminApp {
  base: string;
  database: TestDatabase;
  fakeAdmin: FakeAdminApi;
  browser: Browser;
  newPage(options?: { width?: number }): Promise<AdminPage>;
  shopId(): Promise<number>;
  stop(): Promise<void>;
}

export interface AdminPage {
  page: Page;
  /** Opens an admin path (e.g. "/app/billing") as the embedded demo admin does. */
  open(path: string): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startAdminApp(options: { worker?: boolean } = {}): Promise<AdminApp> {
  ensureAppBuilt();
  const database = await createTestDatabase();
  const fakeAdmin = await startFakeAdminApi(fakeAdminResolvers);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const env = {
    DATABASE_URL: database.url,
    PORT: String(port),
    DEMO_MODE: "1",
    SHOPIFY_APP_URL: base,
    SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.origin,
    JOB_EXPIRE_SECONDS: "5",
    JOB_MAINTENANCE_SECONDS: "1",
  };
  const processes: ChildProcess[] = [spawnAppProcess("web", env, { quiet: true })];
  if (options.worker) processes.push(spawnAppProcess("worker", env, { quiet: true }));
  await waitForHttp(`${base}/healthz`);
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];

  return {
    base,
    database,
    fakeAdmin,
    browser,
    async newPage({ width = 1280 } = {}) {
      const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width, height: 900 }, locale: "en-US" });
      contexts.push(context);
      const page = await context.newPage();
      let query = "";
      return {
        page,
        async open(path: string) {
          if (!query) {
            await page.goto(`${base}/`);
            query = new URL(page.url()).search;
          }
          await page.goto(`${base}${path}${query}`);
          await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
        },
        close: () => context.close(),
      };
    },
    async shopId() {
      const shop = await database.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
      return shop.id;
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await Promise.all(processes.map((child) => stopProcess(child)));
      await fakeAdmin.close();
      await database.drop();
    },
  };
}
