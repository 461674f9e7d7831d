// @vitest-environment happy-dom
/**
 * The checkout extension rendered with Preact in happy-dom, with the checkout's `shopify` global (instructions,
 * applyDiscountCodeChange) and the app's extension API mocked; and the redeem-then-apply sequence on its own.
 */
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import * as checkout from "../../extensions/checkout-rewards/src/Checkout";
import { redeemAtCheckout } from "../../extensions/checkout-rewards/src/redeem-at-checkout";
import { APP_URL } from "../../extensions/customer-account-rewards/src/app-url";
import { RewardsApiError } from "../../extensions/customer-account-rewards/src/rewards";
import { FIVE_OFF_REDEEMED, programResponse, refusal, STORE_CREDIT_REDEEMED } from "./fixtures/program";
import { buttons, mockAppApi, mockShopify, runExtension, SESSION_TOKEN, text, unmountExtension } from "./support/ui-extension";

const EXTENSION = path.resolve("extensions/checkout-rewards");

afterEach(unmountExtension);

type ApplyResult = { type: "success" } | { type: "error"; message: string };

function openCheckout(replies: Parameters<typeof mockAppApi>[0], { canUpdateDiscountCodes = true, apply = { type: "success" } as ApplyResult } = {}) {
  const applyDiscountCodeChange = vi.fn(async (_change: { type: string; code: string }) => apply);
  mockShopify(EXTENSION, { instructions: { value: { discounts: { canUpdateDiscountCodes } } }, applyDiscountCodeChange });
  return { api: mockAppApi(replies), applyDiscountCodeChange };
}

const banner = () => document.querySelector("s-banner");

describe("rewards at checkout", () => {
  test("show the balance and only the rewards it covers", async () => {
    openCheckout({ program: { status: 200, body: programResponse() } });
    await runExtension(checkout);

    await vi.waitFor(() => expect(text()).toContain("You have 1,234 points."));
    expect(buttons("Redeem")).toHaveLength(3);
    expect(text()).toContain("$5 off");
    expect(text()).toContain("Free shipping");
    expect(text()).toContain("$5 store credit");
    expect(text()).not.toContain("$30 off"); // 3,000 points
    expect(text()).not.toContain("Platinum gift"); // Platinum only
  });

  test("Redeem creates the code through the app, applies it to the checkout and shows the new balance", async () => {
    const { api, applyDiscountCodeChange } = openCheckout({
      program: { status: 200, body: programResponse() },
      redeem: { status: 200, body: FIVE_OFF_REDEEMED },
    });
    await runExtension(checkout);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[0].click();

    await vi.waitFor(() => expect(banner()?.textContent).toBe("$5 off is applied with code RE-ABCD-EFGH."));
    expect(banner()?.getAttribute("tone")).toBe("success");
    expect(api.calls.at(-1)).toEqual({ url: `${APP_URL}/api/extension/redeem`, method: "POST", authorization: `Bearer ${SESSION_TOKEN}`, body: { rewardId: "r_1" } });
    expect(applyDiscountCodeChange.mock.calls).toEqual([[{ type: "addDiscountCode", code: "RE-ABCD-EFGH" }]]);
    expect(text()).toContain("You have 734 points.");
  });

  test("a refusal from the app is shown and nothing is applied", async () => {
    const { applyDiscountCodeChange } = openCheckout({
      program: { status: 200, body: programResponse() },
      redeem: { status: 422, body: refusal("reward_unavailable", "This reward is no longer available.") },
    });
    await runExtension(checkout);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[0].click();

    await vi.waitFor(() => expect(banner()?.textContent).toBe("This reward is no longer available."));
    expect(banner()?.getAttribute("tone")).toBe("critical");
    expect(applyDiscountCodeChange).not.toHaveBeenCalled();
    expect(text()).toContain("You have 1,234 points.");
  });

  test("when checkout refuses the new code, the shopper gets the code to enter and no claim that it applied", async () => {
    openCheckout(
      { program: { status: 200, body: programResponse() }, redeem: { status: 200, body: FIVE_OFF_REDEEMED } },
      { apply: { type: "error", message: "Discount code could not be applied" } },
    );
    await runExtension(checkout);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[0].click();

    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("warning"));
    expect(banner()?.textContent).toBe("Your code RE-ABCD-EFGH is ready but couldn't be applied here. Enter it in the discount field.");
    expect(text()).not.toContain("is applied");
    expect(text()).toContain("You have 734 points."); // the app spent them: the code is the shopper's
  });

  test("store credit is credited, not applied as a code", async () => {
    const { applyDiscountCodeChange } = openCheckout({
      program: { status: 200, body: programResponse() },
      redeem: { status: 200, body: STORE_CREDIT_REDEEMED },
    });
    await runExtension(checkout);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[2].click();

    await vi.waitFor(() => expect(banner()?.textContent).toBe("$5.00 was added to your store credit. You can pay with it in the payment step."));
    expect(applyDiscountCodeChange).not.toHaveBeenCalled();
  });

  test("offer no redemption where this checkout cannot take discount codes", async () => {
    openCheckout({ program: { status: 200, body: programResponse() } }, { canUpdateDiscountCodes: false });
    await runExtension(checkout);

    await vi.waitFor(() => expect(text()).toContain("Discount codes can't be added to this checkout"));
    expect(buttons("Redeem")).toHaveLength(0);
  });

  test.each([
    { case: "a guest", reply: { status: 200, body: programResponse(null) } },
    { case: "an unreachable app", reply: { status: 503, body: refusal("unavailable", "down") } },
  ])("show nothing to $case", async ({ reply }) => {
    const { api } = openCheckout({ program: reply });
    await runExtension(checkout);

    await vi.waitFor(() => expect(api.calls).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.body.innerHTML).toBe("");
  });
});

