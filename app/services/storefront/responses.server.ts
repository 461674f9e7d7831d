/**
 * How the shopper-facing endpoints answer: JSON, with `{ error: { code, message } }` for every refusal, and
 * caching only where nothing about a customer is in the body.
 */

/** Program info for a guest is the same for every guest of the shop: a minute of caching spares the app. */
export const CACHE_PUBLIC = "public, max-age=60";
/** Anything about a customer (or a redemption) must never be stored by Shopify, a CDN or the browser. */
export const CACHE_PRIVATE = "private, no-store";

export type ErrorCode =
  | "invalid_signature"
  | "invalid_session_token"
  | "not_logged_in"
  | "rate_limited"
  | "method_not_allowed"
  | "body_too_large"
  | "invalid_request"
  | "internal_error"
  | (string & {});

export function json(body: unknown, init: { status?: number; cacheControl?: string; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": init.cacheControl ?? CACHE_PRIVATE,
      "x-content-type-options": "nosniff",
      ...init.headers,
    },
  });
}

export function refusal(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, { status, headers });
}

/**
 * The extensions call the app from Shopify's origins (checkout, customer accounts) with the session token in
 * Authorization, never with cookies, so any origin may call: the token is the credential.
 */
const EXTENSION_CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "Authorization, Content-Type, Accept",
  "access-control-max-age": "7200",
};

/** Answers the CORS preflight, and adds the CORS headers to every other answer (refusals included). */
export async function withExtensionCors(request: Request, answer: () => Promise<Response>): Promise<Response> {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: EXTENSION_CORS });
  const response = await answer();
  for (const [name, value] of Object.entries(EXTENSION_CORS)) response.headers.set(name, value);
  return response;
}
