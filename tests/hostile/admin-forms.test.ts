/**
 * Every admin form's action, called as Remix calls it (an embedded admin POST with the staff member's session
 * token), fed random, malformed, oversized and boundary values: valid forms with fields replaced by hostile text,
 * boundary numbers and huge list indexes, fields dropped, junk fields added. The answer is always the page's data
 * (saved, or 400 with a message per field) or a 4xx with a reason: never a thrown error (a 500), never a stack
 * trace or database text, and a refused form leaves every table of the database exactly as it was.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FakeAdminApi } from "../../scripts/fake-shopify/admin-api";
import { TEST_API_KEY, TEST_SECRET, useAppEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { hostileText } from "./arbitraries";

const SHOP = "hostile-forms.myshopify.com";
type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;

let db: TestDatabase;
let fake: FakeAdminApi;
let shopId: number;
let rewardId: string;
let customerId: string;
let detractorId: number;
let token: string;
const routes = {} as Record<string, Handler>;

beforeAll(async () => {
  db = await createTestDatabase();
  const { startFakeAdminApi } = await import("../../scripts/fake-shopify/admin-api");
  const { fakeAdminResolvers } = await import("../../scripts/fake-shopify/resolvers");
  fake = await startFakeAdminApi(fakeAdminResolvers);
  useAppEnv(db.url, { SHOPIFY_ADMIN_API_ORIGIN: fake.origin, LOG_LEVEL: "silent" });
  const { APP_SCOPES } = await import("~/config/env.server");
  const { markShopInstalled } = await import("~/data/shops.server");
  const { updateProgramSettings } = await import("~/services/loyalty/program.server");
  const { createReward } = await import("~/services/loyalty/rewards.server");
  const { mintSessionToken } = await import("~/shopify/session-token.server");
  await db.pool.query(`insert into "Session" (id, shop, state, "isOnline", scope, "accessToken") values ($1, $2, 'installed', false, $3, 'shpat_forms')`, [`offline_${SHOP}`, SHOP, APP_SCOPES]);
  shopId = (await markShopInstalled(db, SHOP, "USD")).id;
  const program = await updateProgramSettings({ db: db.pool, shopId, change: (s) => ({ ...s, enabled: true, startedAt: new Date(Date.now() - 86_400_000) }), now: new Date() });
  if (!program.ok) throw new Error(JSON.stringify(program.issues));
  const reward = await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: "Five off", amountMinor: 5_00, pointsCost: 100 } });
  if (!reward.ok) throw new Error(JSON.stringify(reward.issues));
  rewardId = reward.reward.id;
  customerId = (await db.pool.query<{ id: string }>(`insert into "Customer" ("shopId", "shopifyCustomerId", email, "pointsBalance") values ($1, '7001', 'ann@example.com', 0) returning id::text`, [shopId])).rows[0].id;
  detractorId = (await db.pool.query<{ id: number }>(`insert into "FeedbackResponse" ("shopId", "customerId", kind, score, comment, "answeredAt", "followUp") values ($1, '7001', 'nps', 2, 'meh', now(), 'open') returning id`, [shopId])).rows[0].id;
  token = await mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, secret: TEST_SECRET, sub: "70001" });
  for (const [name, path] of Object.entries({
    program: "~/routes/app.program",
    reward: "~/routes/app.rewards.$rewardId",
    customer: "~/routes/app.customers.$customerId",
    churnSettings: "~/routes/app.churn.settings",
    campaigns: "~/routes/app.churn.campaigns._index",
    feedback: "~/routes/app.churn.feedback",
    cancelSave: "~/routes/app.cancel-save.settings",
    billing: "~/routes/app.billing",
    importFile: "~/routes/app.import._index",
  })) {
    routes[name] = ((await import(/* @vite-ignore */ path)) as { action: Handler }).action;
  }
}, 120_000);

afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await fake?.close();
  await db?.drop();
});

interface Answer {
  status: number;
  body: string;
  /** A value the page reads (useActionData): `{ ok: false, errors }` for an invalid form. */
  data?: any;
}

