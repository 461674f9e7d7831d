/**
 * Churn radar: retention by month with the definition of "lost" beside it, purchase metrics, risk levels and RFM
 * segments with lifetime value, the cohort heat-map, the fitted models, and the nightly refit with a "Refit now".
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { Chart } from "~/components/Chart";
import { FigureCard } from "~/components/Figure";
import { formatDate, formatMoney, formatMonth } from "~/components/format";
import { savedForm } from "~/components/forms.server";
import { useSavedToast } from "~/components/forms";
import { EmptyCard, ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { usePollWhile } from "~/components/usePollWhile";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import type { ChurnHealth, CohortRow } from "~/domain/churn";
import { getQueue } from "~/runtime.server";
import { adminContext } from "~/services/admin/context.server";
import { requestRefit } from "~/services/churn/jobs.server";
import { churnRadarOverview } from "~/services/churn/overview.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const [overview, shop] = await Promise.all([churnRadarOverview(getDatabase(), context.shopId), findShop(getDatabase(), context.shop)]);
  return { ...overview, currencyCode: shop?.currencyCode ?? "USD" };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const { created } = await requestRefit({ database: getDatabase(), boss: await getQueue(), shop: { id: context.shopId, domain: context.shop }, trigger: "manual", now: new Date() });
  return savedForm(created ? "Refit started" : "A refit is already running");
}

const POLL_MS = 1_500;
const HEALTH_TONE: Record<ChurnHealth, "success" | "warning" | "critical"> = { good: "success", watch: "warning", alarming: "critical" };
const HEALTH_LABEL: Record<ChurnHealth, string> = { good: "Good", watch: "Watch", alarming: "Alarming" };
const RISK_TONE = { low: "success", medium: "warning", high: "critical" } as const;

const percent = (value: number | null, digits = 1) => (value === null ? "—" : `${value.toFixed(digits)} %`);
const number = (value: number | null, digits = 0) => (value === null ? "—" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }));

export default function ChurnRadar() {
  const { runs, models, metrics, atRisk, currencyCode } = useLoaderData<typeof loader>();
  const submitting = useNavigation().state === "submitting";
  useSavedToast(useActionData<typeof action>());
  const latest = runs[0] ?? null;
  const active = latest !== null && (latest.status === "queued" || latest.status === "running");

  // The run happens in a worker: follow its progress while it runs.
  usePollWhile(active, POLL_MS);

  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currencyCode));
  const refitButton = (
    <Form method="post">
      <Button submit variant="primary" loading={submitting} disabled={active}>
        Refit now
      </Button>
    </Form>
  );

  return (
    <Page
      title="Churn radar"
      subtitle="Who is slipping away, what they are worth, and whether winning them back works"
      secondaryActions={[
        { content: "Win-back campaigns", url: "/app/churn/campaigns" },
        { content: "Feedback", url: "/app/churn/feedback" },
        { content: "Settings", url: "/app/churn/settings" },
      ]}
    >
      <BlockStack gap="400">
        <RunCard run={latest} action={refitButton} />
        {!metrics ? (
          <EmptyCard heading="No scores yet">
            <p>The models are fitted on your customers' paid orders every night. Refit now to see your shop's retention, risk and customer value.</p>
          </EmptyCard>
        ) : (
          <>
            <RetentionSection metrics={metrics} />
            <PurchaseSection overall={metrics.overall} money={money} />
            <Layout>
              <Layout.Section variant="oneThird">
                <TitledCard title="Risk levels">
                  <Chart
                    kind="donut"
                    label="Customers per risk level"
                    height={220}
                    series={(["high", "medium", "low"] as const).map((level) => ({ name: `${level[0].toUpperCase()}${level.slice(1)} risk`, data: [{ key: level, value: metrics.riskLevels[level] }] }))}
                  />
                  <Text as="p" tone="subdued" variant="bodySm">
                    High: probably gone (P(alive) under the high-risk threshold), or a valuable customer slipping. Medium: fading. One-time buyers turn medium after a quiet spell.
                  </Text>
                </TitledCard>
              </Layout.Section>
              <Layout.Section>
                <TitledCard title="Valuable customers at high risk">
                  <RecordsTable
                    empty="No customer is at high risk."
                    columnContentTypes={["text", "numeric", "text", "numeric", "text"]}
                    headings={["Customer", "Spent", "Last order", "P(alive)", "Why"]}
                    rows={atRisk.customers.map((c) => [c.name ?? c.email ?? `#${c.customerId}`, money(c.spentMinor), formatDate(c.lastOrderAt), percent(c.probabilityAlive * 100, 0), c.riskReasons.join("; ")])}
                  />
                  <Text as="p" tone="subdued" variant="bodySm">
                    {`${atRisk.total.toLocaleString("en-US")} customers at high risk; the ${Math.min(atRisk.total, atRisk.customers.length)} who spent the most are shown.`}
                  </Text>
                </TitledCard>
              </Layout.Section>
            </Layout>
            <SegmentSection segments={metrics.segments} money={money} />
            <CohortSection cohorts={metrics.cohorts} />
          </>
        )}
        {models ? <ModelCard models={models} money={money} /> : null}
      </BlockStack>
    </Page>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Metrics = NonNullable<LoaderData["metrics"]>;

function RunCard({ run, action }: { run: LoaderData["runs"][number] | null; action: JSX.Element }) {
  const running = run && (run.status === "queued" || run.status === "running");
  const timings = (run?.timings ?? null) as Record<string, number> | null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Scores
            </Text>
            <Text as="p" tone="subdued">
              {!run
                ? "Refitted every night at 03:00 UTC."
                : running
                  ? run.status === "queued"
                    ? "Waiting for a worker…"
                    : `${run.stage ?? "Working"}…`
                  : `Last refit ${formatDate(run.finishedAt ?? run.requestedAt)}${run.customers ? ` · ${run.customers.toLocaleString("en-US")} customers` : ""}${timings?.readAndFitMs !== undefined && timings.scoreMs !== undefined ? ` · fitted and scored in ${((timings.readAndFitMs + timings.scoreMs) / 1000).toFixed(1)} s` : ""}. Refitted every night at 03:00 UTC.`}
            </Text>
          </BlockStack>
          {action}
        </InlineStack>
        {running && run.status === "running" && run.total > 0 ? (
          <BlockStack gap="100">
            <ProgressBar progress={Math.round((run.processed / run.total) * 100)} size="small" />
            <Text as="p" variant="bodySm" tone="subdued">
              {`${run.stage}: ${run.processed.toLocaleString("en-US")} of ${run.total.toLocaleString("en-US")} customers`}
            </Text>
          </BlockStack>
        ) : null}
        {run?.status === "failed" ? (
          <ErrorBanner title="The last refit stopped">
            {run.error}
          </ErrorBanner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function RetentionSection({ metrics }: { metrics: Metrics }) {
  const last = metrics.periods.at(-1);
  const churn = last?.churn;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {last ? `Retention in ${formatMonth(last.month)}` : "Retention"}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {metrics.lostDefinition}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <FigureCard
            label="Monthly churn rate"
            value={percent(churn?.monthlyChurnRatePercent ?? null)}
            badge={churn?.health ? <Badge tone={HEALTH_TONE[churn.health]}>{HEALTH_LABEL[churn.health]}</Badge> : undefined}
            help="Lost ÷ customers at the start × 100. Under 5 % a month is good, above 10 % alarming."
          />
          <FigureCard label="Retention rate" value={percent(churn?.retentionRatePercent ?? null)} help="(Customers at the end − new) ÷ customers at the start × 100" />
          <FigureCard label="Customers at the start" value={number(churn?.customersAtStart ?? null)} help={churn ? `${number(churn.lostCustomers)} lost, ${number(churn.newCustomers)} new, ${number(churn.customersAtEnd)} at the end` : undefined} />
          <FigureCard label="Repeat-purchase rate" value={percent(last?.purchases.repeatPurchaseRatePercent ?? null)} help="Customers with two or more orders in the month ÷ customers who ordered" />
        </InlineGrid>
        <Chart
          kind="line"
          label="Churn and retention per month"
          series={[
            { name: "Churn rate (%)", data: metrics.periods.map((p) => ({ key: formatMonth(p.month), value: p.churn.churnRatePercent === null ? null : Math.round(p.churn.churnRatePercent * 10) / 10 })) },
            { name: "Retention rate (%)", data: metrics.periods.map((p) => ({ key: formatMonth(p.month), value: p.churn.retentionRatePercent === null ? null : Math.round(p.churn.retentionRatePercent * 10) / 10 })) },
          ]}
        />
      </BlockStack>
    </Card>
  );
}

function PurchaseSection({ overall, money }: { overall: Metrics["overall"]; money: (minor: number | null) => string }) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <FigureCard label="Repeat-purchase rate, all time" value={percent(overall.repeatPurchaseRatePercent)} help={`${number(overall.customers)} customers with a paid order`} />
      <FigureCard label="Purchase frequency" value={number(overall.purchaseFrequency, 2)} help="Orders per customer" />
      <FigureCard label="Average order value" value={money(overall.averageOrderValueMinor)} help={`Over ${number(overall.orders)} orders, after discounts, without shipping and tax`} />
      <FigureCard label="Time between orders" value={overall.meanDaysBetweenOrders === null ? "—" : `${number(overall.meanDaysBetweenOrders)} days`} help="Mean gap between a customer's consecutive orders" />
    </InlineGrid>
  );
}

function SegmentSection({ segments, money }: { segments: Metrics["segments"]; money: (minor: number | null) => string }) {
  return (
    <TitledCard title="RFM segments">
      <Chart kind="bar" label="Customers per segment" height={220} series={[{ name: "Customers", data: segments.map((s) => ({ key: s.segment, value: s.customers })) }]} />
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={["Segment", "Customers", "Churn last month", "Repeat-purchase rate", "Average order value", "Lifetime value (avg)", "Lifetime value (total)"]}
        rows={segments.map((s) => [
          <BlockStack key={s.segment} gap="050">
            <Text as="span" fontWeight="semibold">
              {s.segment}
            </Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {s.description}
            </Text>
          </BlockStack>,
          number(s.customers),
          percent(s.churn?.churnRatePercent ?? null),
          percent(s.purchases.repeatPurchaseRatePercent),
          money(s.purchases.averageOrderValueMinor),
          money(s.lifetimeValue?.averageMinor ?? null),
          money(s.lifetimeValue?.totalMinor ?? null),
        ])}
      />
    </TitledCard>
  );
}

/** Background from white to deep green by the share retained; the text stays readable on both. */
function heat(percentRetained: number): string {
  const strength = Math.min(1, percentRetained / 40);
  return `rgba(0, 128, 96, ${(0.08 + 0.82 * strength).toFixed(2)})`;
}

