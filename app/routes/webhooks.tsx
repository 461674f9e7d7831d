/** POST /webhooks — every topic. Shopify waits 5 s for a 2xx; the answer comes as soon as the delivery is recorded. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import { readBodyWithLimit } from "~/shopify/http.server";
import { receiveWebhook } from "~/shopify/webhooks/intake.server";
import { getInboxWriter } from "~/runtime.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
  const body = await readBodyWithLimit(request, env().MAX_REQUEST_BYTES);
  if (!body.ok) return new Response(body.message, { status: body.status });
  const inbox = await getInboxWriter().catch((error: unknown) => {
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, "the job queue is not available; answered 503");
    return null;
  });
  if (!inbox) return new Response("could not record the delivery; please retry", { status: 503 });
  const result = await receiveWebhook({ inbox, secret: env().SHOPIFY_API_SECRET }, request.headers, body.bytes);
  return new Response(result.message, { status: result.status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export function loader() {
  return new Response("method not allowed", { status: 405 });
}
