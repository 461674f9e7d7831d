/** The embedded admin's frame: Polaris, App Bridge and the navigation. Every /app/* page is authenticated here. */
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { ChartProvider, chartStyles } from "~/components/Chart";
import { PageSkeleton } from "~/components/PageStates";
import { env } from "~/config/env.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }, chartStyles];

/** The admin's sections, in the order the navigation shows them (Home is the app's own entry). Add a page here. */
const NAV_LINKS: { to: string; label: string }[] = [
  { to: "/app/program", label: "Program" },
  { to: "/app/customers", label: "Customers" },
  { to: "/app/analytics", label: "Analytics" },
  { to: "/app/churn", label: "Churn radar" },
  { to: "/app/cancel-save", label: "Cancel-save" },
  { to: "/app/import", label: "Import / Export" },
  { to: "/app/billing", label: "Billing" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return { apiKey: env().SHOPIFY_API_KEY };
}

export default function AdminApp() {
  const { apiKey } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // A skeleton while another page's loader runs; a reload of the same page (after a save) keeps it in place.
  const switchingPage = navigation.state === "loading" && navigation.location.pathname !== location.pathname;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        {NAV_LINKS.map((link) => (
          <Link key={link.to} to={link.to}>
            {link.label}
          </Link>
        ))}
      </NavMenu>
      <ChartProvider>{switchingPage ? <PageSkeleton /> : <Outlet />}</ChartProvider>
    </AppProvider>
  );
}

// Shopify's boundary keeps the auth redirects (exit-iframe, bounce) working inside the admin.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
