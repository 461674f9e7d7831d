/**
 * Tenant isolation through the real web process and worker: two shops with two customers each (each with a
 * subscription). Every admin page, every record opened or changed by id (customers, rewards, win-back campaigns,
 * imports, survey answers, plan charges), every App Proxy endpoint (/proxy/program, redeem, referral, feedback,
 * subscriptions), the extensions' endpoints (/api/extension/*, /api/subscriptions/* with session tokens) and
 * webhooks are tried by one shop (or customer) with the other's identifiers: the answer is a refusal or the
 * asker's own data, nothing of the other leaks, and nothing of it changes.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APP_SCOPES } from "~/config/env.server";
import { markShopInstalled } from "~/data/shops.server";
import { createReward } from "~/services/loyalty/rewards.server";
import { updateProgramSettings } from "~/services/loyalty/program.server";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { mintSessionToken } from "~/shopify/session-token.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../scripts/fake-shopify/resolvers";
import { seedSubscriptionContract, subscriptionContracts } from "../../scripts/fake-shopify/subscription-resolvers";
import { orderPayload, samplePayload, signedDelivery } from "../../scripts/fake-shopify/webhook-samples";
import { postDelivery } from "../../scripts/lib/replay";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { AppCluster, FAULT_SECRET, until } from "../faults/support/cluster";

const API_KEY = "isolation-api-key";
const NOW = new Date();
const tag = randomBytes(3).toString("hex");
const CHROME = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36" };

interface Member {
  shopifyId: string;
  email: string;
  firstName: string;
  lastName: string;
  spendMinor: number;
  /** The loyalty Customer row's id, known once the webhooks are processed. */
  id: string;
  /** The member's subscription contract (numeric Shopify id), mirrored from a subscription_contracts/create webhook. */
  contractId: string;
}
interface Tenant {
  domain: string;
  shopId: number;
  rewardId: string;
  /** A win-back campaign, an import job and a detractor's survey answer of the shop's own. */
  campaignId: number;
  importJobId: string;
  feedbackId: number;
  members: [Member, Member];
}

function tenant(letter: "a" | "b", base: number): Tenant {
  const member = (n: number): Member => ({
    shopifyId: String(base + n),
    email: `iso-${letter}${n}-${tag}@example.com`,
    firstName: `Isofirst${letter}${n}${tag}`,
    lastName: `Isolast${letter}${n}${tag}`,
    spendMinor: 100_00 * (n + (letter === "a" ? 1 : 3)),
    id: "",
    contractId: `${base + n}7`,
  });
  return { domain: `iso-${letter}-${tag}.myshopify.com`, shopId: 0, rewardId: "", campaignId: 0, importJobId: "", feedbackId: 0, members: [member(1), member(2)] };
}

const A = tenant("a", 61_000);
const B = tenant("b", 62_000);

