/** /proxy/subscriptions (the shop's /apps/rewards/subscriptions via Shopify's App Proxy): the theme's subscriptions page and its cancel flow. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { subscriptionsProxyPage } from "~/services/cancel-save/proxy-page.server";

export const loader = ({ request }: LoaderFunctionArgs) => subscriptionsProxyPage(request);
export const action = ({ request }: ActionFunctionArgs) => subscriptionsProxyPage(request);
