/** Which handler each webhook topic gets. Topics without a handler are recorded and marked processed. */
import { markShopUninstalled } from "~/data/shops.server";
import type { HandlerRegistry } from "./handlers.server";

export const topicHandlers: HandlerRegistry = {
  "app/uninstalled": async ({ tx, shopId, shopDomain, now }) => markShopUninstalled(tx, shopId, shopDomain, now),
};
