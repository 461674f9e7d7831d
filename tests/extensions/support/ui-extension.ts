/**
 * What Shopify gives a UI extension at run time, stood in for vitest + happy-dom: the `shopify` global (session
 * token, i18n over the extension's own locales/en.default.json, plus whatever a target adds) and the app's
 * extension API behind a fetch mock that records each request.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { render } from "preact";
import { vi } from "vitest";
import { APP_URL } from "../../../extensions/customer-account-rewards/src/app-url";

export const SESSION_TOKEN = "session-token-of-customer-1";

type Translations = Record<string, string | Record<string, string>>;

function translator(extensionDir: string) {
  const translations: Translations = JSON.parse(readFileSync(path.join(extensionDir, "locales", "en.default.json"), "utf8"));
  return (key: string, options: Record<string, string | number> = {}) => {
    let entry = translations[key];
    if (typeof entry === "object") entry = entry[new Intl.PluralRules("en").select(Number(options.count))] ?? entry.other;
    if (typeof entry !== "string") throw new Error(`no translation for ${key}`);
    return entry.replace(/{{\s*(\w+)\s*}}/g, (all, name: string) => (name in options ? String(options[name]) : all));
  };
}

export function mockShopify(extensionDir: string, api: Record<string, unknown> = {}) {
  const shopify = {
    sessionToken: { get: vi.fn(async () => SESSION_TOKEN) },
    i18n: {
      translate: translator(extensionDir),
      formatNumber: (n: number) => new Intl.NumberFormat("en-US").format(n),
      formatCurrency: (n: number, options: Intl.NumberFormatOptions = {}) => new Intl.NumberFormat("en-US", { ...options, style: "currency" }).format(n),
      formatDate: (date: Date, options: Intl.DateTimeFormatOptions = {}) => new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" }).format(date),
    },
    ...api,
  };
  vi.stubGlobal("shopify", shopify);
  return shopify;
}

export interface ApiCall {
  url: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

/** Answers `${APP_URL}/api/extension/<name>` with `replies[name]` ({ status, body }) and records each call. */
export function mockAppApi(replies: Record<string, { status: number; body: unknown }>) {
  const calls: ApiCall[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      calls.push({
        url: input,
        method: init.method ?? "GET",
        authorization: headers.get("Authorization"),
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      const name = input.startsWith(`${APP_URL}/api/extension/`) ? input.slice(`${APP_URL}/api/extension/`.length) : "";
      const reply = replies[name];
      if (!reply) return new Response("not found", { status: 404 });
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { "Content-Type": "application/json" } });
    }),
  );
  return { calls, replies };
}

/** Runs an extension module's default export, which renders into document.body, as Shopify does. */
export async function runExtension(module: { default: () => Promise<void> | void }) {
  await module.default();
}

export function unmountExtension() {
  render(null, document.body);
  vi.unstubAllGlobals();
}

export const text = () => document.body.textContent ?? "";

/** The `s-button` whose label is `label` (one, or the test fails). */
export function button(label: string, within: ParentNode = document.body): HTMLElement {
  const matches = [...within.querySelectorAll("s-button")].filter((el) => el.textContent?.trim() === label);
  if (matches.length !== 1) throw new Error(`expected one s-button "${label}", found ${matches.length}`);
  return matches[0] as HTMLElement;
}

export const buttons = (label: string) => [...document.querySelectorAll("s-button")].filter((el) => el.textContent?.trim() === label);
