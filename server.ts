/**
 * The web process (`npm start`, after `npm run build`): stateless, any number of them behind a load balancer.
 * Webhook processing runs in separate worker processes (`npm run worker`).
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { resolve } from "node:path";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";

const config = env();
const build = (await import(resolve("build/server/index.js"))) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, "web process listening"));
// Shopify gives up on a webhook after 5 s; keep-alive longer than typical proxies' idle timeout.
server.keepAliveTimeout = 65_000;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
