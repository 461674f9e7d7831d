/**
 * The NPS/CSAT survey page through Shopify's App Proxy (`https://{shop}/apps/rewards/feedback?kind=nps&order=123`
 * → `/proxy/feedback`), linked from the merchant's post-purchase emails or Flow. Server-rendered HTML with a plain
 * form, so it works in any theme and without JavaScript. The shop and the customer come only from Shopify's
 * signature (`logged_in_customer_id`); an unsigned or tampered request gets 401 and no page.
 *
 * Forged posts from other sites: the form carries a token only the app can compute for this customer and survey.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import type { FeedbackKind } from "~/data/churn/feedback.server";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { checkRateLimits } from "~/services/storefront/rate-limits.server";
import { shopperFromAppProxy } from "~/services/storefront/shopper.server";
import { readBodyWithLimit } from "~/shopify/http.server";
import { SCORE_RANGE, submitFeedback } from "./feedback.server";

const BODY_LIMIT_BYTES = 16 * 1024;
const COMMENT_MAX = 2_000;

const surveySchema = z.object({
  kind: z.enum(["nps", "csat"]).default("nps"),
  order: z.union([z.literal(""), z.string().regex(/^\d{1,20}$/)]).default(""),
});

const answerSchema = (kind: FeedbackKind) =>
  z.object({
    score: z.coerce
      .number({ error: "Choose a score." })
      .int("Choose a score.")
      .min(SCORE_RANGE[kind].min, "Choose a score.")
      .max(SCORE_RANGE[kind].max, "Choose a score."),
    comment: z.string().trim().max(COMMENT_MAX, `Keep the comment under ${COMMENT_MAX.toLocaleString("en-US")} characters.`).default(""),
    token: z.string(),
  });

const QUESTIONS: Record<FeedbackKind, (shopName: string) => string> = {
  nps: (shopName) => `How likely are you to recommend ${shopName} to a friend?`,
  csat: () => "How satisfied were you with your order?",
};
const SCALE_ENDS: Record<FeedbackKind, [string, string]> = { nps: ["Not at all likely", "Extremely likely"], csat: ["Very unsatisfied", "Very satisfied"] };

function surveyToken(secret: string, survey: { shop: string; customerId: string; kind: FeedbackKind; order: string }): string {
  return createHmac("sha256", secret).update(`feedback|${survey.shop}|${survey.customerId}|${survey.kind}|${survey.order}`).digest("base64url");
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#202223}
fieldset{border:0;padding:0;margin:1rem 0}.scale{display:flex;flex-wrap:wrap;gap:.25rem}
.scale label{display:flex;flex-direction:column;align-items:center;min-width:2.5rem;padding:.4rem;border:1px solid #c9cccf;border-radius:.5rem;cursor:pointer}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#6d7175}textarea{width:100%;min-height:6rem}
.error{color:#d72c0d}button{margin-top:1rem;padding:.6rem 1.2rem;border-radius:.5rem;border:0;background:#202223;color:#fff;font-size:1rem}
</style></head><body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store" } });
}

function surveyForm(shopName: string, kind: FeedbackKind, token: string, error: string | null, previous: { score?: number; comment?: string } = {}): string {
  const { min, max } = SCORE_RANGE[kind];
  const options = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map((score) => `<label><input type="radio" name="score" value="${score}"${previous.score === score ? " checked" : ""} required>${score}</label>`)
    .join("");
  return `<h1>${esc(QUESTIONS[kind](shopName))}</h1>
<form method="post">
<fieldset><legend>Your score</legend><div class="scale">${options}</div>
<div class="ends"><span>${SCALE_ENDS[kind][0]}</span><span>${SCALE_ENDS[kind][1]}</span></div></fieldset>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<label for="comment">Anything you would like to tell us? (optional)</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}">${esc(previous.comment ?? "")}</textarea>
<input type="hidden" name="token" value="${token}">
<button type="submit">Send</button>
</form>`;
}

export async function feedbackProxyPage(request: Request): Promise<Response> {
  try {
    if (request.method !== "GET" && request.method !== "POST") return new Response("Use GET or POST.", { status: 405, headers: { allow: "GET, POST" } });
    const now = new Date();
    const { SHOPIFY_API_SECRET: secret } = env();
    const identified = shopperFromAppProxy(request, { secret, now });
    if (!identified.ok) return identified.response;
    const shopper = identified.shopper;
    const url = new URL(request.url);
    const survey = surveySchema.safeParse({ kind: url.searchParams.get("kind") ?? undefined, order: url.searchParams.get("order") ?? undefined });
    if (!survey.success) return page(400, "Survey", "<h1>This survey link is not valid.</h1>");
    const { kind, order } = survey.data;
    const database = getDatabase();
    const shop = await findShop(database, shopper.shop);
    if (!shop || shop.uninstalledAt) return page(404, "Survey", "<h1>This survey is not available.</h1>");
    const shopName = shop.domain.replace(/\.myshopify\.com$/, "");
    if (shopper.customerId === null) {
      return page(200, "Survey", `<h1>${esc(QUESTIONS[kind](shopName))}</h1><p>Please <a href="/account/login">log in to your account</a> to answer, so we know it is you.</p>`);
    }
    const limit = await checkRateLimits(database.pool, request.method === "POST" ? "redeem" : "read", shopper, now);
    if (!limit.allowed) return page(429, "Survey", "<h1>Too many requests.</h1><p>Please try again in a minute.</p>");
    const token = surveyToken(secret, { shop: shopper.shop, customerId: shopper.customerId, kind, order });
    if (request.method === "GET") return page(200, "Survey", surveyForm(shopName, kind, token, null));

    const body = await readBodyWithLimit(request, BODY_LIMIT_BYTES);
    if (!body.ok) return page(body.status, "Survey", `<h1>${esc(body.message)}</h1>`);
    const form = Object.fromEntries(new URLSearchParams(body.bytes.toString("utf8")));
    const answer = answerSchema(kind).safeParse(form);
    if (!answer.success) {
      const previousScore = Number(form.score);
      return page(400, "Survey", surveyForm(shopName, kind, token, answer.error.issues[0].message, { score: Number.isInteger(previousScore) ? previousScore : undefined, comment: form.comment }));
    }
    if (!sameToken(token, answer.data.token)) return page(403, "Survey", "<h1>This form has expired.</h1><p>Please open the survey link again.</p>");
    const { points } = await submitFeedback({
      database,
      shopId: shop.id,
      customerId: shopper.customerId,
      kind,
      orderId: order,
      score: answer.data.score,
      comment: answer.data.comment || null,
      now,
    });
    return page(200, "Thank you", `<h1>Thank you for your answer!</h1>${points ? `<p>You earned ${points.toLocaleString("en-US")} points.</p>` : ""}`);
  } catch (error) {
    logger.error({ err: error }, "feedback page failed");
    return page(500, "Survey", "<h1>Something went wrong on our side.</h1><p>Please try again.</p>");
  }
}
