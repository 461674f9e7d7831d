/**
 * POST /webhooks: verify, validate, record durably and idempotently, answer at once. Processing happens later
 * in the worker. Every refusal names its reason; nothing is recorded for a refused delivery; a database
 * failure answers 503 so that Shopify delivers again.
 */
import { logger } from "~/config/logger.server";
import { UnstorablePayloadError, type InboxWriter } from "./inbox-writer.server";
import { isWebhookTopic, webhookPayloads } from "./payloads";
import { isValidWebhookSignature } from "./verify.server";

export interface IntakeDeps {
  inbox: InboxWriter;
  secret: string;
}

export interface IntakeResult {
  status: 200 | 400 | 401 | 503;
  message: string;
  inboxId?: string;
  duplicate?: boolean;
}

const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"] as const;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export async function receiveWebhook(deps: IntakeDeps, headers: Headers, rawBody: Buffer): Promise<IntakeResult> {
  const signature = headers.get("x-shopify-hmac-sha256");
  if (!signature) return { status: 401, message: "missing X-Shopify-Hmac-Sha256 signature" };
  if (!isValidWebhookSignature(rawBody, signature, deps.secret)) return { status: 401, message: "invalid webhook signature" };

  for (const name of REQUIRED_HEADERS) {
    if (!headers.get(name)) return { status: 400, message: `missing ${canonical(name)} header` };
  }
  const topic = headers.get("x-shopify-topic")!;
  const shopDomain = headers.get("x-shopify-shop-domain")!.toLowerCase();
  const webhookId = headers.get("x-shopify-webhook-id")!;
  const eventId = headers.get("x-shopify-event-id");
  const triggeredAtHeader = headers.get("x-shopify-triggered-at");
  if (!SHOP_DOMAIN.test(shopDomain)) return { status: 400, message: "X-Shopify-Shop-Domain is not a myshopify.com domain" };
  if (!isWebhookTopic(topic)) return { status: 400, message: `unsupported topic ${JSON.stringify(topic.slice(0, 64))}` };
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;
  if (triggeredAt && Number.isNaN(triggeredAt.getTime())) return { status: 400, message: "X-Shopify-Triggered-At is not a date" };

  const text = rawBody.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 400, message: "body is not valid JSON" };
  }
  const parsed = webhookPayloads[topic].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 400, message: `invalid ${topic} payload: ${issue.path.join(".") || "body"}: ${issue.message}` };
  }

  try {
    const inboxId = await deps.inbox.record({
      shopDomain,
      topic,
      dedupeKey: eventId ? `${topic}|event:${eventId}` : `${topic}|webhook:${webhookId}`,
      webhookId,
      eventId,
      apiVersion: headers.get("x-shopify-api-version")!,
      triggeredAt,
      rawPayload: text,
    });
    return inboxId ? { status: 200, message: "received", inboxId } : { status: 200, message: "already received", duplicate: true };
  } catch (error) {
    if (error instanceof UnstorablePayloadError) return { status: 400, message: `invalid ${topic} payload: cannot be stored (${error.message})` };
    logger.warn({ shop: shopDomain, topic, error: error instanceof Error ? error.message : String(error) }, "could not record a webhook delivery; answered 503");
    return { status: 503, message: "could not record the delivery; please retry" };
  }
}

function canonical(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase()).replace("Api", "API");
}
