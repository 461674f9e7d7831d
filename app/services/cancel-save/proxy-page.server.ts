/**
 * The theme's subscriptions page through Shopify's App Proxy (`https://{shop}/apps/rewards/subscriptions` →
 * `/proxy/subscriptions`): server-rendered HTML with plain form posts, so it works in any theme and without
 * JavaScript. Each post is answered with a redirect to the page's new state (a reload repeats nothing), or, when
 * the step could not be done, with the same step, the error and its Cancel button.
 *
 * Forged posts from other sites: the flow's steps name the attempt (an unguessable id issued to this customer),
 * and resume/extend carry a token only the app can compute; pressing Cancel alone changes nothing.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import { formatMinor, type Money } from "~/domain/money";
import type { Frequency } from "~/domain/cancel-save";
import { readBodyWithLimit } from "~/shopify/http.server";
import { answerCancelFlow, extendSubscriptionPause, listSubscriptions, pressCancel, resumeSubscription, viewAttempt, type Outcome } from "./cancel-flow.server";
import { identifySubscriber, type SubscriberRequest } from "./shopper-context.server";
import type { FlowView, OfferView, SubscriptionView } from "./views";

const BODY_LIMIT_BYTES = 16 * 1024;
const contractId = z.string().regex(/^\d{1,20}$/);
const attemptId = z.uuid();

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("press_cancel"), contractId }),
  z.object({ intent: z.literal("give_reason"), attemptId, reason: z.string().max(100).default(""), freeText: z.string().optional() }),
  z.object({ intent: z.literal("cancel_now"), attemptId }),
  z.object({ intent: z.literal("accept_offer"), attemptId }),
  z.object({ intent: z.literal("decline_offer"), attemptId }),
  z.object({ intent: z.literal("resume"), contractId, token: z.string() }),
  z.object({ intent: z.literal("extend"), contractId, months: z.coerce.number().int().min(1).max(12), token: z.string() }),
]);

// ---------------------------------------------------------------- texts

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const date = (iso: string | null) => (iso ? new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso)) : "");
const money = (m: Money) => new Intl.NumberFormat("en-US", { style: "currency", currency: m.currencyCode }).format(Number(formatMinor(m.amountMinor, m.currencyCode)));
const UNITS = { DAY: "day", WEEK: "week", MONTH: "month", YEAR: "year" } as const;
const every = (f: Frequency) => (f.intervalCount === 1 ? `every ${UNITS[f.interval]}` : `every ${f.intervalCount} ${UNITS[f.interval]}s`);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function offerText(offer: OfferView): string {
  switch (offer.kind) {
    case "pause":
      return `Pause your subscription for ${plural(offer.months, "month")}${offer.resumeOn ? `, until ${date(offer.resumeOn)}` : ""}. Nothing is charged or sent meanwhile, and your price stays the same.`;
    case "skip_next_delivery":
      return `Skip your next delivery${offer.skippedDate ? ` (${date(offer.skippedDate)})` : ""}.${offer.nextBillingDateAfterSkip ? ` Your next order is then on ${date(offer.nextBillingDateAfterSkip)}.` : ""}`;
    case "change_frequency":
      return `Receive it ${every(offer.frequency)} instead.`;
    case "swap_variant":
      return `Switch${offer.fromTitle ? ` ${offer.fromTitle}` : ""} to ${offer.toTitle} for ${money(offer.toUnitPrice)} per delivery.`;
    case "discount":
      return `Stay and get ${offer.percent}% off your next ${plural(offer.orders, "order")}.`;
    case "bonus_points":
      return `Stay and get ${offer.points.toLocaleString("en-US")} bonus points.`;
  }
}

function acceptedText(offer: OfferView, subscription: SubscriptionView): string {
  switch (offer.kind) {
    case "pause":
      return `Your subscription is paused until ${date(subscription.pause?.resumeOn ?? offer.resumeOn)}. You can resume it early or extend the pause below.`;
    case "skip_next_delivery":
      return `Your next delivery is skipped.${subscription.nextBillingDate ? ` Your next order is on ${date(subscription.nextBillingDate)}.` : ""}`;
    case "change_frequency":
      return `Done: you'll now receive it ${every(offer.frequency)}.`;
    case "swap_variant":
      return `Done: you've switched to ${offer.toTitle}.`;
    case "discount":
      return `Done: ${offer.percent}% off your next ${plural(offer.orders, "order")} has been added.`;
    case "bonus_points":
      return `Done: ${offer.points.toLocaleString("en-US")} bonus points have been added to your account.`;
  }
}

const STATUS = { ACTIVE: "Active", PAUSED: "Paused", CANCELLED: "Cancelled", EXPIRED: "Ended", FAILED: "Payment failed" } as const;

// ---------------------------------------------------------------- page

interface Page {
  action: string;
  subscriptions: SubscriptionView[];
  flow: FlowView | null;
  error: string | null;
  notice: string | null;
  tokenFor: (contractId: string) => string;
}

function subscriptionSummary(s: SubscriptionView): string {
  const next = s.status === "ACTIVE" && s.nextBillingDate ? ` · next order ${date(s.nextBillingDate)}` : "";
  const paused = s.pause ? ` · paused until ${date(s.pause.resumeOn)}` : "";
  return `<p class="summary"><strong>${esc(s.title)}</strong><br>${money(s.pricePerCycle)} ${every(s.billing)} · ${STATUS[s.status]}${next}${paused}</p>`;
}

function subscriptionCard(page: Page, s: SubscriptionView): string {
  const token = esc(page.tokenFor(s.id));
  const pause = s.pause
    ? `<form method="post" action="${page.action}" class="row">
         <input type="hidden" name="contractId" value="${s.id}"><input type="hidden" name="token" value="${token}">
         <button name="intent" value="resume">Resume now</button>
         ${
           s.pause.extendableByMonths.length > 0
             ? `<label>Extend by <select name="months">${s.pause.extendableByMonths.map((m) => `<option value="${m}">${plural(m, "month")}</option>`).join("")}</select></label>
                <button name="intent" value="extend">Extend pause</button>`
             : ""
         }
       </form>`
    : "";
  const cancel = s.canCancel
    ? `<form method="post" action="${page.action}"><input type="hidden" name="contractId" value="${s.id}"><button name="intent" value="press_cancel" class="secondary">Cancel subscription</button></form>`
    : "";
  return `<section class="card" data-contract="${s.id}">${subscriptionSummary(s)}${pause}${cancel}</section>`;
}

function flowScreen(page: Page, flow: FlowView): string {
  const hidden = `<input type="hidden" name="attemptId" value="${flow.attemptId}">`;
  const summary = subscriptionSummary(flow.subscription);
  switch (flow.step) {
    case "survey":
      return `<section class="card flow" data-step="survey">${summary}
        <form method="post" action="${page.action}">${hidden}
          <fieldset><legend>Before you go: why are you cancelling?</legend>
            ${flow.reasons
              .map(
                (r) => `<div class="reason"><label><input type="radio" name="reason" value="${esc(r.code)}" required> ${esc(r.label)}</label>${
                  r.asksFreeText ? `<label class="free-text">Tell us more (optional)<textarea name="freeText" rows="3" maxlength="500"></textarea></label>` : ""
                }</div>`,
              )
              .join("")}
          </fieldset>
          <div class="row"><button name="intent" value="give_reason">Continue</button>
          <button name="intent" value="cancel_now" formnovalidate class="secondary">Cancel subscription now</button></div>
        </form></section>`;
    case "offer":
      return `<section class="card flow" data-step="offer">${summary}
        <h2>Before you cancel, how about this?</h2><p class="offer">${esc(offerText(flow.offer!))}</p>
        <form method="post" action="${page.action}" class="row">${hidden}
          <button name="intent" value="accept_offer">Accept offer</button>
          <button name="intent" value="decline_offer" class="secondary">No thanks, cancel my subscription</button>
        </form></section>`;
    case "accepted":
      return `<section class="flow" data-step="accepted" role="status"><h2>Thanks for staying!</h2><p>${esc(acceptedText(flow.offer!, flow.subscription))}</p></section>`;
    case "cancelled":
      return `<section class="flow" data-step="cancelled" role="status"><h2>Your subscription is cancelled</h2><p>You won't be charged for it again.</p></section>`;
  }
}

function render(page: Page): string {
  // While the flow is under way only its screen shows; once it has ended, every subscription (with its pause's
  // Resume and Extend) shows below the confirmation.
  const flowUnderWay = page.flow?.step === "survey" || page.flow?.step === "offer";
  const body = [
    page.error ? `<div role="alert" class="error">${esc(page.error)}</div>` : "",
    page.notice ? `<div role="status" class="notice">${esc(page.notice)}</div>` : "",
    page.flow ? flowScreen(page, page.flow) : "",
    flowUnderWay ? "" : page.subscriptions.length > 0 ? page.subscriptions.map((s) => subscriptionCard(page, s)).join("") : `<p>You have no subscriptions.</p>`,
  ].join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your subscriptions</title><style>
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.card{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1a1a1a;background:#1a1a1a;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a1a1a}fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.5rem}
.reason{margin:.25rem 0}.free-text{display:none;margin:.25rem 0 0 1.5rem}.free-text textarea{display:block;width:100%}
.reason:has(input:checked) .free-text{display:block}.error{background:#fde8e8;border:1px solid #e0b4b4;padding:.75rem;border-radius:6px}
.notice{background:#e8f5e9;border:1px solid #b4dab7;padding:.75rem;border-radius:6px}</style></head>
<body><h1>Your subscriptions</h1>
${body}
</body></html>`;
}

// ---------------------------------------------------------------- requests

function formToken(shop: string, customerId: string, contractId: string): string {
  return createHmac("sha256", env().SHOPIFY_API_SECRET).update(`subscription-form:${shop}:${customerId}:${contractId}`).digest("hex").slice(0, 32);
}

function tokenValid(expected: string, given: string): boolean {
  return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

function html(markup: string, status = 200): Response {
  return new Response(markup, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
  });
}

/** Where the page lives on the storefront, from the signed `path_prefix` (e.g. /apps/rewards). */
function pageAction(request: Request): string {
  const prefix = new URL(request.url).searchParams.get("path_prefix") ?? "";
  return `${/^(\/[\w-]+)+$/.test(prefix) ? prefix : ""}/subscriptions`;
}

