/**
 * The NPS/CSAT survey page through the real route (/proxy/feedback) against a real PostgreSQL: only requests Shopify
 * signed are answered, the customer is `logged_in_customer_id` alone, answers earn the survey points once, and
 * detractors are flagged for a follow-up the merchant closes.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { csatSummary, followUpDetractor, feedbackOverview, npsSummary } from "~/services/churn/feedback.server";
import { updateProgramSettings } from "~/services/loyalty/program.server";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { TEST_SECRET, useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createShop } from "./support";

const SHOP = "feedback-shop.myshopify.com";
let db: TestDatabase;
let shopId: number;
let route: { loader: (args: { request: Request }) => Promise<Response>; action: (args: { request: Request }) => Promise<Response> };

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url);
  route = (await import("~/routes/proxy.feedback")) as never;
  shopId = await createShop(db.pool, SHOP);
  const enabled = await updateProgramSettings({
    db: db.pool,
    shopId,
    change: (current) => ({ ...current, enabled: true, actions: { ...current.actions, survey: { enabled: true, points: 50, capPerCustomer: null } } }),
    now: new Date(),
  });
  expect(enabled.ok).toBe(true);
});
afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db.drop();
});

function proxyUrl(query: Record<string, string>, options: { customer?: string | null; at?: Date } = {}): string {
  const signed = signAppProxyQuery(
    { shop: SHOP, logged_in_customer_id: options.customer === undefined ? "7001" : (options.customer ?? ""), path_prefix: "/apps/rewards", ...query },
    TEST_SECRET,
    options.at ?? new Date(),
  );
  return `http://localhost/proxy/feedback?${signed}`;
}

const get = (url: string) => route.loader({ request: new Request(url) });
const post = (url: string, form: Record<string, string>) =>
  route.action({ request: new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() }) });
const tokenIn = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1];
const answers = () => db.prisma.feedbackResponse.findMany({ where: { shopId }, orderBy: { id: "asc" } });
const surveyPoints = async () => (await db.pool.query(`select coalesce(sum(points), 0)::int as points from "LedgerEntry" where "shopId" = $1 and action = 'survey'`, [shopId])).rows[0].points;

describe("only Shopify-signed requests are answered", () => {
  test.each([
    ["unsigned", () => "http://localhost/proxy/feedback?shop=feedback-shop.myshopify.com&logged_in_customer_id=7001&kind=nps"],
    ["signed for another customer, then changed", () => proxyUrl({ kind: "nps" }).replace("logged_in_customer_id=7001", "logged_in_customer_id=7002")],
    ["with a second customer id appended", () => `${proxyUrl({ kind: "nps" })}&logged_in_customer_id=7002`],
    ["signed long ago", () => proxyUrl({ kind: "nps" }, { at: new Date(Date.now() - 10 * 60_000) })],
    ["signed with another secret", () => `http://localhost/proxy/feedback?${signAppProxyQuery({ shop: SHOP, logged_in_customer_id: "7001", kind: "nps" }, "not-the-secret", new Date())}`],
  ])("%s: 401, no survey and nothing stored", async (_, url) => {
    for (const response of [await get(url()), await post(url(), { score: "10", token: "x" })]) {
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("<form");
    }
    expect(await answers()).toEqual([]);
  });

  test("a guest is asked to log in and gets no form", async () => {
    const response = await get(proxyUrl({ kind: "nps" }, { customer: null }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("log in to your account");
    expect(html).not.toContain("<form");
  });
});

describe("answering", () => {
  test("an NPS detractor's answer is stored, flagged and earns the survey points once", async () => {
    const url = proxyUrl({ kind: "nps", order: "555" });
    const form = await get(url);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("How likely are you to recommend feedback-shop to a friend?");
    expect(html.match(/type="radio"/g)).toHaveLength(11);
    const first = await post(url, { score: "3", comment: "Late delivery <b>twice</b>", token: tokenIn(html) });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("You earned 50 points.");
    expect(await answers()).toMatchObject([{ customerId: "7001", kind: "nps", orderId: "555", score: 3, comment: "Late delivery <b>twice</b>", followUp: "open" }]);

    // Changing the answer replaces it, earns nothing more, and a promoter needs no follow-up.
    const second = await post(url, { score: "9", comment: "", token: tokenIn(html) });
    expect(await second.text()).not.toContain("You earned");
    expect(await answers()).toMatchObject([{ score: 9, comment: null, followUp: null }]);
    expect(await surveyPoints()).toBe(50);
  });

  test("a token issued to another customer or survey is refused; a score out of range is shown again with the reason", async () => {
    const mine = tokenIn(await (await get(proxyUrl({ kind: "csat" }))).text());
    expect((await post(proxyUrl({ kind: "csat" }, { customer: "7002" }), { score: "5", token: mine })).status).toBe(403);
    expect((await post(proxyUrl({ kind: "nps" }), { score: "5", token: mine })).status).toBe(403);
    const outOfRange = await post(proxyUrl({ kind: "csat" }), { score: "9", comment: "keep me", token: mine });
    expect(outOfRange.status).toBe(400);
    const html = await outOfRange.text();
    expect(html).toContain("Choose a score.");
    expect(html).toContain("keep me");
    expect((await answers()).filter((a) => a.kind === "csat")).toEqual([]);
    expect((await post(proxyUrl({ kind: "csat" }), { score: "1", token: mine })).status).toBe(200);
  });

  test("the merchant contacts and resolves a detractor; NPS and CSAT follow the standard formulas", async () => {
    const detractor = (await answers()).find((a) => a.kind === "csat")!;
    expect(detractor.followUp).toBe("open");
    const now = new Date();
    expect(await followUpDetractor({ database: db, shopId, responseId: detractor.id, status: "contacted", note: "Called, sending a replacement", staffUserId: "90000001", now })).toBe(true);
    expect(await followUpDetractor({ database: db, shopId: shopId + 1000, responseId: detractor.id, status: "resolved", note: null, staffUserId: "x", now })).toBe(false);
    const promoter = (await answers()).find((a) => a.kind === "nps")!;
    expect(await followUpDetractor({ database: db, shopId, responseId: promoter.id, status: "resolved", note: null, staffUserId: "x", now })).toBe(false);
    expect(await db.prisma.feedbackResponse.findUniqueOrThrow({ where: { id: detractor.id } })).toMatchObject({ followUp: "contacted", followUpNote: "Called, sending a replacement", followUpBy: "90000001" });
    const overview = await feedbackOverview(db, shopId, new Date(0));
    expect(overview).toMatchObject({ nps: { responses: 1, promoters: 1, score: 100 }, csat: { responses: 1, satisfied: 0, percent: 0 }, openFollowUps: 0 });
  });
});

test.each([
  // 10 answers: 5 promoters, 2 passives, 3 detractors → 50 % − 30 % = 20.
  [[{ score: 10, answers: 3 }, { score: 9, answers: 2 }, { score: 8, answers: 1 }, { score: 7, answers: 1 }, { score: 6, answers: 2 }, { score: 0, answers: 1 }], { responses: 10, promoters: 5, passives: 2, detractors: 3, score: 20 }],
  [[{ score: 3, answers: 4 }], { responses: 4, promoters: 0, passives: 0, detractors: 4, score: -100 }],
  [[], { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null }],
])("NPS of %j", (counts, expected) => {
  expect(npsSummary(counts)).toEqual(expected);
});

test.each([
  [[{ score: 5, answers: 2 }, { score: 4, answers: 1 }, { score: 3, answers: 1 }], { responses: 4, satisfied: 3, percent: 75, average: 4.25 }],
  [[], { responses: 0, satisfied: 0, percent: null, average: null }],
])("CSAT of %j", (counts, expected) => {
  expect(csatSummary(counts)).toEqual(expected);
});
