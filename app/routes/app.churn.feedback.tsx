/** Feedback: NPS and CSAT over the last 90 days, every answer with its comment, and the detractors to contact and resolve. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineGrid, InlineStack, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { FigureCard } from "~/components/Figure";
import { formatDate } from "~/components/format";
import { invalidForm, parseForm, savedForm } from "~/components/forms.server";
import { useSavedToast } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { PageNumbers } from "~/components/PageNumbers";
import { listFeedback } from "~/data/churn/feedback.server";
import { getDatabase } from "~/data/database.server";
import { adminContext } from "~/services/admin/context.server";
import { feedbackOverview, followUpDetractor } from "~/services/churn/feedback.server";

const PAGE_SIZE = 25;
const OVERVIEW_DAYS = 90;

const listQuery = z.object({
  kind: z.enum(["nps", "csat"]).optional().catch(undefined),
  followUp: z.enum(["open", "contacted", "resolved"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

const followUpForm = z.object({
  responseId: z.number().int().positive(),
  status: z.enum(["contacted", "resolved"]),
  note: z.string().trim().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const params = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const since = new Date(Date.now() - OVERVIEW_DAYS * 86_400_000);
  const [overview, list] = await Promise.all([
    feedbackOverview(getDatabase(), context.shopId, since),
    listFeedback(getDatabase(), context.shopId, { kind: params.kind, followUp: params.followUp, take: PAGE_SIZE, skip: (params.page - 1) * PAGE_SIZE }),
  ]);
  return { overview, list, params, shop: context.shop };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const form = parseForm(await request.formData(), followUpForm);
  if (!form.ok) return invalidForm(form.errors);
  const saved = await followUpDetractor({ database: getDatabase(), shopId: context.shopId, responseId: form.value.responseId, status: form.value.status, note: form.value.note ?? null, staffUserId: context.staffUserId, now: new Date() });
  if (!saved) return invalidForm({ form: "Only a detractor's answer is followed up." });
  return savedForm(form.value.status === "contacted" ? "Marked as contacted" : "Marked as resolved");
}

const FOLLOW_UP_TONE = { open: "critical", contacted: "attention", resolved: "success" } as const;

export default function Feedback() {
  const { overview, list, params, shop } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  useSavedToast(useActionData<typeof action>());
  const { nps, csat } = overview;
  const filter = (name: "kind" | "followUp", value: string) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      next.delete("page");
      return next;
    });
  const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  return (
    <Page title="Feedback" subtitle={`NPS and CSAT of the last ${OVERVIEW_DAYS} days`} backAction={{ content: "Churn radar", url: "/app/churn" }}>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
          <FigureCard
            label="Net Promoter Score"
            value={nps.score === null ? "—" : nps.score.toFixed(0)}
            help={`${nps.responses} answers: ${nps.promoters} promoters (9–10), ${nps.passives} passives, ${nps.detractors} detractors (0–6). NPS = % promoters − % detractors.`}
          />
          <FigureCard
            label="Customer satisfaction (CSAT)"
            value={csat.percent === null ? "—" : `${csat.percent.toFixed(0)} %`}
            help={`${csat.responses} answers, ${csat.satisfied} satisfied (4–5 of 5)${csat.average === null ? "" : `, average ${csat.average.toFixed(1)}`}.`}
          />
          <FigureCard label="Detractors to contact" value={overview.openFollowUps.toLocaleString("en-US")} help="NPS 0–6 or CSAT 1–2, not contacted yet" />
        </InlineGrid>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="end" gap="300">
              <Text as="h2" variant="headingMd">
                Answers
              </Text>
              <InlineStack gap="300">
                <Select
                  label="Survey"
                  labelInline
                  value={params.kind ?? ""}
                  onChange={(value) => filter("kind", value)}
                  options={[
                    { label: "All", value: "" },
                    { label: "NPS", value: "nps" },
                    { label: "CSAT", value: "csat" },
                  ]}
                />
                <Select
                  label="Follow-up"
                  labelInline
                  value={params.followUp ?? ""}
                  onChange={(value) => filter("followUp", value)}
                  options={[
                    { label: "All answers", value: "" },
                    { label: "To contact", value: "open" },
                    { label: "Contacted", value: "contacted" },
                    { label: "Resolved", value: "resolved" },
                  ]}
                />
              </InlineStack>
            </InlineStack>
            <IndexTable
              resourceName={{ singular: "answer", plural: "answers" }}
              itemCount={list.rows.length}
              selectable={false}
              headings={[{ title: "Answered" }, { title: "Customer" }, { title: "Survey" }, { title: "Score", alignment: "end" }, { title: "Comment" }, { title: "Follow-up" }]}
              emptyState={
                <Text as="p" tone="subdued">
                  {`No answers yet. Link your post-purchase emails to https://${shop}/apps/rewards/feedback?kind=nps&order={{ order.id }} (or kind=csat).`}
                </Text>
              }
            >
              {list.rows.map((row, index) => (
                <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                  <IndexTable.Cell>{formatDate(row.answeredAt)}</IndexTable.Cell>
                  <IndexTable.Cell>{`#${row.customerId}`}</IndexTable.Cell>
                  <IndexTable.Cell>{`${row.kind.toUpperCase()}${row.orderId ? ` · order ${row.orderId}` : ""}`}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.score}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", maxWidth: 360 }}>{row.comment ?? ""}</div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{row.followUp ? <FollowUp id={row.id} status={row.followUp} note={row.followUpNote} /> : null}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
            {pages > 1 ? (
              <InlineStack align="center">
                <PageNumbers page={params.page} pages={pages} onPage={(page) => setSearchParams((current) => new URLSearchParams({ ...Object.fromEntries(current), page: String(page) }))} />
              </InlineStack>
            ) : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

function FollowUp({ id, status, note }: { id: number; status: "open" | "contacted" | "resolved"; note: string | null }) {
  const fetcher = useFetcher<typeof action>();
  useSavedToast(fetcher.data);
  const next = status === "open" ? "contacted" : status === "contacted" ? "resolved" : null;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={FOLLOW_UP_TONE[status]}>{status === "open" ? "to contact" : status}</Badge>
        {next ? (
          <fetcher.Form method="post">
            <input type="hidden" name="responseId" value={id} />
            <input type="hidden" name="status" value={next} />
            <Button submit size="slim" loading={fetcher.state !== "idle"}>
              {next === "contacted" ? "Mark contacted" : "Mark resolved"}
            </Button>
          </fetcher.Form>
        ) : null}
      </InlineStack>
      {note ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {note}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export const ErrorBoundary = PageErrorBoundary;