let db: TestDatabase;
let fake: FakeAdminApi;
let cluster: AppCluster;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAdminApi(fakeAdminResolvers);
  cluster = new AppCluster({
    DATABASE_URL: db.url,
    DEMO_MODE: "1",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: FAULT_SECRET,
    SHOPIFY_ADMIN_API_ORIGIN: fake.origin,
    JOB_EXPIRE_SECONDS: "3",
    JOB_MAINTENANCE_SECONDS: "1",
    LOG_LEVEL: "error",
  });
  const web = await cluster.startWeb();
  cluster.startWorker();
  base = web.base.replace("127.0.0.1", "localhost");

  for (const shop of [A, B]) {
    // Installed: the offline session (exactly the app's scopes) and the program switched on a year ago.
    await db.pool.query(`insert into "Session" (id, shop, state, "isOnline", scope, "accessToken") values ($1, $2, 'installed', false, $3, $4)`, [`offline_${shop.domain}`, shop.domain, APP_SCOPES, `shpat_${shop.domain}`]);
    shop.shopId = (await markShopInstalled(db, shop.domain, "USD")).id;
    const program = await updateProgramSettings({ db: db.pool, shopId: shop.shopId, change: (s) => ({ ...s, enabled: true, startedAt: new Date(NOW.getTime() - 365 * 86_400_000) }), now: NOW });
    if (!program.ok) throw new Error(JSON.stringify(program.issues));
    const reward = await createReward({ db: db.pool, shopId: shop.shopId, reward: { type: "fixed_amount", name: `Ten off ${shop.domain}`, amountMinor: 10_00, pointsCost: 10 } });
    if (!reward.ok) throw new Error(JSON.stringify(reward.issues));
    shop.rewardId = reward.reward.id;
    for (const member of shop.members) {
      const customer = { ...samplePayload("customers/create"), id: Number(member.shopifyId), email: member.email, first_name: member.firstName, last_name: member.lastName };
      const order = orderPayload({ orderId: Number(member.shopifyId) * 10, customerId: Number(member.shopifyId), email: member.email, firstName: member.firstName, lastName: member.lastName, createdAt: NOW, subtotalMinor: member.spendMinor });
      seedSubscriptionContract(fake.state, {
        id: member.contractId,
        customerId: member.shopifyId,
        createdAt: new Date(NOW.getTime() - 200 * 86_400_000),
        nextBillingDate: new Date(NOW.getTime() + 10 * 86_400_000),
        lines: [{ id: `${member.contractId}1`, variantId: "4001", title: `Coffee for ${member.firstName}`, quantity: 1, unitPriceMinor: 12_50 }],
      });
      const contract = {
        ...samplePayload("subscription_contracts/create"),
        id: Number(member.contractId),
        admin_graphql_api_id: `gid://shopify/SubscriptionContract/${member.contractId}`,
        customer_id: Number(member.shopifyId),
        admin_graphql_api_customer_id: `gid://shopify/Customer/${member.shopifyId}`,
        billing_policy: { interval: "month", interval_count: 1, min_cycles: null, max_cycles: null },
        delivery_policy: { interval: "month", interval_count: 1 },
        currency_code: "USD",
        status: "active",
        revision_id: "1",
      };
      for (const [topic, payload] of [["customers/create", customer], ["orders/paid", order], ["subscription_contracts/create", contract]] as const) {
        const answer = await postDelivery(base, signedDelivery({ topic, shop: shop.domain, payload, secret: FAULT_SECRET }));
        if (answer.status !== 200) throw new Error(`${topic}: ${answer.status} ${answer.text}`);
      }
    }
  }
  await untilProcessed();
  for (const shop of [A, B]) {
    for (const member of shop.members) {
      const { rows } = await db.pool.query<{ id: string }>(`select id::text from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`, [shop.shopId, member.shopifyId]);
      member.id = rows[0].id;
    }
    // Records the admin opens by id, written straight to the database: what they are made of does not matter here.
    const campaign = await db.pool.query<{ id: number }>(
      `insert into "WinBackCampaign" ("shopId", name, incentive, "incentiveValue", status, "launchedAt") values ($1, $2, 'bonus_points', 100, 'active', now()) returning id`,
      [shop.shopId, `Win back ${shop.domain}`],
    );
    shop.campaignId = campaign.rows[0].id;
    const job = await db.pool.query<{ id: string }>(
      `insert into "ImportJob" (id, "shopId", "fileName", format, csv, "totalRows", "validRows", "errorRows") values ($4, $1, $2, 'smile', $3, 1, 1, 0) returning id`,
      [shop.shopId, `${shop.domain}-balances.csv`, `email,points_balance\n${shop.members[0].email},100\n`, randomUUID()],
    );
    shop.importJobId = job.rows[0].id;
    const feedback = await db.pool.query<{ id: number }>(
      `insert into "FeedbackResponse" ("shopId", "customerId", kind, score, comment, "answeredAt", "followUp") values ($1, $2, 'nps', 2, $3, now(), 'open') returning id`,
      [shop.shopId, shop.members[0].shopifyId, `Unhappy, write to ${shop.members[0].email}`],
    );
    shop.feedbackId = feedback.rows[0].id;
  }
  // The worker reads each created contract back from the (fake) Admin API into the shop's mirror.
  await until(
    async () => (await db.pool.query(`select 1 from "SubscriptionContract" where "detailsSynced"`)).rowCount === 4,
    async () => JSON.stringify((await db.pool.query(`select "shopId", "contractId", "detailsSynced" from "SubscriptionContract"`)).rows),
    60_000,
  );
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await fake?.close();
  await db?.drop();
});

