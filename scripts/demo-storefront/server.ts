/**
 * The demo storefront: a small node:http server that plays Shopify's Online Store for one shop, so a person
 * (or a browser test) can use the storefront widget with no Shopify. It renders a home, a product and a cart
 * page with the theme app extension's real Liquid (app embed and blocks), serves the extension's assets, and
 * does what Shopify does around the app:
 * - `/apps/rewards/*` is forwarded to the app's `/proxy/*` with Shopify's appended parameters (shop,
 *   logged_in_customer_id, path_prefix, timestamp) signed with the app secret; cookies are not forwarded.
 * - `/discount/CODE` stores the code for checkout (a cookie here) and redirects; the cart page shows it.
 * - `/account/login` stands in for customer login: the email of one of the shop's customers, no password.
 * - `/account/register` stands in for sign-up: a new customer (no orders) with a first name and an email, signed in
 *   at once, e.g. a friend who followed a customer's referral link (`/?ref=CODE`, which the widget keeps).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid } from "liquidjs";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { ASSET_PATH, ASSETS_DIR, renderBlock, type StorefrontContext } from "./theme";

export const PROXY_PREFIX = "/apps/rewards";

export interface StorefrontCustomer {
  id: string;
  firstName: string;
}

export interface DemoStorefrontOptions {
  shop: string;
  /** The app's origin; `/apps/rewards/*` goes to `${appUrl}/proxy/*`. */
  appUrl: string;
  /** The app's API secret, with which Shopify signs App Proxy requests. */
  secret: string;
  /** The shop's customers, by email (as the shop's customer login would find them). */
  findCustomer: (email: string) => StorefrontCustomer | null;
  /** A few customers' emails to suggest on the login page. */
  loginExamples: string[];
  /** The app-data metafield the theme reads as `app.metafields.retention.earn_rate`, as Shopify stores it. */
  earnRate: () => { points: number; perMinor: number } | null;
  port?: number;
  /** The address to listen on; every interface when omitted (then the origin says localhost). */
  host?: string;
  now?: () => Date;
}

export interface DemoStorefront {
  origin: string;
  close(): Promise<void>;
}

const TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), "templates");
const CURRENCY = "USD";
const money = (minor: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY }).format(minor / 100);

const PRODUCT = {
  handle: "organic-tee",
  title: "Organic cotton tee",
  description: "A heavyweight tee in organic cotton.",
  price: 2_500,
};
const CART_LINES = [
  { title: PRODUCT.title, quantity: 2, unitPrice: PRODUCT.price },
  { title: "Canvas tote", quantity: 1, unitPrice: 1_800 },
];

const liquid = new Liquid({ root: TEMPLATES, extname: ".liquid", outputEscape: "escape", cache: true });

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .filter(([name, value]) => name && value !== undefined)
      .map(([name, value]) => [name, decodeURIComponent(value)]),
  );
}

