/** POST /api/subscriptions/cancel: the subscriber pressed Cancel in the customer-account extension (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cancelStartEndpoint } from "~/services/cancel-save/api.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => cancelStartEndpoint(request));
// OPTIONS (the CORS preflight) reaches a route's loader, as GET does.
export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => cancelStartEndpoint(request));