describe("redeemAtCheckout", () => {
  const redeemed = async () => FIVE_OFF_REDEEMED;
  test.each([
    {
      case: "code created and applied",
      redeem: redeemed,
      apply: async () => ({ type: "success" as const }),
      outcome: { outcome: "applied", code: "RE-ABCD-EFGH", title: "$5 off", balance: 734 },
    },
    {
      case: "code created, checkout refuses it",
      redeem: redeemed,
      apply: async () => ({ type: "error" as const, message: "not applicable" }),
      outcome: { outcome: "issued_not_applied", code: "RE-ABCD-EFGH", title: "$5 off", balance: 734 },
    },
    {
      case: "code created, applying throws",
      redeem: redeemed,
      apply: async (): Promise<{ type: "success" }> => {
        throw new Error("accelerated checkout");
      },
      outcome: { outcome: "issued_not_applied", code: "RE-ABCD-EFGH", title: "$5 off", balance: 734 },
    },
    {
      case: "app refuses with a message",
      redeem: async (): Promise<never> => {
        throw new RewardsApiError("insufficient_points", "You need 266 more points.", 409);
      },
      apply: async () => ({ type: "success" as const }),
      outcome: { outcome: "refused", message: "You need 266 more points." },
    },
    {
      case: "app unreachable",
      redeem: async (): Promise<never> => {
        throw new TypeError("fetch failed");
      },
      apply: async () => ({ type: "success" as const }),
      outcome: { outcome: "refused", message: "" },
    },
    {
      case: "store credit",
      redeem: async () => STORE_CREDIT_REDEEMED,
      apply: async () => ({ type: "success" as const }),
      outcome: { outcome: "credited", creditedMinor: 500, balance: 634 },
    },
  ])("$case", async ({ redeem, apply, outcome }) => {
    const applyDiscountCode = vi.fn(apply);
    expect(await redeemAtCheckout("r_1", { redeem, applyDiscountCode })).toStrictEqual(outcome);
    expect(applyDiscountCode).toHaveBeenCalledTimes(outcome.outcome === "applied" || outcome.outcome === "issued_not_applied" ? 1 : 0);
  });
});
