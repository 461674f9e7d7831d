import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { Chart } from "~/components/Chart";
import { FigureCard } from "~/components/Figure";
import { formatMoney, formatMonth, formatPercent } from "~/components/format";
import { PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { programAnalytics } from "~/services/admin/analytics.server";
import { adminContext } from "~/services/admin/context.server";
import { loadProgram } from "~/services/admin/program.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const program = await loadProgram(getDatabase(), context.shopId);
  return { analytics: await programAnalytics(getDatabase(), context.shopId, program.settings, new Date()), currencyCode: program.currencyCode };
}

export default function Analytics() {
  const { analytics, currencyCode } = useLoaderData<typeof loader>();
  const { flow, members, nonMembers } = analytics;
  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currencyCode));
  return (
    <Page title="Analytics" subtitle="The last 12 months, and balances as of now" secondaryActions={[{ content: "Retention and churn", url: "/app/churn" }]}>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <FigureCard label="Points issued" value={flow.issued.toLocaleString("en-US")} />
          <FigureCard label="Points redeemed" value={flow.redeemed.toLocaleString("en-US")} />
          <FigureCard label="Redemption rate" value={formatPercent(analytics.redemptionRate)} help="Points redeemed ÷ points issued" />
          <FigureCard
            label="Outstanding liability"
            value={analytics.liabilityMinor === null ? `${analytics.outstanding.points.toLocaleString("en-US")} pts` : money(analytics.liabilityMinor)}
            help={analytics.liabilityMinor === null ? "Add a fixed-amount or store-credit reward to value points in money" : `${analytics.outstanding.points.toLocaleString("en-US")} points at the best reward's rate`}
          />
        </InlineGrid>
        <TitledCard title="Points issued and redeemed per month">
          <Chart
            kind="line"
            label="Points issued and redeemed per month"
            series={[
              { name: "Issued", data: analytics.months.map((m) => ({ key: formatMonth(m.month), value: m.issued })) },
              { name: "Redeemed", data: analytics.months.map((m) => ({ key: formatMonth(m.month), value: m.redeemed })) },
            ]}
          />
        </TitledCard>
        <Layout>
          <Layout.Section>
            <TitledCard title="Members and non-members">
              <DataTable
                hideScrollIndicator
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={["", "Customers", "Repeat-purchase rate", "Average order value"]}
                rows={[
                  ["Members", members.customers.toLocaleString("en-US"), formatPercent(members.repeatPurchaseRate), money(members.averageOrderValueMinor)],
                  ["Non-members", nonMembers.customers.toLocaleString("en-US"), formatPercent(nonMembers.repeatPurchaseRate), money(nonMembers.averageOrderValueMinor)],
                ]}
              />
              <Text as="p" tone="subdued" variant="bodySm">
                Members have points activity; non-members bought without taking part. Repeat-purchase rate: customers with two or more orders ÷ customers with an order.
              </Text>
              <Chart
                kind="bar"
                label="Repeat-purchase rate, members and non-members"
                height={200}
                series={[{ name: "Repeat-purchase rate (%)", data: [
                  { key: "Members", value: members.repeatPurchaseRate === null ? null : Math.round(members.repeatPurchaseRate * 1000) / 10 },
                  { key: "Non-members", value: nonMembers.repeatPurchaseRate === null ? null : Math.round(nonMembers.repeatPurchaseRate * 1000) / 10 },
                ] }]}
              />
            </TitledCard>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <TitledCard title="Tier distribution">
              <Chart kind="donut" label="Customers per tier" height={220} series={analytics.tiers.map((tier) => ({ name: tier.name, data: [{ key: tier.name, value: tier.customers }] }))} />
            </TitledCard>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