/** Calls an action the way Remix does and reads its answer; a thrown error is what Remix would answer with a 500. */
async function call(route: string, request: Request, params: Record<string, string> = {}): Promise<Answer> {
  try {
    const result: any = await routes[route]({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, body: await result.text() };
    if (result && result.type === "DataWithResponseInit") return { status: result.init?.status ?? 200, body: JSON.stringify(result.data), data: result.data };
    return { status: 200, body: JSON.stringify(result), data: result };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: await error.text() };
    return { status: 500, body: String((error as Error)?.stack ?? error) };
  }
}

const adminRequest = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, ...headers }, body });

const postForm = (route: string, path: string, form: [string, string][], params: Record<string, string> = {}) =>
  call(route, adminRequest(path, new URLSearchParams(form), { "content-type": "application/x-www-form-urlencoded" }), params);

/** Every table of the app (the session store aside), as one fingerprint per table. */
async function databaseState(): Promise<Record<string, string>> {
  const { rows: tables } = await db.pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('Session', '_prisma_migrations') order by 1`,
  );
  const parts = tables.map(({ name }) => `select '${name}' as name, count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as state from "${name}" t`);
  const { rows } = await db.pool.query<{ name: string; state: string }>(parts.join(" union all "));
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}

function expectCleanAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${answer.body.slice(0, 600)}`).toBeLessThan(500);
  expect(answer.body, what).not.toMatch(/\n\s+at .+:\d+:\d+/); // a stack frame
  expect(answer.body, what).not.toMatch(/prisma|node_modules|\/work\/|violates|invalid input syntax|out of range for type|SQLSTATE|TypeError|RangeError/i);
}

function isRefused(answer: Answer): boolean {
  return answer.status >= 400 || answer.data?.ok === false;
}

/** A refusal says why: a message for at least one field (or the form), or a reason in a 4xx body. */
function expectReason(answer: Answer, what: string): void {
  if (answer.data?.ok === false) {
    const messages = Object.values(answer.data.errors ?? {});
    expect(messages.length, what).toBeGreaterThan(0);
    for (const message of messages) expect(typeof message === "string" && message.length > 0, `${what}: ${JSON.stringify(answer.data)}`).toBe(true);
  } else {
    expect(answer.body.trim().length, what).toBeGreaterThan(0);
  }
}

/** Numbers typed into a form at and past every boundary (int4, safe integers, floats, other notations). */
const BOUNDARY_NUMBERS = [
  "0", "-0", "-1", "1", "0.5", "1.005", "5.5", "-5.5", " 7 ", "007", "1e3", "1E+2", "0x10", "1_000", "1,000", "NaN", "Infinity", "-Infinity",
  "2147483647", "2147483648", "-2147483649", "4294967296", "9007199254740991", "9007199254740993", "99999999999999999999", "99999999999999999999.99",
  "1e308", "1e400", "0.0000001", "12345678901234567890123456789012345678901234567890", "١٢٣", "１２３",
];

const formValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 3, arbitrary: hostileText.map((text) => text.slice(0, 70_000)) },
  { weight: 1, arbitrary: fc.constantFrom("on", "true", "false", "off", "", "null", "[]", "{}", "gid://shopify/ProductVariant/1", randomUUID(), "00000000-0000-0000-0000-000000000000") },
);

/** A field name as conform nests it, sometimes at a huge or negative list index or in a shape the form never uses. */
const hostileFieldName = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "__proto__.polluted", "constructor.prototype.polluted", "a[0]", "a[-1]", "a[]", "[0]", ".", "..", "a..b", "a[0", "a]0[", "intent"),
  fc.tuple(fc.constantFrom("tiers.levels", "reasons", "offers", "rules", "offers[0].swaps", "earning", "actions.review"), fc.constantFrom(0, 1, 7, 999, 5_000, 99_999), fc.constantFrom("threshold", "name", "code", "kind", "id", "points")).map(
    ([list, index, field]) => `${list}[${index}].${field}`,
  ),
);

/**
 * A valid form with some of its fields replaced by hostile values or dropped, and junk fields added; fields can
 * repeat (a second value of the same name).
 */
function hostileForm(valid: Record<string, string>): fc.Arbitrary<[string, string][]> {
  const names = Object.keys(valid);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...names), formValue, { maxKeys: 3 }),
      drop: fc.subarray(names, { maxLength: Math.min(2, names.length) }),
      extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), hostileFieldName), formValue), { maxLength: 3 }),
    })
    .map(({ replace, drop, extra }) => {
      const fields = Object.entries({ ...valid, ...replace }).filter(([name]) => !drop.includes(name) || name in replace);
      return [...fields, ...extra];
    });
}

