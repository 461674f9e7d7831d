/** Shopify's webhook signature: base64(HMAC-SHA256(raw body, app secret)), compared in constant time. */
import { createHmac, timingSafeEqual } from "node:crypto";

export function webhookSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function isValidWebhookSignature(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = Buffer.from(webhookSignature(rawBody, secret), "base64");
  const given = Buffer.from(signature, "base64");
  // Equal lengths first: timingSafeEqual needs them, and a wrong length reveals nothing about the secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
