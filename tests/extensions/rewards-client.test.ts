/** The extensions' client of the app's extension API and the rules they show rewards by (extensions/customer-account-rewards/src/rewards.ts). */
import { describe, expect, test, vi } from "vitest";
import {
  affordableRewards,
  createRewardsApi,
  distanceToNextTier,
  minorToMajor,
  progressPercent,
  rewardStatus,
  RewardsApiError,
  withRedemption,
} from "../../extensions/customer-account-rewards/src/rewards";
import { FIVE_OFF_REDEEMED, memberAnn, programResponse, refusal } from "./fixtures/program";

const { program } = programResponse();
const reward = (id: string) => program.rewards.find((r) => r.id === id)!;

describe("rewardStatus", () => {
  test.each([
    { id: "r_1", balance: 1234, tier: "t_2", status: { state: "redeemable" } },
    { id: "r_1", balance: 500, tier: "t_2", status: { state: "redeemable" } },
    { id: "r_1", balance: 499, tier: "t_2", status: { state: "short", pointsNeeded: 1 } },
    { id: "r_3", balance: 1234, tier: "t_2", status: { state: "short", pointsNeeded: 1766 } },
    { id: "r_4", balance: 1234, tier: "t_2", status: { state: "tier_locked", tierName: "Platinum" } },
    { id: "r_4", balance: 1234, tier: null, status: { state: "tier_locked", tierName: "Platinum" } },
    { id: "r_4", balance: 1234, tier: "t_3", status: { state: "redeemable" } },
    { id: "r_4", balance: 50, tier: "t_3", status: { state: "short", pointsNeeded: 50 } },
  ])("$id with $balance points in tier $tier → $status.state", ({ id, balance, tier, status }) => {
    const held = program.tiers.find((t) => t.id === tier);
    const customer = memberAnn({ balance, tier: held ? { id: held.id, name: held.name } : null });
    expect(rewardStatus(program, customer, reward(id))).toStrictEqual(status);
  });

  test("affordableRewards keeps only what can be redeemed now", () => {
    expect(affordableRewards(program, memberAnn()).map((r) => r.id)).toEqual(["r_1", "r_2", "r_5"]);
  });
});

describe("distanceToNextTier", () => {
  test.each([
    { next: { name: "Platinum", remaining: 20000, progress: 0.4 }, distance: { unit: "money", amountMinor: 20000, currencyCode: "USD" } },
    { next: null, distance: null },
  ])("next tier $next.name", ({ next, distance }) => {
    expect(distanceToNextTier(program, memberAnn({ nextTier: next }))).toStrictEqual(distance);
  });

  test("a points-earned tier is measured in points", () => {
    const pointsTiers = { ...program, tiers: program.tiers.map((t) => ({ ...t, thresholdKind: "points_earned" as const })) };
    expect(distanceToNextTier(pointsTiers, memberAnn())).toStrictEqual({ unit: "points", points: 20000 });
  });
});

test.each([
  [0.4, 40],
  [0.005, 1],
  [-0.2, 0],
  [1.7, 100],
])("progressPercent(%s) = %s", (progress, percent) => {
  expect(progressPercent(progress)).toBe(percent);
});

test.each([
  [12345, "USD", 123.45],
  [500, "JPY", 500],
  [12345, "KWD", 12.345],
])("minorToMajor(%s, %s) = %s", (minor, currency, major) => {
  expect(minorToMajor(minor, currency)).toBe(major);
});

test("withRedemption takes the app's new balance and puts the new reward first", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const after = withRedemption(memberAnn(), FIVE_OFF_REDEEMED, now);
  expect(after.balance).toBe(734);
  expect(after.rewardsIssued[0]).toEqual({ code: "RE-ABCD-EFGH", title: "$5 off", at: "2026-11-23T12:00:00.000Z" });
  expect(after.rewardsIssued).toHaveLength(2);
});

describe("createRewardsApi", () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const api = (fetch: typeof globalThis.fetch) =>
    createRewardsApi({ appUrl: "https://app.test", sessionToken: { get: vi.fn().mockResolvedValueOnce("t1").mockResolvedValueOnce("t2") }, fetch });

  test("asks for a fresh session token for every request", async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => json(200, programResponse()));
    const client = api(fetch as unknown as typeof globalThis.fetch);
    await client.program();
    await client.program();
    expect(fetch.mock.calls.map(([url, init]) => [url, new Headers(init.headers).get("Authorization")])).toEqual([
      ["https://app.test/api/extension/program", "Bearer t1"],
      ["https://app.test/api/extension/program", "Bearer t2"],
    ]);
  });

  test.each([
    { case: "a refusal", reply: () => json(409, refusal("insufficient_points", "Not enough points.")), error: ["insufficient_points", "Not enough points.", 409] },
    { case: "an error with no body", reply: () => new Response("oops", { status: 502 }), error: ["http_502", "", 502] },
    { case: "no connection", reply: () => Promise.reject(new TypeError("fetch failed")), error: ["network", "fetch failed", 0] },
  ])("turns $case into a RewardsApiError", async ({ reply, error }) => {
    const failure = await api(vi.fn(reply) as unknown as typeof fetch).redeem("r_1").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RewardsApiError);
    const { code, message, status } = failure as RewardsApiError;
    expect([code, message, status]).toEqual(error);
  });
});