interface FormCase {
  route: string;
  path: () => string;
  params?: () => Record<string, string>;
  valid: () => Record<string, string>;
}

const FORMS: Record<string, FormCase> = {
  "program: earning": {
    route: "program",
    path: () => "/app/program",
    valid: () => ({ intent: "earning", "earning.points": "1", "earning.perAmountMinor": "1.00", "earning.base": "total", "earning.rounding": "floor", "earning.pendingDays": "0", "expiry.afterInactiveDays": "365", "expiry.reminderDaysBefore": "30" }),
  },
  "program: actions": {
    route: "program",
    path: () => "/app/program",
    valid: () => ({ intent: "actions", "actions.review.enabled": "on", "actions.review.points": "50", "actions.review.capPerCustomer": "3", "actions.signup.points": "100", "actions.referral.capPerCustomer": "" }),
  },
  "program: tiers (and their preview)": {
    route: "program",
    path: () => "/app/program",
    valid: () => ({
      intent: "preview-tiers",
      "tiers.basis": "spend",
      "tiers.window": "lifetime",
      "tiers.retentionDays": "90",
      "tiers.levels[0].id": "silver",
      "tiers.levels[0].name": "Silver",
      "tiers.levels[0].threshold": "100",
      "tiers.levels[0].perks.multiplierBps": "1.25",
      "tiers.levels[1].name": "Gold",
      "tiers.levels[1].threshold": "500",
    }),
  },
  "program: referral": {
    route: "program",
    path: () => "/app/program",
    valid: () => ({ intent: "referral", "referral.friendDiscount.value.type": "percentage", "referral.friendDiscount.value.percent": "10", "referral.friendDiscount.minimumOrderMinor": "0" }),
  },
  "program: texts, archiving a reward": {
    route: "program",
    path: () => "/app/program",
    valid: () => ({ intent: "texts", "texts.en.launcherLabel": "Rewards", "texts.pl.rewardsTitle": "Nagrody", rewardId }),
  },
  "reward: a new one": {
    route: "reward",
    path: () => "/app/rewards/new",
    params: () => ({ rewardId: "new" }),
    valid: () => ({ token: randomUUID(), type: "fixed_amount", name: "Ten off", pointsCost: "200", amountMinor: "10.00", minimumOrderMinor: "0", expiresAfterDays: "30", minimumTierId: "" }),
  },
  "reward: editing one": {
    route: "reward",
    path: () => `/app/rewards/${rewardId}`,
    params: () => ({ rewardId }),
    valid: () => ({ token: randomUUID(), type: "percentage", name: "Ten percent", pointsCost: "300", percent: "10", maximumShippingMinor: "", productVariantId: "", expiresAfterDays: "" }),
  },
  "customer: points adjustment": {
    route: "customer",
    path: () => `/app/customers/${customerId}`,
    params: () => ({ customerId }),
    valid: () => ({ points: "50", reason: "Goodwill correction", token: randomUUID() }),
  },
  "churn settings": {
    route: "churnSettings",
    path: () => "/app/churn/settings",
    valid: () => ({
      lostKind: "noOrderWithin",
      lostDays: "180",
      lostThresholdPercent: "30",
      horizonMonths: "12",
      discountPercent: "1",
      highBelowPercent: "30",
      mediumBelowPercent: "60",
      highValue: "500",
      quietDays: "90",
      birthday: "on",
      rewardPercent: "10",
    }),
  },
  "win-back campaign": {
    route: "campaigns",
    path: () => "/app/churn/campaigns?index",
    valid: () => ({ name: "Come back", segment: "", riskLevel: "high", incentive: "discount_amount", amount: "10.00", percent: "10", points: "100", rewardId, valuePer100Points: "1.00", holdoutPercent: "10", measureDays: "30" }),
  },
  "feedback follow-up": {
    route: "feedback",
    path: () => "/app/churn/feedback",
    valid: () => ({ responseId: String(detractorId), status: "contacted", note: "Called them" }),
  },
  "cancel-save settings": {
    route: "cancelSave",
    path: () => "/app/cancel-save/settings",
    valid: () => ({
      formToken: randomUUID(),
      enabled: "on",
      cooldownDays: "60",
      "pause.reminderDaysBeforeResume": "3",
      "pause.maxMonths": "3",
      "reasons[0].code": "too_expensive",
      "reasons[0].labels.en": "Too expensive",
      "offers[0].id": "ten-off",
      "offers[0].kind": "discount",
      "offers[0].percent": "10",
      "offers[0].orders": "3",
      "offers[1].id": "every-2",
      "offers[1].kind": "change_frequency",
      "offers[1].frequency.interval": "WEEK",
      "offers[1].frequency.intervalCount": "2",
      "offers[2].id": "smaller",
      "offers[2].kind": "swap_variant",
      "offers[2].swaps[0].fromVariantId": "gid://shopify/ProductVariant/1",
      "offers[2].swaps[0].toVariantId": "gid://shopify/ProductVariant/2",
      "offers[2].swaps[0].toVariantTitle": "500 g",
      "offers[2].swaps[0].toUnitPrice.amountMinor": "9.50",
      "rules[0].id": "r1",
      "rules[0].offerId": "ten-off",
      "rules[0].when.reasons": "too_expensive",
      "rules[0].when.tenureDays.atLeast": "30",
      "rules[0].when.lifetimeValue.atLeast.amountMinor": "100.00",
    }),
  },
  billing: {
    route: "billing",
    path: () => "/app/billing",
    valid: () => ({ plan: "growth" }),
  },
};

