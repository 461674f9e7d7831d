// @vitest-environment happy-dom
/**
 * The customer-account Subscriptions page (Preact, s-* components) rendered in happy-dom with the `shopify` global
 * and the app's cancel-save API mocked: Cancel, the survey, the one offer, Accept or Decline, the confirmation,
 * and a refused step that stays on screen with its Cancel button. Also: the page bundles within Shopify's limit.
 */
import path from "node:path";
import { build } from "esbuild";
import { afterEach, describe, expect, test, vi } from "vitest";
import { APP_URL } from "../../../extensions/customer-account-rewards/src/app-url";
import type { Flow, Subscription } from "../../../extensions/customer-account-subscriptions/src/subscriptions";
import * as subscriptionsPage from "../../../extensions/customer-account-subscriptions/src/SubscriptionsPage";
import { button, buttons, mockShopify, runExtension, SESSION_TOKEN, text, unmountExtension } from "../../extensions/support/ui-extension";

const EXTENSION = path.resolve("extensions/customer-account-subscriptions");

const coffee: Subscription = {
  id: "7001",
  status: "ACTIVE",
  title: "2 × House blend 1 kg",
  pricePerCycle: { amountMinor: 2500, currencyCode: "USD" },
  billing: { interval: "MONTH", intervalCount: 1 },
  nextBillingDate: "2026-03-22T12:00:00.000Z",
  pause: null,
  canCancel: true,
  canResume: false,
};

const REASONS = [
  { code: "too_expensive", label: "It's too expensive", asksFreeText: false },
  { code: "not_using_it", label: "I'm not using it", asksFreeText: false },
  { code: "other", label: "Something else", asksFreeText: true },
];

function flow(step: Flow["step"], extra: Partial<Flow> = {}): Flow {
  const actions: Record<Flow["step"], Flow["actions"]> = { survey: ["cancel_now", "give_reason"], offer: ["accept_offer", "decline_offer"], accepted: [], cancelled: [] };
  return { attemptId: "6f1c0a52-3c7e-4d65-9f7e-1f2a3b4c5d6e", contractId: "7001", step, actions: actions[step], reasons: step === "survey" ? REASONS : [], reason: null, offer: null, cancelledVia: null, subscription: coffee, ...extra };
}

const PAUSE_OFFER = { kind: "pause" as const, months: 1, resumeOn: "2026-04-10T12:00:00.000Z" };
const refusal = (code: string, message: string, flowState?: Flow) => ({ error: { code, message }, ...(flowState ? { flow: flowState } : {}) });

type Reply = { status: number; body: unknown };
interface Call {
  path: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

/** The app's API: each call to `/api/subscriptions<path>` gets the next reply queued for that path. */
function mockSubscriptionsApi(replies: Record<string, Reply[]>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      const pathName = url.pathname.replace(/^\/api\/subscriptions/, "");
      calls.push({ path: pathName, method: init.method ?? "GET", authorization: new Headers(init.headers).get("Authorization"), body: init.body ? JSON.parse(String(init.body)) : undefined });
      const reply = url.origin === APP_URL ? replies[pathName]?.shift() : undefined;
      if (!reply) return new Response("not found", { status: 404 });
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { "Content-Type": "application/json" } });
    }),
  );
  return calls;
}

function open(replies: Record<string, Reply[]>) {
  mockShopify(EXTENSION, { localization: { language: { value: { isoCode: "pl-PL" } } } });
  return mockSubscriptionsApi(replies);
}

function choose(reason: string) {
  const list = document.querySelector("s-choice-list") as HTMLElement & { values: string[] };
  list.values = [reason];
  list.dispatchEvent(new Event("change"));
}

/** The page's text and its sections' and banners' headings (attributes of s-section and s-banner). */
const shown = () => `${[...document.querySelectorAll("[heading]")].map((el) => el.getAttribute("heading")).join(" | ")} | ${text()}`;

afterEach(unmountExtension);