async function untilProcessed(): Promise<void> {
  await until(
    async () => (await db.pool.query(`select 1 from "WebhookInbox" where status <> 'processed' limit 1`)).rowCount === 0,
    async () => JSON.stringify((await db.pool.query(`select topic, status, "lastError" from "WebhookInbox" where status <> 'processed'`)).rows),
    120_000,
  );
}

/** Everything that identifies shop B or its customers. */
function markersOf(shop: Tenant): string[] {
  return [shop.domain, ...shop.members.flatMap((m) => [m.email, m.firstName, m.lastName])];
}

function expectNothingOf(shop: Tenant, body: string): void {
  expect(markersOf(shop).filter((marker) => body.includes(marker))).toEqual([]);
}

const staffToken = (shop: Tenant) => mintSessionToken({ shop: shop.domain, apiKey: API_KEY, secret: FAULT_SECRET, sub: "70001" });

/** An embedded admin document request, as Shopify's admin opens it (session token in `id_token`). */
async function adminGet(shop: Tenant, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, base);
  const host = Buffer.from(`admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}`).toString("base64url");
  for (const [key, value] of Object.entries({ embedded: "1", shop: shop.domain, host, id_token: await staffToken(shop) })) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: CHROME, redirect: "manual" });
  return { status: response.status, body: await response.text() };
}