async function readBody(req: IncomingMessage, limit = 1_048_576): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startDemoStorefront(options: DemoStorefrontOptions): Promise<DemoStorefront> {
  const now = options.now ?? (() => new Date());
  // Customers who logged in, by the session cookie's value (as Shopify's own customer session would be).
  const sessions = new Map<string, StorefrontCustomer>();
  // Customers who signed up here, by email; ids from 9,000,000,001, clear of the seeded ones (7,000,000,000 + n).
  const registered = new Map<string, StorefrontCustomer>();
  const findCustomer = (email: string) => registered.get(email) ?? options.findCustomer(email);
  const signIn = (res: ServerResponse, customer: StorefrontCustomer) => {
    const token = crypto.randomUUID();
    sessions.set(token, customer);
    res.writeHead(303, { location: "/", "set-cookie": `customer_session=${token}; Path=/; HttpOnly; SameSite=Lax` }).end();
  };

  async function page(res: ServerResponse, template: string, title: string, customer: StorefrontCustomer | null, extra: Record<string, unknown> = {}) {
    const context: StorefrontContext = {
      customer: customer && { id: Number(customer.id), first_name: customer.firstName },
      product: { selected_or_first_available_variant: { price: PRODUCT.price } },
      cart: { total_price: cartTotal(), currency: { iso_code: CURRENCY } },
      earnRate: options.earnRate(),
    };
    const blockNames = { index: ["points-balance", "tier-progress", "ways-to-earn"], product: ["product-points"], cart: ["cart-points"] }[template] ?? [];
    const blocks = Object.fromEntries(await Promise.all(blockNames.map(async (name) => [name.replace(/-/g, "_"), await renderBlock(name, context)])));
    const globals = {
      locale: "en",
      title,
      shop_name: "Demo Shop",
      customer: customer && { first_name: customer.firstName },
      product: { ...PRODUCT, price_formatted: money(PRODUCT.price) },
      cart: {
        item_count: CART_LINES.reduce((sum, line) => sum + line.quantity, 0),
        items: CART_LINES.map((line) => ({ ...line, line_price_formatted: money(line.unitPrice * line.quantity) })),
        total_price_formatted: money(cartTotal()),
      },
      blocks,
      ...extra,
    };
    const content = await liquid.renderFile(template, globals);
    const html = await liquid.renderFile("layout", { ...globals, content_for_layout: content, app_embed: await renderBlock("loyalty-embed", context) });
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  }

  async function forwardToAppProxy(req: IncomingMessage, res: ServerResponse, url: URL, customer: StorefrontCustomer | null) {
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    Object.assign(query, { shop: options.shop, logged_in_customer_id: customer?.id ?? "", path_prefix: PROXY_PREFIX });
    const signed = signAppProxyQuery(query, options.secret, now());
    const target = `${options.appUrl}/proxy${url.pathname.slice(PROXY_PREFIX.length)}?${signed}`;
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
    const headers: Record<string, string> = {
      "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1",
      "x-forwarded-host": options.shop,
    };
    for (const name of ["content-type", "accept", "user-agent"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const response = await fetch(target, { method: req.method, headers, body, redirect: "manual" });
    const passed: Record<string, string> = {};
    for (const name of ["content-type", "cache-control", "retry-after", "location"]) {
      const value = response.headers.get(name);
      if (value) passed[name] = value;
    }
    res.writeHead(response.status, passed).end(Buffer.from(await response.arrayBuffer()));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://storefront.local");
    const session = cookies(req).customer_session;
    const customer = (session && sessions.get(session)) || null;
    const route = `${req.method} ${url.pathname}`;

    if (url.pathname === PROXY_PREFIX || url.pathname.startsWith(`${PROXY_PREFIX}/`)) return forwardToAppProxy(req, res, url, customer);
    if (req.method === "GET" && url.pathname.startsWith(ASSET_PATH)) {
      const name = path.basename(url.pathname);
      const type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : null;
      if (!type) return void res.writeHead(404).end();
      const content = await readFile(path.join(ASSETS_DIR, name)).catch(() => null);
      return void (content ? res.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(content) : res.writeHead(404).end());
    }
    if (req.method === "GET" && url.pathname.startsWith("/discount/")) {
      const code = decodeURIComponent(url.pathname.slice("/discount/".length));
      const redirect = url.searchParams.get("redirect") ?? "/";
      return void res
        .writeHead(302, {
          location: redirect.startsWith("/") && !redirect.startsWith("//") ? redirect : "/",
          "set-cookie": `discount_code=${encodeURIComponent(code)}; Path=/; SameSite=Lax`,
        })
        .end();
    }
    switch (route) {
      case "GET /":
        return page(res, "index", "Home", customer);
      case `GET /products/${PRODUCT.handle}`:
        return page(res, "product", PRODUCT.title, customer);
      case "GET /cart":
        return page(res, "cart", "Cart", customer, { discount_code: cookies(req).discount_code ?? null });
      case "GET /account/login":
        return page(res, "login", "Log in", customer, { login_examples: options.loginExamples });
      case "GET /account/register":
        return page(res, "register", "Create an account", customer);
      case "POST /account/login": {
        const email = new URLSearchParams((await readBody(req, 16_384)).toString("utf8")).get("email")?.trim().toLowerCase() ?? "";
        const found = findCustomer(email);
        if (!found) {
          return page(res, "login", "Log in", null, { email, error: "No customer has that email.", login_examples: options.loginExamples });
        }
        return signIn(res, found);
      }
      case "POST /account/register": {
        const form = new URLSearchParams((await readBody(req, 16_384)).toString("utf8"));
        const email = form.get("email")?.trim().toLowerCase() ?? "";
        const firstName = form.get("first_name")?.trim().slice(0, 100) ?? "";
        const error = !/^[^\s@]+@[^\s@]+$/.test(email) || !firstName ? "Enter your first name and email." : findCustomer(email) ? "A customer with that email exists: log in instead." : null;
        if (error) return page(res, "register", "Create an account", null, { email, first_name: firstName, error });
        const created = { id: String(9_000_000_000 + registered.size + 1), firstName };
        registered.set(email, created);
        return signIn(res, created);
      }
      case "POST /account/logout":
        if (session) sessions.delete(session);
        return void res.writeHead(303, { location: "/", "set-cookie": "customer_session=; Path=/; Max-Age=0" }).end();
      default:
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`demo storefront: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${options.host ?? "localhost"}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cartTotal(): number {
  return CART_LINES.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
}
