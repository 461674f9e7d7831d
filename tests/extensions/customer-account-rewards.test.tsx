// @vitest-environment happy-dom
/**
 * The customer-account extension (Rewards page and profile block) rendered with Preact in happy-dom, with the
 * `shopify` global and the app's extension API mocked.
 */
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { APP_URL } from "../../extensions/customer-account-rewards/src/app-url";
import * as profileBlock from "../../extensions/customer-account-rewards/src/ProfileBlock";
import * as rewardsPage from "../../extensions/customer-account-rewards/src/RewardsPage";
import { FIVE_OFF_REDEEMED, memberAnn, programResponse, refusal, STORE_CREDIT_REDEEMED } from "./fixtures/program";
import { button, buttons, mockAppApi, mockShopify, runExtension, SESSION_TOKEN, text, unmountExtension } from "./support/ui-extension";

const EXTENSION = path.resolve("extensions/customer-account-rewards");

afterEach(unmountExtension);

function open(replies: Parameters<typeof mockAppApi>[0]) {
  mockShopify(EXTENSION);
  return mockAppApi(replies);
}

describe("the Rewards page", () => {
  test("shows the balance, tier progress, rewards, referral link and history from the app", async () => {
    const api = open({ program: { status: 200, body: programResponse() } });
    await runExtension(rewardsPage);

    await vi.waitFor(() => expect(text()).toContain("1,234 points"));
    expect(document.querySelector("s-page")?.getAttribute("heading")).toBe("Rewards");
    expect(text()).toContain("50 points pending");
    expect(text()).toContain("Your tier: Gold");
    expect(document.querySelector("s-progress")?.getAttribute("value")).toBe("40");
    expect(text()).toContain("$200.00 more to reach Platinum");
    expect(buttons("Redeem")).toHaveLength(3);
    expect(text()).toContain("1,766 points more needed");
    expect(text()).toContain("Platinum members only");
    expect(text()).toContain("https://demo-shop.myshopify.com/?ref=ANN123");
    expect(document.querySelector("#referral-url")?.getAttribute("text")).toBe("https://demo-shop.myshopify.com/?ref=ANN123");
    expect(text()).toContain("Order #1001");
    expect(text()).toContain("-500");
    expect(text()).toContain("RE-OLDC-ODE1");
    expect(api.calls).toEqual([{ url: `${APP_URL}/api/extension/program`, method: "GET", authorization: `Bearer ${SESSION_TOKEN}`, body: undefined }]);
  });

  test("redeeming shows the new code to copy and the new balance", async () => {
    const api = open({ program: { status: 200, body: programResponse() }, redeem: { status: 200, body: FIVE_OFF_REDEEMED } });
    await runExtension(rewardsPage);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[0].click();

    await vi.waitFor(() => expect(text()).toContain("Your code RE-ABCD-EFGH is ready. Enter it at checkout."));
    expect(document.querySelector("#redeemed-code")?.getAttribute("text")).toBe("RE-ABCD-EFGH");
    expect(text()).toContain("734 points");
    expect(text()).not.toContain("1,234 points");
    expect(api.calls.at(-1)).toEqual({
      url: `${APP_URL}/api/extension/redeem`,
      method: "POST",
      authorization: `Bearer ${SESSION_TOKEN}`,
      body: { rewardId: "r_1" },
    });
  });

  test("store credit says how much was credited", async () => {
    open({ program: { status: 200, body: programResponse() }, redeem: { status: 200, body: STORE_CREDIT_REDEEMED } });
    await runExtension(rewardsPage);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[2].click();

    await vi.waitFor(() => expect(text()).toContain("$5.00 was added to your store credit."));
    expect(document.querySelector("s-banner")?.getAttribute("tone")).toBe("success");
  });

  test("a refused redemption shows the app's message and leaves the balance as it was", async () => {
    open({
      program: { status: 200, body: programResponse() },
      redeem: { status: 409, body: refusal("insufficient_points", "You need 266 more points for this reward.") },
    });
    await runExtension(rewardsPage);
    await vi.waitFor(() => expect(buttons("Redeem")).toHaveLength(3));

    buttons("Redeem")[0].click();

    await vi.waitFor(() => expect(document.querySelector('s-banner[tone="critical"]')?.textContent).toBe("You need 266 more points for this reward."));
    expect(text()).toContain("1,234 points");
    expect(text()).not.toContain("RE-ABCD-EFGH");
  });

  test("a program that cannot be loaded offers to try again", async () => {
    const api = open({ program: { status: 503, body: refusal("unavailable", "down") } });
    await runExtension(rewardsPage);

    await vi.waitFor(() => expect(document.querySelector('s-banner[tone="critical"]')?.getAttribute("heading")).toBe("We couldn't load your rewards. Please try again."));
    api.replies.program = { status: 200, body: programResponse() };
    button("Try again").click();

    await vi.waitFor(() => expect(text()).toContain("1,234 points"));
  });
});

describe("the profile block", () => {
  test("summarises balance and tier and links to the Rewards page", async () => {
    open({ program: { status: 200, body: programResponse(memberAnn({ nextTier: null, tier: { id: "t_3", name: "Platinum" } })) } });
    await runExtension(profileBlock);

    await vi.waitFor(() => expect(text()).toContain("1,234 points"));
    expect(text()).toContain("Your tier: Platinum");
    expect(text()).toContain("You've reached the top tier.");
    expect(document.querySelector("s-progress")).toBeNull();
    expect(document.querySelector("s-link")?.getAttribute("href")).toBe("extension://rewards-page");
    expect(buttons("Redeem")).toHaveLength(0);
  });

  test("shows nothing when the program is switched off", async () => {
    const response = programResponse();
    response.program.enabled = false;
    open({ program: { status: 200, body: response } });
    await runExtension(profileBlock);

    await vi.waitFor(() => expect(document.querySelector("s-spinner")).toBeNull());
    expect(text()).toBe("");
  });
});
