/** Sends deliveries to a running app's /webhooks over real HTTP, signed, with bounded concurrency. */
import { Agent } from "undici";
import { signedDelivery } from "../fake-shopify/webhook-samples";

export interface ReplayItem {
  topic: string;
  payload: unknown;
  eventId: string;
}

export interface ReplayResult {
  sent: number;
  accepted: number;
  refused: { status: number; message: string }[];
  latenciesMs: number[];
}

const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });

export async function postDelivery(baseUrl: string, delivery: { headers: Record<string, string>; body: string }): Promise<{ status: number; text: string }> {
  // undici's own request API: fetch's WHATWG streams cost the sender more CPU than the app spends accepting.
  const url = new URL(`${baseUrl}/webhooks`);
  const response = await agent.request({ origin: url.origin, path: url.pathname, method: "POST", headers: delivery.headers, body: delivery.body });
  return { status: response.statusCode, text: await response.body.text() };
}

export async function replay(options: {
  baseUrl: string;
  shop: string;
  secret: string;
  items: ReplayItem[];
  concurrency?: number;
  onProgress?: (done: number) => void;
}): Promise<ReplayResult> {
  const result: ReplayResult = { sent: 0, accepted: 0, refused: [], latenciesMs: [] };
  let next = 0;
  const lane = async () => {
    while (next < options.items.length) {
      const item = options.items[next++];
      const delivery = signedDelivery({ topic: item.topic, shop: options.shop, payload: item.payload, secret: options.secret, eventId: item.eventId, webhookId: item.eventId });
      for (let attempt = 1; ; attempt += 1) {
        const started = performance.now();
        const response = await postDelivery(options.baseUrl, delivery).catch((error: Error) => ({ status: 0, text: error.message }));
        result.latenciesMs.push(performance.now() - started);
        // Like Shopify: a 5xx or a dropped connection is delivered again (here after a short pause).
        if ((response.status >= 500 || response.status === 0) && attempt < 8) {
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          continue;
        }
        result.sent += 1;
        if (response.status === 200) result.accepted += 1;
        else result.refused.push({ status: response.status, message: response.text });
        break;
      }
      options.onProgress?.(result.sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, lane));
  return result;
}
