/** Cancel-save in the admin: its report, offers and rules, and subscribers, under one set of tabs. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLocation, useNavigate } from "@remix-run/react";
import { Box, Tabs } from "@shopify/polaris";
import { PageErrorBoundary } from "~/components/PageStates";
import { adminContext } from "~/services/admin/context.server";

const TABS = [
  { id: "cancel-save-report", content: "Report", to: "/app/cancel-save" },
  { id: "cancel-save-settings", content: "Offers & rules", to: "/app/cancel-save/settings" },
  { id: "cancel-save-subscribers", content: "Subscribers", to: "/app/cancel-save/subscribers" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await adminContext(request);
  return null;
}

export default function CancelSave() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((tab) => tab.to === pathname.replace(/\/$/, "")));
  return (
    <>
      <Box paddingInline="400" paddingBlockStart="400">
        <Tabs tabs={TABS} selected={selected} onSelect={(index) => navigate(TABS[index].to)} />
      </Box>
      <Outlet />
    </>
  );
}

export const ErrorBoundary = PageErrorBoundary;
