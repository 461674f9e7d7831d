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
// Resource routes on fixed paths (webhooks, the App Proxy, the extensions' API, health) — the bulk of all requests,
// from Shopify and shoppers — go straight to their route's loader or action, as Remix would call them: Remix's own
// pipeline matches every URL against every route of the admin, which took a fifth of this process's CPU at
// 500 webhook deliveries/s (bench/intake.bench.ts). Pages, and routes with parameters, go through Remix.
const resourceRoutes = new Map(
  Object.values(build.routes)
    .filter((route) => route.parentId === "root" && route.path && !/[:*]/.test(route.path) && !route.module.default)
    .map((route) => [`/${route.path}`, route.module]),
);
const ACTION_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]); // Remix's: the others (OPTIONS too) reach the loader

app.use((req, res, next) => {
  const module = resourceRoutes.get(req.path);
  const handler = ACTION_METHODS.has(req.method) ? module?.action : module?.loader;
  if (!handler) return next(); // Remix answers 404 or 405
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
  Promise.resolve()
    .then(() => handler({ request, params: {}, context: {} }))
    .catch((thrown: unknown) => {
      if (thrown instanceof Response) return thrown; // a thrown redirect or refusal is the answer, as in Remix
      throw thrown;
    })
    .then(async (response) => {
      if (!(response instanceof Response)) throw new Error(`${req.path} must answer with a Response`);
      res.status(response.status);
      response.headers.forEach((value, name) => res.append(name, value));
      res.end(req.method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer()));
    })
    .catch((error: unknown) => {
      // As Remix answers a route that throws: no stack trace to the caller (e.g. the sender hung up mid-body).
      logger.error({ path: req.path, error: error instanceof Error ? error.message : String(error) }, "request failed");
      if (!res.headersSent) res.status(500).type("text/plain").end("Unexpected Server Error");
    });
});
// Static files after the resource routes: a look-up on disk for every webhook and storefront request was a
// system call each, measurable at hundreds of requests a second.
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, "web process listening"));
// Shopify gives up on a webhook after 5 s; keep-alive longer than typical proxies' idle timeout.
server.keepAliveTimeout = 65_000;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
