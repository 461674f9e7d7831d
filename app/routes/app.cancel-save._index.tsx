/** The cancel-save report: attempts, reasons, offers shown and accepted, saves and revenue kept, over time. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Select, Text } from "@shopify/polaris";
import { Chart } from "~/components/Chart";
import { Figure } from "~/components/Figure";
import { PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { reasonLabel, type ReportPeriod, type SaveOfferKind } from "~/domain/cancel-save";
import { formatMinor } from "~/domain/money";
import { adminContext } from "~/services/admin/context.server";
import { cancelSaveReportFor } from "~/services/cancel-save/report.server";
import { loadCancelSaveSettings } from "~/services/cancel-save/settings.server";

const PERIODS: { label: string; value: ReportPeriod }[] = [
  { label: "Daily, last 30 days", value: "day" },
  { label: "Weekly, last 13 weeks", value: "week" },
  { label: "Monthly, last 12 months", value: "month" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const asked = new URL(request.url).searchParams.get("period");
  const period: ReportPeriod = asked === "day" || asked === "month" ? asked : "week";
  const database = getDatabase();
  const [{ report, recent, timeZone }, settings] = await Promise.all([
    cancelSaveReportFor(database, context.shopId, { period, now: new Date(), recent: 25 }),
    loadCancelSaveSettings(database.pool, context.shopId),
  ]);
  const reasons = Object.fromEntries(settings.reasons.map((r) => [r.code, reasonLabel(r, "en")]));
  return { period, report, recent, timeZone, reasons };
}

const KIND_LABELS: Record<SaveOfferKind, string> = {
  pause: "Pause",
  skip_next_delivery: "Skip next delivery",
  change_frequency: "Change frequency",
  swap_variant: "Swap / downgrade",
  discount: "Discount",
  bonus_points: "Bonus points",
};

const money = (amountMinor: number, currencyCode: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(Number(formatMinor(amountMinor, currencyCode)));
const day = (value: string | Date, timeZone: string) => new Date(value).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone });

function outcome(attempt: { step: string; acceptedAt: Date | string | null; cancelledAt: Date | string | null; cancelledVia: string | null }): string {
  if (attempt.acceptedAt) return attempt.cancelledAt ? "Accepted, cancelled later" : "Accepted";
  if (attempt.step === "cancelled") return attempt.cancelledVia === "declined_offer" ? "Declined, cancelled" : "Cancelled";
  return "Left without deciding";
}

export default function CancelSaveReport() {
  const { period, report, recent, timeZone, reasons } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const total = report.total;
  const label = (code: string | null) => (code === null ? "Skipped the survey" : (reasons[code] ?? code));
  const kept = total.revenueKept.length === 0 ? "—" : total.revenueKept.map((m) => `${money(m.amountMinor, m.currencyCode)}/month`).join(", ");
  const overTime = [
    { name: "Attempts", data: report.periods.map((p) => ({ key: day(p.start, timeZone), value: p.attempts })) },
    { name: "Offers accepted", data: report.periods.map((p) => ({ key: day(p.start, timeZone), value: p.accepted })) },
    { name: "Saved", data: report.periods.map((p) => ({ key: day(p.start, timeZone), value: p.saved })) },
  ];
  const byReason = [{ name: "Answers", data: Object.entries(total.reasons).map(([code, count]) => ({ key: label(code), value: count })) }];

  return (
    <Page title="Cancel-save" subtitle="Why subscribers cancel, what they were offered, and who stayed">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Select label="Period" options={PERIODS} value={period} onChange={(value) => navigate(`?period=${value}`)} />
            {report.recommendation ? (
              <Banner tone="info" title="Lead with a pause">
                {report.recommendation.matching} of {report.recommendation.answered} answered surveys say “not using it” or “too much product”: a pause answers
                them best.
              </Banner>
            ) : null}
            <Card>
              <InlineGrid columns={{ xs: 2, sm: 3, md: 6 }} gap="400">
                <Figure label="Cancel attempts" value={total.attempts} />
                <Figure label="Offers shown" value={total.offersShown} />
                <Figure label="Accepted" value={total.accepted} />
                <Figure label="Saved (30 days)" value={total.saved} />
                <Figure label="Still within 30 days" value={total.savePending} />
                <Figure label="Revenue kept" value={kept} />
              </InlineGrid>
            </Card>
            <TitledCard title="Over time">
              <Chart kind="line" series={overTime} label="Cancel attempts, offers accepted and subscribers saved per period" />
            </TitledCard>
            <TitledCard title="Reasons given">
              <Chart kind="bar" series={byReason} label="Survey answers by reason" />
              <Text as="p" tone="subdued">
                {total.surveySkipped} skipped the survey and cancelled straight away.
              </Text>
            </TitledCard>
            <TitledCard title="Offers">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={["Offer", "Shown", "Accepted", "Saved"]}
                rows={Object.entries(total.byOfferKind).map(([kind, f]) => [KIND_LABELS[kind as SaveOfferKind], f!.shown, f!.accepted, f!.saved])}
                totals={["", total.offersShown, total.accepted, total.saved]}
                showTotalsInFooter
              />
            </TitledCard>
            <TitledCard title="Latest attempts">
              <RecordsTable
                empty="No subscriber has pressed Cancel yet."
                columnContentTypes={["text", "text", "text", "text", "text"]}
                headings={["Date", "Customer", "Reason", "Offer", "Outcome"]}
                rows={recent.map((a) => [day(a.startedAt, timeZone), a.customerId, label(a.reason), a.offer ? KIND_LABELS[a.offer.kind] : "—", outcome(a)])}
              />
            </TitledCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
