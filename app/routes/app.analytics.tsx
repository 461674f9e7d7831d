import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { Chart } from "~/components/Chart";
import { formatMoney, formatPercent } from "~/components/format";
import { PageErrorBoundary } from "~/components/PageStates";
import { getDatabase } from "~/data/database.server";
import { programAnalytics } from "~/services/admin/analytics.server";
import { adminContext } from "~/services/admin/context.server";
import { loadProgram } from "~/services/admin/program.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const program = await loadProgram(getDatabase(), context.shopId);
  return { analytics: await programAnalytics(getDatabase(), context.shopId, program.settings, new Date()), currencyCode: program.currencyCode };
}

const monthLabel = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });

export default function Analytics() {
  const { analytics, currencyCode } = useLoaderData<typeof loader>();
  const { flow, members, nonMembers } = analytics;
  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currencyCode));
  return (
    <Page title="Analytics" subtitle="The last 12 months, and balances as of now" secondaryActions={[{ content: "Retention and churn", url: "/app/churn" }]}>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <Figure label="Points issued" value={flow.issued.toLocaleString("en-US")} />
          <Figure label="Points redeemed" value={flow.redeemed.toLocaleString("en-US")} />
          <Figure label="Redemption rate" value={formatPercent(analytics.redemptionRate)} help="Points redeemed ÷ points issued" />
          <Figure
            label="Outstanding liability"
            value={analytics.liabilityMinor === null ? `${analytics.outstanding.points.toLocaleString("en-US")} pts` : money(analytics.liabilityMinor)}
            help={analytics.liabilityMinor === null ? "Add a fixed-amount or store-credit reward to value points in money" : `${analytics.outstanding.points.toLocaleString("en-US")} points at the best reward's rate`}
          />
        </InlineGrid>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Points issued and redeemed per month
            </Text>
            <Chart
              kind="line"
              label="Points issued and redeemed per month"
              series={[
                { name: "Issued", data: analytics.months.map((m) => ({ key: monthLabel(m.month), value: m.issued })) },
                { name: "Redeemed", data: analytics.months.map((m) => ({ key: monthLabel(m.month), value: m.redeemed })) },
              ]}
            />
          </BlockStack>
        </Card>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Members and non-members
                </Text>
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
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Tier distribution
                </Text>
                <Chart kind="donut" label="Customers per tier" height={220} series={analytics.tiers.map((tier) => ({ name: tier.name, data: [{ key: tier.name, value: tier.customers }] }))} />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {help ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export const ErrorBoundary = PageErrorBoundary;