describe("the Subscriptions page", () => {
  test("lists the subscriptions with price, frequency, next order and Cancel", async () => {
    const calls = open({ "": [{ status: 200, body: { subscriptions: [coffee] } }] });
    await runExtension(subscriptionsPage);

    await vi.waitFor(() => expect(text()).toContain("2 × House blend 1 kg"));
    expect(text()).toContain("$25.00 every month");
    expect(text()).toContain("Next order: March 22, 2026");
    expect(buttons("Cancel subscription")).toHaveLength(1);
    expect(calls).toEqual([{ path: "", method: "GET", authorization: `Bearer ${SESSION_TOKEN}`, body: undefined }]);
  });

  test("Cancel → survey → a reason → the one offer → Decline: cancelled, in two steps after the first press", async () => {
    const calls = open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("survey") }],
      "/flow": [
        { status: 200, body: flow("offer", { reason: "not_using_it", offer: PAUSE_OFFER }) },
        { status: 200, body: flow("cancelled", { cancelledVia: "declined_offer", subscription: { ...coffee, status: "CANCELLED", canCancel: false } }) },
      ],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));

    button("Cancel subscription").click();
    await vi.waitFor(() => expect(shown()).toContain("Before you go, why are you cancelling?"));
    expect(text()).toContain("It's too expensive");
    expect(buttons("Cancel subscription now")).toHaveLength(1);

    choose("not_using_it");
    await vi.waitFor(() => expect(button("Continue").hasAttribute("disabled")).toBe(false));
    button("Continue").click();
    await vi.waitFor(() => expect(text()).toContain("Pause your subscription for 1 month, until April 10, 2026."));
    expect(buttons("Accept offer")).toHaveLength(1);

    button("No thanks, cancel my subscription").click();
    await vi.waitFor(() => expect(shown()).toContain("Your subscription is cancelled"));
    expect(text()).toContain("You won't be charged for it again.");
    expect(calls.slice(1).map((c) => [c.method, c.path, c.body])).toEqual([
      ["POST", "/cancel", { contractId: "7001" }],
      ["POST", "/flow", { attemptId: flow("survey").attemptId, event: { type: "give_reason", reason: "not_using_it", freeText: null } }],
      ["POST", "/flow", { attemptId: flow("survey").attemptId, event: { type: "decline_offer" } }],
    ]);
    expect(calls.every((c) => c.authorization === `Bearer ${SESSION_TOKEN}`)).toBe(true);
  });

  test("Cancel subscription now from the survey cancels in one step", async () => {
    const calls = open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("survey") }],
      "/flow": [{ status: 200, body: flow("cancelled", { cancelledVia: "cancel_now" }) }],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));
    button("Cancel subscription").click();
    await vi.waitFor(() => expect(buttons("Cancel subscription now")).toHaveLength(1));

    button("Cancel subscription now").click();

    await vi.waitFor(() => expect(shown()).toContain("Your subscription is cancelled"));
    expect(calls.at(-1)?.body).toEqual({ attemptId: flow("survey").attemptId, event: { type: "cancel_now" } });
  });

  test("the free text box appears for a reason that asks for it, and its text is sent", async () => {
    const calls = open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("survey") }],
      "/flow": [{ status: 200, body: flow("cancelled", { cancelledVia: "no_offer" }) }],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));
    button("Cancel subscription").click();
    await vi.waitFor(() => expect(document.querySelector("s-choice-list")).not.toBeNull());
    expect(document.querySelector("s-text-area")).toBeNull();

    choose("other");
    await vi.waitFor(() => expect(document.querySelector("s-text-area")).not.toBeNull());
    const area = document.querySelector("s-text-area") as HTMLElement & { value: string };
    area.value = "Moving abroad";
    area.dispatchEvent(new Event("input"));
    // Preact re-renders after the event; the customer's click comes after that.
    await new Promise((resolve) => setTimeout(resolve, 0));
    button("Continue").click();

    await vi.waitFor(() => expect(shown()).toContain("Your subscription is cancelled"));
    expect(calls.at(-1)?.body).toEqual({ attemptId: flow("survey").attemptId, event: { type: "give_reason", reason: "other", freeText: "Moving abroad" } });
  });

  test("accepting shows the confirmation only after the app confirms it", async () => {
    open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("offer", { reason: "not_using_it", offer: PAUSE_OFFER }) }],
      "/flow": [
        {
          status: 200,
          body: flow("accepted", { offer: PAUSE_OFFER, subscription: { ...coffee, status: "PAUSED", canResume: true, pause: { resumeOn: PAUSE_OFFER.resumeOn, extendableByMonths: [1, 2] } } }),
        },
      ],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));
    button("Cancel subscription").click();
    await vi.waitFor(() => expect(buttons("Accept offer")).toHaveLength(1));

    button("Accept offer").click();

    await vi.waitFor(() => expect(shown()).toContain("Thanks for staying!"));
    expect(text()).toContain("Your subscription is paused until April 10, 2026.");
    button("Back to your subscriptions").click();
    await vi.waitFor(() => expect(buttons("Resume now")).toHaveLength(1));
    expect(text()).toContain("Paused until April 10, 2026");
  });

  test("a refused acceptance keeps the offer, says nothing changed, and Decline is still there", async () => {
    open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("offer", { offer: PAUSE_OFFER }) }],
      "/flow": [{ status: 502, body: refusal("change_failed", "We couldn't make this change.", flow("offer", { offer: PAUSE_OFFER })) }],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));
    button("Cancel subscription").click();
    await vi.waitFor(() => expect(buttons("Accept offer")).toHaveLength(1));

    button("Accept offer").click();

    await vi.waitFor(() => expect(document.querySelector('s-banner[tone="critical"]')?.textContent).toBe("We couldn't make this change, so nothing has changed. Please try again, or cancel your subscription."));
    expect(shown()).not.toContain("Thanks for staying!");
    expect(buttons("No thanks, cancel my subscription")).toHaveLength(1);
    expect(buttons("Accept offer")).toHaveLength(1);
  });

  test("a refused cancellation says it was not cancelled and keeps Cancel subscription now", async () => {
    open({
      "": [{ status: 200, body: { subscriptions: [coffee] } }],
      "/cancel": [{ status: 200, body: flow("survey") }],
      "/flow": [{ status: 502, body: refusal("cancel_failed", "We couldn't cancel.", flow("survey")) }],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Cancel subscription")).toHaveLength(1));
    button("Cancel subscription").click();
    await vi.waitFor(() => expect(buttons("Cancel subscription now")).toHaveLength(1));

    button("Cancel subscription now").click();

    await vi.waitFor(() => expect(text()).toContain("so it has not been cancelled"));
    expect(shown()).not.toContain("Your subscription is cancelled");
    expect(buttons("Cancel subscription now")).toHaveLength(1);
  });

  test("a paused subscription can be resumed now", async () => {
    const paused: Subscription = { ...coffee, status: "PAUSED", canResume: true, pause: { resumeOn: "2026-04-10T12:00:00.000Z", extendableByMonths: [1, 2, 3] } };
    const calls = open({
      "": [{ status: 200, body: { subscriptions: [paused] } }],
      "/pause": [{ status: 200, body: { subscription: { ...coffee, nextBillingDate: "2026-03-10T12:00:00.000Z" } } }],
    });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(buttons("Resume now")).toHaveLength(1));
    expect(document.querySelectorAll("s-option")).toHaveLength(3);

    button("Resume now").click();

    await vi.waitFor(() => expect(text()).toContain("Next order: March 10, 2026"));
    expect(buttons("Resume now")).toHaveLength(0);
    expect(calls.at(-1)).toMatchObject({ path: "/pause", method: "POST", body: { contractId: "7001", action: "resume" } });
  });

  test("subscriptions that cannot be loaded offer to try again", async () => {
    open({ "": [{ status: 503, body: refusal("unavailable", "down") }, { status: 200, body: { subscriptions: [coffee] } }] });
    await runExtension(subscriptionsPage);
    await vi.waitFor(() => expect(document.querySelector('s-banner[tone="critical"]')?.getAttribute("heading")).toBe("We couldn't load your subscriptions. Please try again."));
    button("Try again").click();
    await vi.waitFor(() => expect(text()).toContain("2 × House blend 1 kg"));
  });
});

test("the page bundles within Shopify's 64 KB limit for a UI extension", async () => {
  const result = await build({
    entryPoints: ["extensions/customer-account-subscriptions/src/SubscriptionsPage.tsx"],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    jsx: "automatic",
    write: false,
    logLevel: "silent",
  });
  expect(result.errors).toEqual([]);
  expect(result.outputFiles[0].text).toMatch(/export\s*\{[^}]*as default/);
  expect(result.outputFiles[0].contents.length).toBeLessThanOrEqual(64 * 1024);
});