describe("admin forms fed hostile values", () => {
  test.each(Object.keys(FORMS))("%s: a clean answer, and a refused form changes nothing", async (name) => {
    const form = FORMS[name];
    // The test is meaningful: the valid form is accepted (and from here on each refused one must change nothing).
    const accepted = await postForm(form.route, form.path(), Object.entries(form.valid()), form.params?.());
    expectCleanAnswer(accepted, `${name}, valid form`);
    if (name !== "win-back campaign") expect(isRefused(accepted), `${name}: ${accepted.body.slice(0, 400)}`).toBe(false);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostileForm(form.valid()), async (fields) => {
        const before = await databaseState();
        const answer = await postForm(form.route, form.path(), fields, form.params?.());
        const what = `${name} ${JSON.stringify(fields).slice(0, 400)}`;
        expectCleanAnswer(answer, what);
        if (isRefused(answer)) {
          refused += 1;
          expectReason(answer, what);
          expect(await databaseState(), `${what}: a refused form wrote`).toEqual(before);
        }
      }),
      { numRuns: 30 },
    );
    expect(refused).toBeGreaterThan(0);
  });

  test("the customer page's adjustment for customer ids that are not this shop's (or not ids at all): 4xx, nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom("0", "-1", "9223372036854775807", "9223372036854775808", "1e3", "abc", "", "7001", " 1", "1.5", "%00", "\u0000"), fc.string({ maxLength: 30 })), async (id) => {
        fc.pre(id !== customerId);
        const before = await databaseState();
        const answer = await postForm("customer", `/app/customers/${encodeURIComponent(id)}`, [["points", "10"], ["reason", "Testing ids"], ["token", randomUUID()]], { customerId: id });
        expectCleanAnswer(answer, `customer id ${JSON.stringify(id)}`);
        expect(isRefused(answer), `customer id ${JSON.stringify(id)}: ${answer.body}`).toBe(true);
        expect(await databaseState()).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  // Each was a 500 before it was fixed (found by the properties above).
  test.each<[string, [string, string][], string]>([
    ["program: tiers (and their preview)", [["tiers.levels[0].name", ""]], "a repeated tier name (a list where a text was expected)"],
    ["win-back campaign", [["amount", "9007199254740993"]], "an amount beyond safe integers"],
    ["win-back campaign", [["amount", "99999999"]], "an amount beyond the integer column"],
    ["churn settings", [["highValue", "99999999999999999999"]], "a high-value threshold beyond safe integers"],
    ["feedback follow-up", [["responseId", "9007199254740991"]], "an answer id beyond the integer column"],
  ])("%s with %j (%s): refused with a message, nothing written", async (name, replaced, _why) => {
    const form = FORMS[name];
    const fields = Object.entries({ ...form.valid(), ...Object.fromEntries(replaced) });
    if (name.startsWith("program: tiers")) fields.push(...replaced); // the field twice
    const before = await databaseState();
    const answer = await postForm(form.route, form.path(), fields, form.params?.());
    expectCleanAnswer(answer, name);
    expect(isRefused(answer), answer.body).toBe(true);
    expectReason(answer, name);
    expect(await databaseState()).toEqual(before);
  });

  // Found by CI's run of the property above (seed 916645155): PostgreSQL cannot store a NUL in any text or JSON value.
  test.each(Object.keys(FORMS))("%s: a NUL character in any field is refused with its name, nothing written", async (name) => {
    const form = FORMS[name];
    const fields = Object.entries(form.valid());
    const [field] = fields.find(([key]) => key !== "intent" && key !== "token") ?? fields[0];
    const before = await databaseState();
    const answer = await postForm(form.route, form.path(), fields.map(([key, value]) => [key, key === field ? `a\u0000b` : value]), form.params?.());
    expectCleanAnswer(answer, `${name} NUL in ${field}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(JSON.stringify(field));
    expect(await databaseState()).toEqual(before);
  });

  test("a reward id that does not exist (or is not an id): 404, nothing written", async () => {
    for (const id of ["999999", "-1", "abc", "9223372036854775808", "1e3", "\u0000", randomUUID()]) {
      const before = await databaseState();
      const answer = await postForm("reward", `/app/rewards/${encodeURIComponent(id)}`, Object.entries(FORMS["reward: a new one"].valid()), { rewardId: id });
      expectCleanAnswer(answer, `reward id ${JSON.stringify(id)}`);
      expect(answer.status, `reward id ${JSON.stringify(id)}`).toBe(404);
      expect(await databaseState()).toEqual(before);
    }
  });
});

describe("bodies that are not the form the page sends", () => {
  const bodies: [string, BodyInit | null, Record<string, string>][] = [
    ["no body", null, {}],
    ["JSON", JSON.stringify({ intent: "earning", earning: { points: 5 } }), { "content-type": "application/json" }],
    ["multipart form", (() => { const f = new FormData(); f.set("intent", "earning"); f.set("file", new File(["a,b\n"], "x.csv")); return f; })(), {}],
    ["multipart without a boundary", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--", { "content-type": "multipart/form-data" }],
    ["truncated multipart", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nemail,points\r\n", { "content-type": "multipart/form-data; boundary=x" }],
    ["urlencoded garbage", "%zz=%%&&==&a=%E0%A4%A", { "content-type": "application/x-www-form-urlencoded" }],
    ["plain text", "intent=earning", { "content-type": "text/plain" }],
  ];
  const routeCases: [string, string, Record<string, string>][] = [
    ["program", "/app/program", {}],
    ["reward", "/app/rewards/new", { rewardId: "new" }],
    ["customer", "/app/customers/1", { customerId: "1" }],
    ["churnSettings", "/app/churn/settings", {}],
    ["campaigns", "/app/churn/campaigns?index", {}],
    ["feedback", "/app/churn/feedback", {}],
    ["cancelSave", "/app/cancel-save/settings", {}],
    ["billing", "/app/billing", {}],
    ["importFile", "/app/import?index", {}],
  ];
  test.each(routeCases)("%s: every such body gets a clean answer, and a refusal changes nothing", async (route, path, params) => {
    for (const [label, body, headers] of bodies) {
      const before = await databaseState();
      const answer = await call(route, adminRequest(path, body as BodyInit, headers), params);
      expectCleanAnswer(answer, `${route} ${label}`);
      if (isRefused(answer)) expect(await databaseState(), `${route} ${label}`).toEqual(before);
    }
  });

  test("without the staff member's session token every form is refused before anything is read", async () => {
    for (const [route, path, params] of routeCases) {
      const before = await databaseState();
      const request = new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Bearer not.a.token" }, body: "plan=growth&intent=status&enabled=on" });
      const answer = await call(route, request, params);
      expect(answer.status, route).toBeGreaterThanOrEqual(400);
      expectCleanAnswer(answer, route);
      expect(await databaseState()).toEqual(before);
    }
  });
});
