/** GET /api/subscriptions: the customer-account extension lists the customer's subscriptions (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { subscriptionsEndpoint } from "~/services/cancel-save/api.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => subscriptionsEndpoint(request));
export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => subscriptionsEndpoint(request));
