/**
 * The cancel-save JSON API of the customer-account extension (`/api/subscriptions/*`, session token, CORS):
 *   GET  /api/subscriptions            → { subscriptions: SubscriptionView[] }
 *   POST /api/subscriptions/cancel     { contractId }                 → FlowView (the survey)
 *   GET  /api/subscriptions/flow?attemptId=…                          → FlowView
 *   POST /api/subscriptions/flow       { attemptId, event }           → FlowView
 *   POST /api/subscriptions/pause      { contractId, action: "resume" } | { …, action: "extend", months }
 *                                                                     → { subscription: SubscriptionView }
 * A refusal is `{ error: { code, message } }`; a refused flow step also carries `flow`, the step the subscriber
 * is still on (with its Cancel button), so the extension never shows a change that was not made.
 */
import { z } from "zod";
import { logger } from "~/config/logger.server";
import { readBodyWithLimit } from "~/shopify/http.server";
import { json, refusal } from "~/services/storefront/responses.server";
import { answerCancelFlow, extendSubscriptionPause, listSubscriptions, pressCancel, resumeSubscription, viewAttempt, type Outcome } from "./cancel-flow.server";
import { identifySubscriber, type SubscriberRequest } from "./shopper-context.server";

const BODY_LIMIT_BYTES = 16 * 1024;

const contractId = z.string().regex(/^\d{1,20}$/, "a Shopify contract id");
const attemptId = z.uuid();

export const flowEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("cancel_now") }),
  // Free text is cut, not refused, by the flow: the request's size limit is the only bound here.
  z.object({ type: z.literal("give_reason"), reason: z.string().max(100), freeText: z.string().nullish() }),
  z.object({ type: z.literal("accept_offer") }),
  z.object({ type: z.literal("decline_offer") }),
]);

const startBody = z.object({ contractId });
const flowBody = z.object({ attemptId, event: flowEventSchema });
const pauseBody = z.discriminatedUnion("action", [
  z.object({ action: z.literal("resume"), contractId }),
  z.object({ action: z.literal("extend"), contractId, months: z.int().min(1).max(12) }),
]);

function answer<T>(outcome: Outcome<T>, wrap: (body: T) => unknown = (body) => body): Response {
  if (outcome.ok) return json(wrap(outcome.body));
  return json({ error: { code: outcome.code, message: outcome.message }, ...(outcome.body ? { flow: outcome.body } : {}) }, { status: outcome.status });
}

async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<{ ok: true; value: z.output<S> } | { ok: false; response: Response }> {
  const body = await readBodyWithLimit(request, BODY_LIMIT_BYTES);
  if (!body.ok) return { ok: false, response: refusal(body.status, body.status === 413 ? "body_too_large" : "invalid_request", body.message) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString("utf8"));
  } catch {
    return { ok: false, response: refusal(400, "invalid_request", "The body must be JSON.") };
  }
  const input = schema.safeParse(parsed);
  if (!input.success) return { ok: false, response: refusal(400, "invalid_request", `Invalid request: ${z.prettifyError(input.error)}`) };
  return { ok: true, value: input.data };
}

async function endpoint(request: Request, method: "GET" | "POST", work: (subscriber: SubscriberRequest) => Promise<Response>): Promise<Response> {
  try {
    if (request.method !== method) return refusal(405, "method_not_allowed", `Use ${method}.`, { allow: method });
    const identified = await identifySubscriber(request, "session_token", new Date());
    if (!identified.ok) return identified.response;
    return await work(identified.subscriber);
  } catch (error) {
    logger.error({ err: error, path: new URL(request.url).pathname }, "subscriptions endpoint failed");
    return refusal(500, "internal_error", "Something went wrong on our side. Please try again.");
  }
}

export const subscriptionsEndpoint = (request: Request) =>
  endpoint(request, "GET", async (s) => json({ subscriptions: await listSubscriptions(s, s.customerId) }));

export const cancelStartEndpoint = (request: Request) =>
  endpoint(request, "POST", async (s) => {
    const input = await parseBody(request, startBody);
    if (!input.ok) return input.response;
    const outcome = await pressCancel(
      { ...s, admin: await s.admin() },
      { customerId: s.customerId, contractId: input.value.contractId, channel: "customer_account", language: s.language },
    );
    return answer(outcome);
  });

export const cancelFlowEndpoint = (request: Request) => {
  if (request.method === "GET") {
    return endpoint(request, "GET", async (s) => {
      const id = attemptId.safeParse(new URL(request.url).searchParams.get("attemptId"));
      if (!id.success) return refusal(400, "invalid_request", "attemptId must be the id of a cancel attempt.");
      return answer(await viewAttempt(s, { customerId: s.customerId, attemptId: id.data, language: s.language }));
    });
  }
  return endpoint(request, "POST", async (s) => {
    const input = await parseBody(request, flowBody);
    if (!input.ok) return input.response;
    const outcome = await answerCancelFlow(
      { ...s, admin: await s.admin() },
      { customerId: s.customerId, attemptId: input.value.attemptId, event: input.value.event, language: s.language },
    );
    return answer(outcome);
  });
};

export const pauseEndpoint = (request: Request) =>
  endpoint(request, "POST", async (s) => {
    const input = await parseBody(request, pauseBody);
    if (!input.ok) return input.response;
    const outcome =
      input.value.action === "resume"
        ? await resumeSubscription({ ...s, admin: await s.admin() }, { customerId: s.customerId, contractId: input.value.contractId })
        : await extendSubscriptionPause(s, { customerId: s.customerId, contractId: input.value.contractId, months: input.value.months });
    return answer(outcome, (subscription) => ({ subscription }));
  });
