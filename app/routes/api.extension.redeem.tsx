/** POST /api/extension/redeem: the customer-account and checkout extensions redeem a reward (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redeemEndpoint } from "~/services/storefront/endpoints.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => redeemEndpoint(request, "session_token"));
// OPTIONS (the CORS preflight) reaches a route's loader, as GET does.
export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => redeemEndpoint(request, "session_token"));