function CohortSection({ cohorts }: { cohorts: CohortRow[] }) {
  const months = Math.max(0, ...cohorts.map((c) => c.retainedPercent.length));
  return (
    <TitledCard title="Cohort retention">
      <Text as="p" tone="subdued" variant="bodySm">
        Customers grouped by the month of their first order; each cell is the share of the cohort who ordered again that many months later.
      </Text>
      <Box overflowX="scroll">
        <table aria-label="Cohort retention heat-map" style={{ borderCollapse: "separate", borderSpacing: 2, fontSize: 12 }}>
          <thead>
            <tr>
              <th style={{ textAlign: "left", padding: "4px 8px" }}>First order</th>
              <th style={{ textAlign: "right", padding: "4px 8px" }}>Customers</th>
              {Array.from({ length: months }, (_, k) => (
                <th key={k} style={{ padding: "4px 6px", fontWeight: 500 }}>{`+${k}`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((row) => (
              <tr key={row.cohort}>
                <th scope="row" style={{ textAlign: "left", padding: "4px 8px", fontWeight: 500 }}>
                  {formatMonth(row.cohort)}
                </th>
                <td style={{ textAlign: "right", padding: "4px 8px" }}>{row.customers.toLocaleString("en-US")}</td>
                {row.retainedPercent.map((share, k) => (
                  <td
                    key={k}
                    title={`${formatMonth(row.cohort)} cohort, ${k} months later: ${share.toFixed(1)} %`}
                    style={{ background: heat(share), color: share > 25 ? "#fff" : "#202223", padding: "4px 6px", textAlign: "center", minWidth: 34, borderRadius: 3 }}
                  >
                    {share >= 10 ? share.toFixed(0) : share.toFixed(1)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
    </TitledCard>
  );
}

function ModelCard({ models, money }: { models: NonNullable<LoaderData["models"]>; money: (minor: number | null) => string }) {
  const bg = models.bgNbd as { r: number; alpha: number; a: number; b: number; logLikelihood: number } | null;
  const gg = models.gammaGamma as { p: number; q: number; v: number; customers: number } | null;
  const fixed = (value: number) => value.toFixed(3);
  return (
    <TitledCard title="The models" gap="200">
      {bg ? (
        <Text as="p" variant="bodySm">
          {`BG/NBD (time in ${models.timeUnit}): r = ${fixed(bg.r)}, α = ${fixed(bg.alpha)}, a = ${fixed(bg.a)}, b = ${fixed(bg.b)}; log-likelihood ${bg.logLikelihood.toFixed(1)} over ${number(models.customers)} customers.`}
        </Text>
      ) : null}
      <Text as="p" variant="bodySm">
        {gg
          ? `Gamma-Gamma (spend): p = ${fixed(gg.p)}, q = ${fixed(gg.q)}, v = ${money(Math.round(gg.v))}, from ${number(gg.customers)} repeat customers. Lifetime value = expected purchases month by month × expected order value, discounted monthly.`
          : "Gamma-Gamma (spend): not fitted yet — lifetime value needs customers with repeat purchases."}
      </Text>
    </TitledCard>
  );
}

export const ErrorBoundary = PageErrorBoundary;
