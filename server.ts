/**
 * The web process (`npm start`, after `npm run build`): stateless, any number of them behind a load balancer.
 * Webhook processing runs in separate worker processes (`npm run worker`).
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";

const config = env();
const build = (await import(resolve("build/server/index.js"))) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Shopify's webhook deliveries, the bulk of all requests, go straight to their route's action: Remix's request
// pipeline matches each URL against every route of the admin, which took a fifth of this process's CPU at
// 500 deliveries/s (bench/intake.bench.ts). The action is the same one Remix would call.
const webhooks = build.routes["routes/webhooks"].module;
app.post("/webhooks", (req, res) => {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, { method: "POST", headers, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
  Promise.resolve(webhooks.action!({ request, params: {}, context: {} }))
    .then(async (response) => {
      if (!(response instanceof Response)) throw new Error("the webhook action must answer with a Response");
      res.status(response.status);
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    })
    .catch((error: unknown) => {
      // As Remix answers an action that throws: no stack trace to the caller (e.g. the sender hung up mid-body).
      logger.error({ error: error instanceof Error ? error.message : String(error) }, "webhook request failed");
      if (!res.headersSent) res.status(500).type("text/plain").end("Unexpected Server Error");
    });
});
app.all("*", createRequestHandler({ build }));

const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, "web process listening"));
// Shopify gives up on a webhook after 5 s; keep-alive longer than typical proxies' idle timeout.
server.keepAliveTimeout = 65_000;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
