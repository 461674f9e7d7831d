/** POST /api/subscriptions/pause: resume a paused subscription now, or extend its pause (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { pauseEndpoint } from "~/services/cancel-save/api.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => pauseEndpoint(request));
// OPTIONS (the CORS preflight) reaches a route's loader, as GET does.
export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => pauseEndpoint(request));