/** A form posted from the embedded admin (session token as a bearer token, as App Bridge's fetch sends it). */
async function adminPost(shop: Tenant, path: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(path, base), {
    method: "POST",
    headers: { ...CHROME, authorization: `Bearer ${await staffToken(shop)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
  return { status: response.status, body: await response.text() };
}

async function snapshot(shop: Tenant) {
  const { rows: customers } = await db.pool.query(`select id::text, email, "firstName", "lastName", "pointsBalance" from "Customer" where "shopId" = $1 order by id`, [shop.shopId]);
  const { rows: ledger } = await db.pool.query(`select id::text, points from "LedgerEntry" where "shopId" = $1 order by id`, [shop.shopId]);
  const { rows: rewards } = await db.pool.query(`select * from "Reward" where "shopId" = $1 order by id`, [shop.shopId]);
  const { rows: redemptions } = await db.pool.query(`select id::text from "Redemption" where "shopId" = $1`, [shop.shopId]);
  return { customers, ledger, rewards, redemptions };
}

describe("the admin, signed in to shop A", () => {
  test("the test is meaningful: each shop's pages show its own customers", async () => {
    for (const shop of [A, B]) {
      const page = await adminGet(shop, "/app/customers");
      expect(page.status).toBe(200);
      for (const member of shop.members) expect(page.body).toContain(member.email);
    }
  });

  test.each([
    "/app",
    "/app/customers",
    "/app/analytics",
    "/app/program",
    "/app/rewards/new",
    "/app/churn",
    "/app/churn/campaigns",
    "/app/churn/feedback",
    "/app/churn/settings",
    "/app/cancel-save",
    "/app/cancel-save/settings",
    "/app/cancel-save/subscribers",
    "/app/billing",
    "/app/import",
    "/app/export/customers",
    "/app/export/ledger",
  ])(
    "%s shows nothing of shop B",
    async (path) => {
      const page = await adminGet(A, path);
      expect(page.status, page.body.slice(0, 500)).toBe(200);
      expectNothingOf(B, page.body);
    },
  );

  test("searching A's customers for B's customers finds nothing", async () => {
    for (const query of [B.members[0].email, B.members[0].lastName, B.members[0].shopifyId, B.domain]) {
      const page = await adminGet(A, `/app/customers?q=${encodeURIComponent(query)}`);
      expect(page.status).toBe(200);
      expect(page.body, query).toContain("No customers match this search");
      // The search box shows back what was typed; anything else of B's would be a leak.
      expectNothingOf(B, page.body.split(query).join(""));
    }
    // The test is meaningful: the same search finds A's own customer.
    expect((await adminGet(A, `/app/customers?q=${encodeURIComponent(A.members[0].lastName)}`)).body).toContain(A.members[0].email);
  });

  const byIdPaths = (shop: Tenant) => [`/app/customers/${shop.members[0].id}`, `/app/rewards/${shop.rewardId}`, `/app/churn/campaigns/${shop.campaignId}`, `/app/import/${shop.importJobId}`];

  test("B's customer, reward, campaign and import opened by id: 404, nothing of B in the answer", async () => {
    // The customer page takes the app's id; Shopify's customer id is tried too, in case it were ever accepted.
    for (const path of [...byIdPaths(B), `/app/customers/${B.members[0].shopifyId}`]) {
      const page = await adminGet(A, path);
      expect(page.status, path).toBe(404);
      expectNothingOf(B, page.body);
    }
    // The test is meaningful: B opens each of them.
    for (const path of byIdPaths(B)) expect((await adminGet(B, path)).status, path).toBe(200);
  });

  test("A cannot start B's import, archive B's reward, follow up B's survey answer or give B's reward in a campaign; B is unchanged", async () => {
    const records = async () => ({
      job: (await db.pool.query(`select status, "processedRows" from "ImportJob" where id = $1`, [B.importJobId])).rows,
      feedback: (await db.pool.query(`select "followUp", "followUpNote", "followUpBy" from "FeedbackResponse" where id = $1`, [B.feedbackId])).rows,
      campaigns: (await db.pool.query(`select id, "shopId", "rewardId" from "WinBackCampaign" order by id`)).rows,
    });
    const before = { b: await snapshot(B), records: await records() };
    const start = await adminPost(A, `/app/import/${B.importJobId}`, {});
    expect(start.status).toBe(404);
    const archive = await adminPost(A, "/app/program", { intent: "archive-reward", rewardId: B.rewardId });
    expect(archive.status).toBe(400);
    const followUp = await adminPost(A, "/app/churn/feedback", { responseId: String(B.feedbackId), status: "resolved", note: "closed by A" });
    expect(followUp.status).toBe(400);
    const campaign = { name: "Isolation", incentive: "reward", rewardId: B.rewardId, holdoutPercent: "10", measureDays: "30" };
    const launch = await adminPost(A, "/app/churn/campaigns?index", campaign);
    expect(launch.status).toBe(400);
    expect(launch.body).toContain("Choose a reward from the catalogue");
    // The test is meaningful: with A's own reward the same form gets past the reward (and stops at A's audience, none scored).
    const own = await adminPost(A, "/app/churn/campaigns?index", { ...campaign, rewardId: A.rewardId });
    expect(own.body).not.toContain("Choose a reward from the catalogue");
    for (const answer of [start, archive, followUp, launch]) expectNothingOf(B, answer.body);
    expect({ b: await snapshot(B), records: await records() }).toEqual(before);
  });

  test("A's session with B's shop named in the URL: still shop A's admin, nothing of B", async () => {
    const url = new URL("/app/customers", base);
    const host = Buffer.from(`admin.shopify.com/store/${B.domain.replace(".myshopify.com", "")}`).toString("base64url");
    for (const [key, value] of Object.entries({ embedded: "1", shop: B.domain, host, id_token: await staffToken(A) })) url.searchParams.set(key, value);
    const page = await answerOf(await fetch(url, { headers: CHROME, redirect: "manual" }));
    expect(page.status).toBeLessThan(500);
    expectNothingOf(B, page.body.split(B.domain).join("").split(host).join(""));
    for (const member of B.members) expect(page.body).not.toContain(member.email);
  });

  test("B's plan charge confirmed in A's admin activates nothing, for either shop", async () => {
    const plans = async () => (await db.pool.query(`select "shopId", plan, "subscriptionId", "pendingPlan", "pendingSubscriptionId" from "ShopPlan" order by "shopId"`)).rows;
    const chose = await adminPost(B, "/app/billing", { plan: "growth" });
    expect(chose.status).toBe(200);
    const { rows } = await db.pool.query<{ pending: string }>(`select "pendingSubscriptionId" as pending from "ShopPlan" where "shopId" = $1`, [B.shopId]);
    const chargeId = rows[0].pending.split("/").pop()!;
    const before = await plans();
    const page = await adminGet(A, `/app/billing?charge_id=${chargeId}`);
    expect(page.status).toBe(200);
    expectNothingOf(B, page.body);
    expect(await plans()).toEqual(before);
    // The test is meaningful: in B's own admin the same charge activates B's plan.
    expect((await adminGet(B, `/app/billing?charge_id=${chargeId}`)).status).toBe(200);
    expect((await db.pool.query(`select plan from "ShopPlan" where "shopId" = $1`, [B.shopId])).rows).toEqual([{ plan: "growth" }]);
  });

  test("A cannot adjust B's customer's points or edit B's reward; B is unchanged", async () => {
    const before = await snapshot(B);
    const adjust = await adminPost(A, `/app/customers/${B.members[0].id}`, { points: "1000", reason: "isolation check", token: randomUUID() });
    expect(adjust.status).toBeGreaterThanOrEqual(400);
    const edit = await adminPost(A, `/app/rewards/${B.rewardId}`, { token: randomUUID(), type: "fixed_amount", name: "Hijacked", amountMinor: "99900", pointsCost: "1" });
    expect(edit.status).toBeGreaterThanOrEqual(400);
    expect(await snapshot(B)).toEqual(before);
  });
});

/** A storefront request through Shopify's App Proxy, signed for `shop` with `customer` logged in ("" for a guest). */
const proxy = (shop: Tenant, customer: string, path: string, extra: Record<string, string> = {}) =>
  `${base}/proxy/${path}?${signAppProxyQuery({ ...extra, shop: shop.domain, logged_in_customer_id: customer, path_prefix: "/apps/rewards" }, FAULT_SECRET, new Date())}`;
const answerOf = async (response: Response) => ({ status: response.status, body: await response.text() });
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: "manual" }).then(answerOf);
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), redirect: "manual" }).then(answerOf);
const postForm = (url: string, form: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form), redirect: "manual" }).then(answerOf);
/** The customer-account and checkout extensions' session token for a logged-in customer. */
const customerToken = async (shop: Tenant, member: Member) =>
  ({ authorization: `Bearer ${await mintSessionToken({ shop: shop.domain, apiKey: API_KEY, secret: FAULT_SECRET, sub: `gid://shopify/Customer/${member.shopifyId}` })}` });

/** What identifies one customer (their contract's line is titled with their first name). */
function expectNothingOfMember(member: Member, body: string): void {
  expect([member.email, member.firstName, member.lastName].filter((marker) => body.includes(marker))).toEqual([]);
}

describe("a shopper of shop A", () => {
  test("the program (App Proxy, extensions) shows the asker's own summary and nothing of another customer or shop", async () => {
    const viaProxy = await get(proxy(A, A.members[0].shopifyId, "program"));
    const viaExtension = await get(`${base}/api/extension/program`, await customerToken(A, A.members[0]));
    for (const answer of [viaProxy, viaExtension]) {
      expect(answer.status, answer.body).toBe(200);
      expect(JSON.parse(answer.body).customer.firstName).toBe(A.members[0].firstName);
      expectNothingOfMember(A.members[1], answer.body);
      expectNothingOf(B, answer.body);
    }
    // B's customer's id signed for shop A (or put in a session token for A) is at most a stranger there: nothing of B.
    for (const answer of [await get(proxy(A, B.members[0].shopifyId, "program")), await get(`${base}/api/extension/program`, await customerToken(A, B.members[0]))]) {
      expect(answer.status).toBeLessThan(500);
      expectNothingOf(B, answer.body);
    }
  });

  test("a referral code of B's customer is unknown in shop A; nothing is recorded", async () => {
    const codeOf = async (shop: Tenant, member: Member) => new URL(JSON.parse((await get(proxy(shop, member.shopifyId, "program"))).body).customer.referralUrl).searchParams.get("ref")!;
    const [bCode, aCode] = [await codeOf(B, B.members[0]), await codeOf(A, A.members[1])];
    const referrals = async () => (await db.pool.query(`select * from "Referral" order by id`)).rows;
    const before = { a: await snapshot(A), b: await snapshot(B), referrals: await referrals() };
    const answer = await post(proxy(A, A.members[0].shopifyId, "referral"), { code: bCode });
    expect(answer.status, answer.body).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe("unknown_code");
    expectNothingOf(B, answer.body);
    // The test is meaningful: A's own customer's code is found (and refused only because A1 has ordered before).
    const own = await post(proxy(A, A.members[0].shopifyId, "referral"), { code: aCode });
    expect(JSON.parse(own.body).error.code).toBe("already_customer");
    expect({ a: await snapshot(A), b: await snapshot(B), referrals: await referrals() }).toEqual(before);
  });

  test("a survey about B's customer's order is answered in shop A only; B's answers are untouched", async () => {
    const bFeedback = async () => (await db.pool.query(`select * from "FeedbackResponse" where "shopId" = $1 order by id`, [B.shopId])).rows;
    const before = await bFeedback();
    const url = proxy(A, A.members[0].shopifyId, "feedback", { kind: "nps", order: `${Number(B.members[0].shopifyId) * 10}` });
    const page = await get(url);
    expect(page.status).toBe(200);
    expectNothingOf(B, page.body);
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1];
    expect(token).toBeDefined();
    const sent = await postForm(url, { score: "9", comment: "fine", token: token! });
    expect(sent.status, sent.body).toBeLessThan(400);
    expectNothingOf(B, sent.body);
    const { rows } = await db.pool.query(`select "shopId", "customerId", score from "FeedbackResponse" where "orderId" = $1`, [`${Number(B.members[0].shopifyId) * 10}`]);
    expect(rows).toEqual([{ shopId: A.shopId, customerId: A.members[0].shopifyId, score: 9 }]);
    expect(await bFeedback()).toEqual(before);
  });

  test("redeeming shop B's reward (through the App Proxy or an extension): refused, no points move anywhere", async () => {
    const before = [await snapshot(A), await snapshot(B)];
    const viaProxy = await post(proxy(A, A.members[0].shopifyId, "redeem"), { rewardId: B.rewardId });
    expect(viaProxy.status).toBeGreaterThanOrEqual(400);
    expect(viaProxy.status).toBeLessThan(500);
    expectNothingOf(B, viaProxy.body);
    const token = await mintSessionToken({ shop: A.domain, apiKey: API_KEY, secret: FAULT_SECRET, sub: `gid://shopify/Customer/${A.members[0].shopifyId}` });
    const viaExtension = await post(`${base}/api/extension/redeem`, { rewardId: B.rewardId }, { authorization: `Bearer ${token}` });
    // Refused because B's reward does not exist in shop A (not for want of points, say).
    for (const answer of [viaProxy, viaExtension]) {
      expect(answer.status, answer.body).toBe(404);
      expect(JSON.parse(answer.body).error.code).toBe("reward_unavailable");
      expectNothingOf(B, answer.body);
    }
    expect([await snapshot(A), await snapshot(B)]).toEqual(before);
  });

  test("naming another customer in the request (extra or repeated parameters, the body) changes nothing: refused or A1's own", async () => {
    const before = [await snapshot(A), await snapshot(B)];
    // Shopify signs what the shopper adds to the URL; a second logged_in_customer_id must not pick the customer.
    const repeated = new URL(proxy(A, A.members[0].shopifyId, "redeem", { customer_id: A.members[1].shopifyId }));
    repeated.searchParams.append("logged_in_customer_id", A.members[1].shopifyId);
    const forged = await post(repeated.toString(), { rewardId: A.rewardId });
    expect(forged.status).toBe(401);
    const bodyNaming = await post(proxy(A, "", "redeem"), { rewardId: A.rewardId, customerId: A.members[1].shopifyId, logged_in_customer_id: A.members[1].shopifyId });
    expect(bodyNaming.status).toBeGreaterThanOrEqual(400);
    expect([await snapshot(A), await snapshot(B)]).toEqual(before);
  });

  test("A's customer id signed for shop B is not A's customer there: A's points are out of reach", async () => {
    const before = await snapshot(A);
    const answer = await post(proxy(B, A.members[0].shopifyId, "redeem"), { rewardId: B.rewardId });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expectNothingOf(A, answer.body);
    expect(await snapshot(A)).toEqual(before);
  });
});

