import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { env } from "~/config/env.server";

export async function loader() {
  return { demo: env().DEMO_MODE };
}

export default function App() {
  const { demo } = useLoaderData<typeof loader>();
  // The page answers clicks and keeps what is typed only once React has hydrated it (the fields are controlled:
  // a value typed earlier is reset by the first render). Browser tests and the screenshot script wait for this.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        {/* Demo only: Shopify's CDN is unreachable, so a local stand-in provides window.shopify (App Bridge). */}
        {demo ? <script src="/demo/app-bridge-stand-in.js" /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