const NOTICES = { resumed: "Your subscription is active again.", extended: "Your pause has been extended." } as const;

async function showPage(s: SubscriberRequest, request: Request, extra: { flow?: FlowView | null; error?: string | null; status?: number } = {}): Promise<Response> {
  const url = new URL(request.url);
  let flow = extra.flow ?? null;
  let error = extra.error ?? null;
  const attempt = url.searchParams.get("attempt");
  if (!flow && attempt && attemptId.safeParse(attempt).success) {
    const viewed = await viewAttempt(s, { customerId: s.customerId, attemptId: attempt, language: s.language });
    if (viewed.ok) flow = viewed.body;
    else error ??= viewed.message;
  }
  const notice = NOTICES[url.searchParams.get("notice") as keyof typeof NOTICES] ?? null;
  const page: Page = {
    action: pageAction(request),
    subscriptions: await listSubscriptions(s, s.customerId),
    flow,
    error,
    notice,
    tokenFor: (id) => formToken(s.shop, s.customerId, id),
  };
  return html(render(page), extra.status);
}

function redirectTo(request: Request, query: Record<string, string>): Response {
  return new Response(null, { status: 303, headers: { location: `${pageAction(request)}?${new URLSearchParams(query)}`, "cache-control": "no-store" } });
}

async function handlePost(s: SubscriberRequest, request: Request): Promise<Response> {
  const body = await readBodyWithLimit(request, BODY_LIMIT_BYTES);
  if (!body.ok) return showPage(s, request, { error: "That was too much text. Please shorten it and try again.", status: body.status });
  const form = formSchema.safeParse(Object.fromEntries(new URLSearchParams(body.bytes.toString("utf8"))));
  if (!form.success) return showPage(s, request, { error: "Something was missing from the form. Please try again.", status: 400 });
  const input = form.data;
  const flowStep = (outcome: Outcome<FlowView>) =>
    outcome.ok ? redirectTo(request, { attempt: outcome.body.attemptId }) : showPage(s, request, { flow: outcome.body ?? null, error: outcome.message, status: outcome.status });
  switch (input.intent) {
    case "press_cancel":
      return flowStep(await pressCancel({ ...s, admin: await s.admin() }, { customerId: s.customerId, contractId: input.contractId, channel: "app_proxy", language: s.language }));
    case "give_reason":
    case "cancel_now":
    case "accept_offer":
    case "decline_offer": {
      const event = input.intent === "give_reason" ? { type: input.intent, reason: input.reason, freeText: input.freeText ?? null } : { type: input.intent };
      return flowStep(await answerCancelFlow({ ...s, admin: await s.admin() }, { customerId: s.customerId, attemptId: input.attemptId, event, language: s.language }));
    }
    case "resume":
    case "extend": {
      if (!tokenValid(formToken(s.shop, s.customerId, input.contractId), input.token)) return showPage(s, request, { error: "This form has expired. Please try again.", status: 403 });
      const outcome =
        input.intent === "resume"
          ? await resumeSubscription({ ...s, admin: await s.admin() }, { customerId: s.customerId, contractId: input.contractId })
          : await extendSubscriptionPause(s, { customerId: s.customerId, contractId: input.contractId, months: input.months });
      return outcome.ok ? redirectTo(request, { notice: input.intent === "resume" ? "resumed" : "extended" }) : showPage(s, request, { error: outcome.message, status: outcome.status });
    }
  }
}

/** GET shows the page (with `?attempt=` the flow in progress); POST takes one form's action. */
export async function subscriptionsProxyPage(request: Request): Promise<Response> {
  try {
    if (request.method !== "GET" && request.method !== "POST") return html("Method not allowed", 405);
    const identified = await identifySubscriber(request, "app_proxy", new Date());
    if (!identified.ok) {
      const status = identified.response.status;
      const message = status === 401 ? "Please log in to your account to manage your subscriptions." : status === 429 ? "Too many requests. Please wait a moment." : "This page is not available.";
      return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your subscriptions</title></head><body><p role="alert">${message}</p></body></html>`, status);
    }
    return request.method === "POST" ? await handlePost(identified.subscriber, request) : await showPage(identified.subscriber, request);
  } catch (error) {
    logger.error({ err: error, path: new URL(request.url).pathname }, "subscriptions page failed");
    return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your subscriptions</title></head><body><p role="alert">Something went wrong on our side. Please try again.</p></body></html>`, 500);
  }
}
