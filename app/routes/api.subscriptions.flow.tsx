/** GET/POST /api/subscriptions/flow: where a cancel attempt stands, and the subscriber's next step in it (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cancelFlowEndpoint } from "~/services/cancel-save/api.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => cancelFlowEndpoint(request));
export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => cancelFlowEndpoint(request));
