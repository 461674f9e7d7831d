/** The one Shopify entry point: auth, sessions (PostgreSQL through Prisma), billing and webhooks config. */
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import { getDatabase } from "~/data/database.server";

export const API_VERSION = ApiVersion.January25;

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The session table is Prisma's model `Session` in our generated client.
  sessionStorage: new PrismaSessionStorage(getDatabase().prisma as never),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: { unstable_newEmbeddedAuthStrategy: true },
  logger: { level: LogSeverity.Warning, log: (severity, message) => logger.warn({ severity }, message) },
});

export default shopify;
export const authenticate = shopify.authenticate;
export const sessionStorage = shopify.sessionStorage;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
