/** GET /api/extension/program: the customer-account and checkout extensions' program info (session token; CORS). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { programEndpoint } from "~/services/storefront/endpoints.server";
import { withExtensionCors } from "~/services/storefront/responses.server";

export const loader = ({ request }: LoaderFunctionArgs) => withExtensionCors(request, () => programEndpoint(request, "session_token"));
export const action = ({ request }: ActionFunctionArgs) => withExtensionCors(request, () => programEndpoint(request, "session_token"));
