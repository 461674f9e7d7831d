/**
 * A small stand-in for Shopify's Liquid renderer, enough to render the theme app extension's blocks as a
 * storefront would: liquidjs with Shopify's `t` (locale files, pluralization by `count`, `{{ var }}`
 * interpolation) and `asset_url` filters, `{% render %}` of the extension's snippets, the `{% schema %}`
 * stripped and its setting defaults given to `block.settings`. The real markup is rendered, never a copy.
 * Used by the demo storefront and by the extension's tests.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid } from "liquidjs";

export const THEME_DIR = path.resolve("extensions/loyalty-theme");
export const ASSETS_DIR = path.join(THEME_DIR, "assets");
/** Where the demo storefront and the test servers serve the extension's assets from, as `asset_url` points. */
export const ASSET_PATH = "/assets/";

const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

export interface StorefrontContext {
  locale?: string;
  /** The signed-in customer, or null for a guest. */
  customer?: { id: number; first_name: string } | null;
  product?: { selected_or_first_available_variant: { price: number } };
  cart?: { total_price: number; currency: { iso_code: string } };
  /** The app-data metafield the app keeps with the program's earn rate. */
  earnRate?: { points: number; perMinor: number } | null;
}

type Translations = Record<string, unknown>;

function readLocale(locale: string): Translations {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(THEME_DIR, "locales", file), "utf8"));
}

function translate(translations: Translations, locale: string, key: string, args: [string, unknown][]): string {
  const vars = Object.fromEntries(args);
  let found: unknown = key.split(".").reduce<unknown>((node, part) => (node as Translations | undefined)?.[part], translations);
  if (found && typeof found === "object" && typeof vars.count === "number") {
    const forms = found as Record<string, string>;
    found = forms[new Intl.PluralRules(locale).select(vars.count)] ?? forms.other;
  }
  if (typeof found !== "string") return `translation missing: ${locale}.${key}`;
  return found.replace(/{{\s*(\w+)\s*}}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

function blockSchema(block: string): { target: string; settings: { id: string; default?: unknown }[] } {
  const source = readFileSync(path.join(THEME_DIR, "blocks", `${block}.liquid`), "utf8");
  return JSON.parse(SCHEMA.exec(source)![1]);
}

/** The HTML a storefront page gets for one of the extension's blocks (`blocks/<block>.liquid`). */
export async function renderBlock(block: string, context: StorefrontContext = {}): Promise<string> {
  const locale = context.locale ?? "en";
  const translations = readLocale(locale);
  const engine = new Liquid({ root: path.join(THEME_DIR, "snippets"), extname: ".liquid" });
  engine.registerFilter("t", (key: string, ...args: [string, unknown][]) => translate(translations, locale, key, args));
  engine.registerFilter("asset_url", (name: string) => `${ASSET_PATH}${name}`);
  // Shopify's Liquid divides integers as integers (rounding down); liquidjs would give a fraction.
  engine.registerFilter("divided_by", (dividend: number, divisor: number) =>
    Number.isInteger(dividend) && Number.isInteger(divisor) ? Math.floor(dividend / divisor) : dividend / divisor,
  );

  const source = readFileSync(path.join(THEME_DIR, "blocks", `${block}.liquid`), "utf8");
  const settings = Object.fromEntries(blockSchema(block).settings.map((setting) => [setting.id, setting.default]));
  const globals = {
    customer: context.customer ?? null,
    product: context.product,
    cart: context.cart ?? { total_price: 0, currency: { iso_code: "USD" } },
    request: { locale: { iso_code: locale } },
    routes: { account_login_url: "/account/login", account_register_url: "/account/register" },
    app: { metafields: { retention: { earn_rate: context.earnRate ? { value: context.earnRate } : undefined } } },
  };
  return engine.parseAndRender(source.replace(SCHEMA, ""), { block: { settings } }, { globals });
}
