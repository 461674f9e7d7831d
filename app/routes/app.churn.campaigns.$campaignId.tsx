/** One win-back campaign's result: repurchase of the treated vs the hold-out, the lift with its 95 % interval, the cost per saved customer. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, DataTable, InlineGrid, Page, Text } from "@shopify/polaris";
import { Chart } from "~/components/Chart";
import { FigureCard } from "~/components/Figure";
import { formatDate, formatMoney } from "~/components/format";
import { ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { adminContext } from "~/services/admin/context.server";
import { describeIncentive, winBackReport } from "~/services/churn/win-back.server";
import { findReward } from "~/services/loyalty/rewards.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const campaignId = /^\d{1,9}$/.test(params.campaignId ?? "") ? Number(params.campaignId) : null;
  const report = campaignId === null ? null : await winBackReport({ database: getDatabase(), shopId: context.shopId, campaignId, now: new Date() });
  if (!report) throw new Response("This campaign does not exist.", { status: 404 });
  const currencyCode = (await findShop(getDatabase(), context.shop))?.currencyCode ?? "USD";
  const reward = report.campaign.rewardId ? await findReward(getDatabase().pool, context.shopId, report.campaign.rewardId) : null;
  return { report, offer: describeIncentive(report.campaign, currencyCode, reward?.name), currencyCode };
}

const points = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(1)} pts`;
const rate = (group: { customers: number; repurchased: number }) => (group.customers ? `${((group.repurchased / group.customers) * 100).toFixed(1)} %` : "—");

export default function CampaignReport() {
  const { report, offer, currencyCode } = useLoaderData<typeof loader>();
  const { campaign, lift, treated, holdout } = report;
  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currencyCode));
  return (
    <Page title={campaign.name} subtitle={`${offer} · ${[campaign.segment, campaign.riskLevel ? `${campaign.riskLevel} risk` : null].filter(Boolean).join(", ") || "everyone scored"}`} backAction={{ content: "Win-back campaigns", url: "/app/churn/campaigns" }}>
      <BlockStack gap="400">
        {campaign.status === "failed" ? (
          <ErrorBanner title="The offers could not be sent">
            {campaign.error}
          </ErrorBanner>
        ) : null}
        <Text as="p" tone="subdued">
          {report.window.complete
            ? `Repurchases from ${formatDate(report.window.from)} to ${formatDate(report.window.to)} (${campaign.measureDays} days).`
            : `Measuring until ${formatDate(new Date(new Date(report.window.from).getTime() + campaign.measureDays * 86_400_000))}; figures so far.`}
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <FigureCard label="Treated who bought again" value={rate(treated)} help={`${treated.repurchased.toLocaleString("en-US")} of ${treated.customers.toLocaleString("en-US")}`} />
          <FigureCard label="Hold-out who bought again" value={rate(holdout)} help={`${holdout.repurchased.toLocaleString("en-US")} of ${holdout.customers.toLocaleString("en-US")} (no offer)`} />
          <FigureCard
            label="Lift"
            value={lift ? points(lift.liftPoints) : "—"}
            help={lift ? `95 % interval ${points(lift.confidenceInterval95.lowPoints)} to ${points(lift.confidenceInterval95.highPoints)}` : "Needs customers in both groups"}
          />
          <FigureCard
            label="Cost per saved customer"
            value={lift ? money(lift.costPerSavedCustomerMinor) : "—"}
            help={`${money(report.costMinor)} spent${lift ? `; ${lift.savedCustomers.toFixed(1)} customers saved (lift × treated)` : ""}`}
          />
        </InlineGrid>
        <TitledCard title="Repurchase rate">
          <Chart
            kind="bar"
            label="Repurchase rate, treated and hold-out"
            height={200}
            series={[
              {
                name: "Bought again (%)",
                data: [
                  { key: "Treated", value: treated.customers ? Math.round((treated.repurchased / treated.customers) * 1000) / 10 : null },
                  { key: "Hold-out", value: holdout.customers ? Math.round((holdout.repurchased / holdout.customers) * 1000) / 10 : null },
                ],
              },
            ]}
          />
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={["Group", "Customers", "Bought again", "Rate"]}
            rows={[
              ["Treated", treated.customers.toLocaleString("en-US"), treated.repurchased.toLocaleString("en-US"), rate(treated)],
              ["Hold-out", holdout.customers.toLocaleString("en-US"), holdout.repurchased.toLocaleString("en-US"), rate(holdout)],
            ]}
          />
          {lift ? (
            <Text as="p" tone="subdued" variant="bodySm">
              {`Interval: ${lift.method}. Cost: what the codes took off the orders that used them, plus the value of points or store credit given.`}
            </Text>
          ) : null}
        </TitledCard>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