describe("a subscriber of shop A", () => {
  const contracts = async () => ({
    mirrored: (await db.pool.query(`select "shopId", "contractId", "customerId", status, "revisionId"::text, "resumeOn" from "SubscriptionContract" order by 1, 2`)).rows,
    inShopify: [...subscriptionContracts(fake.state).values()].map((c) => [c.id, c.status, c.revisionId]),
    attempts: (await db.pool.query(`select id, "shopId", "customerId", "contractId", step, reason, "cancelledVia" from "CancelAttempt" order by id`)).rows,
  });
  /** A1 presses Cancel on their own contract (again: within a day it is the same attempt); the survey's attempt id. */
  async function ownAttempt(): Promise<string> {
    const flow = await post(`${base}/api/subscriptions/cancel`, { contractId: A.members[0].contractId }, await customerToken(A, A.members[0]));
    expect(flow.status, flow.body).toBe(200);
    return JSON.parse(flow.body).attemptId;
  }

  test("the customer-account extension: each customer lists and changes only their own subscriptions", async () => {
    const a1 = await customerToken(A, A.members[0]);
    const list = await get(`${base}/api/subscriptions`, a1);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).subscriptions.map((s: { id: string }) => s.id)).toEqual([A.members[0].contractId]);
    expectNothingOfMember(A.members[1], list.body);
    expectNothingOf(B, list.body);
    const attemptId = await ownAttempt();

    const before = await contracts();
    const tries: [string, Record<string, string>, unknown][] = [];
    for (const [asker, shop] of [[A.members[1], A], [B.members[0], B]] as const) {
      const token = await customerToken(shop, asker);
      tries.push(
        ["/api/subscriptions/cancel", token, { contractId: A.members[0].contractId }],
        ["/api/subscriptions/pause", token, { action: "resume", contractId: A.members[0].contractId }],
        ["/api/subscriptions/pause", token, { action: "extend", contractId: A.members[0].contractId, months: 2 }],
        ["/api/subscriptions/flow", token, { attemptId, event: { type: "cancel_now" } }],
        ["/api/subscriptions/flow", token, { attemptId, event: { type: "give_reason", reason: "too_expensive" } }],
      );
    }
    // A1 naming A2's or B1's contract.
    for (const other of [A.members[1], B.members[0]]) {
      tries.push(["/api/subscriptions/cancel", a1, { contractId: other.contractId }], ["/api/subscriptions/pause", a1, { action: "resume", contractId: other.contractId }]);
    }
    for (const [path, token, body] of tries) {
      const answer = await post(`${base}${path}`, body, token);
      expect(answer.status, `${path} ${JSON.stringify(body)}: ${answer.body}`).toBe(404);
      expectNothingOfMember(A.members[0], answer.body);
      expectNothingOf(B, answer.body);
    }
    for (const [asker, shop] of [[A.members[1], A], [B.members[0], B]] as const) {
      const view = await get(`${base}/api/subscriptions/flow?attemptId=${attemptId}`, await customerToken(shop, asker));
      expect(view.status).toBe(404);
      expectNothingOfMember(A.members[0], view.body);
    }
    // The test is meaningful: A1 sees their own attempt.
    expect((await get(`${base}/api/subscriptions/flow?attemptId=${attemptId}`, a1)).status).toBe(200);
    expect(await contracts()).toEqual(before);
  });

  test("the theme's subscriptions page (App Proxy): another customer's contract or cancel attempt is refused and never shown", async () => {
    const attemptId = await ownAttempt();
    const before = await contracts();
    const asA2 = (extra: Record<string, string> = {}) => proxy(A, A.members[1].shopifyId, "subscriptions", extra);
    const page = await get(asA2({ attempt: attemptId }));
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Coffee for ${A.members[1].firstName}`);
    expectNothingOfMember(A.members[0], page.body);
    expect(page.body).not.toContain(attemptId);
    const forms: Record<string, string>[] = [
      { intent: "press_cancel", contractId: A.members[0].contractId },
      { intent: "give_reason", attemptId, reason: "too_expensive" },
      { intent: "cancel_now", attemptId },
      { intent: "accept_offer", attemptId },
      { intent: "decline_offer", attemptId },
      { intent: "resume", contractId: A.members[0].contractId, token: "forged" },
      { intent: "extend", contractId: A.members[0].contractId, months: "2", token: "forged" },
    ];
    for (const [url, form] of [...forms.map((f) => [asA2(), f] as const), ...forms.map((f) => [proxy(B, B.members[0].shopifyId, "subscriptions"), f] as const)]) {
      const answer = await postForm(url, form);
      expect(answer.status, `${JSON.stringify(form)}: ${answer.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expectNothingOfMember(A.members[0], answer.body);
    }
    expect(await contracts()).toEqual(before);
  });
});

