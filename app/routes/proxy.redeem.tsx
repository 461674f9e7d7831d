/** POST /proxy/redeem (the shop's /apps/rewards/redeem via Shopify's App Proxy): the logged-in customer redeems a reward. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redeemEndpoint } from "~/services/storefront/endpoints.server";

export const action = ({ request }: ActionFunctionArgs) => redeemEndpoint(request, "app_proxy");
export const loader = ({ request }: LoaderFunctionArgs) => redeemEndpoint(request, "app_proxy");
