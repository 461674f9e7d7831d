/** GET /proxy/program (the shop's /apps/rewards/program via Shopify's App Proxy): program info, and the logged-in customer's rewards. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { programEndpoint } from "~/services/storefront/endpoints.server";

export const loader = ({ request }: LoaderFunctionArgs) => programEndpoint(request, "app_proxy");
export const action = ({ request }: ActionFunctionArgs) => programEndpoint(request, "app_proxy");