describe("webhooks for shop B", () => {
  test("B's orders and subscription changes naming A's customers and contract change nothing of shop A", async () => {
    const a1 = A.members[0];
    const aContracts = async () => (await db.pool.query(`select * from "SubscriptionContract" where "shopId" = $1 order by "contractId"`, [A.shopId])).rows;
    const before = { a: await snapshot(A), contracts: await aContracts() };
    const order = orderPayload({ orderId: 99_000_000 + Number(a1.shopifyId), customerId: Number(a1.shopifyId), email: a1.email, firstName: a1.firstName, lastName: a1.lastName, createdAt: NOW, subtotalMinor: 500_00 });
    const paused = {
      ...samplePayload("subscription_contracts/pause"),
      id: Number(a1.contractId),
      admin_graphql_api_id: `gid://shopify/SubscriptionContract/${a1.contractId}`,
      customer_id: Number(a1.shopifyId),
      admin_graphql_api_customer_id: `gid://shopify/Customer/${a1.shopifyId}`,
      status: "paused",
      revision_id: "9",
    };
    for (const [topic, payload] of [["orders/paid", order], ["subscription_contracts/pause", paused]] as const) {
      expect((await postDelivery(base, signedDelivery({ topic, shop: B.domain, payload, secret: FAULT_SECRET }))).status).toBe(200);
    }
    await untilProcessed();
    expect({ a: await snapshot(A), contracts: await aContracts() }).toEqual(before);
    // The test is meaningful: shop B did take the order, for a customer of its own.
    expect((await db.pool.query(`select 1 from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`, [B.shopId, a1.shopifyId])).rowCount).toBe(1);
  });

  test("B's privacy requests and uninstall, naming A's customers, leave shop A untouched", async () => {
    const before = await snapshot(A);
    const privacy = { shop_id: 2, shop_domain: B.domain, customer: { id: Number(A.members[0].shopifyId), email: A.members[0].email, phone: null }, orders_requested: [], orders_to_redact: [] };
    for (const [topic, payload] of [
      ["customers/redact", privacy],
      ["customers/data_request", privacy],
      ["shop/redact", { shop_id: 2, shop_domain: B.domain }],
      ["app/uninstalled", { id: 2, myshopify_domain: B.domain }],
    ] as const) {
      expect((await postDelivery(base, signedDelivery({ topic, shop: B.domain, payload, secret: FAULT_SECRET }))).status).toBe(200);
    }
    await untilProcessed();
    expect(await snapshot(A)).toEqual(before);
    expect((await db.pool.query(`select 1 from "Session" where shop = $1`, [A.domain])).rowCount).toBe(1);
    // The test is meaningful: B's own data did go.
    expect((await db.pool.query(`select 1 from "Session" where shop = $1`, [B.domain])).rowCount).toBe(0);
  });
});
