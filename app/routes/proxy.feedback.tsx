/** /proxy/feedback (the shop's /apps/rewards/feedback via Shopify's App Proxy): the NPS/CSAT survey page. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { feedbackProxyPage } from "~/services/churn/feedback-page.server";

export const loader = ({ request }: LoaderFunctionArgs) => feedbackProxyPage(request);
export const action = ({ request }: ActionFunctionArgs) => feedbackProxyPage(request);
