/** POST /proxy/referral (the shop's /apps/rewards/referral via Shopify's App Proxy): a referred friend's first-order discount code. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { referralEndpoint } from "~/services/storefront/endpoints.server";

export const action = ({ request }: ActionFunctionArgs) => referralEndpoint(request, "app_proxy");
export const loader = ({ request }: LoaderFunctionArgs) => referralEndpoint(request, "app_proxy");
