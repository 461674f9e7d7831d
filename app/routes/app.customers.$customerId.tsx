import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, FormLayout, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { invalidForm, newFormToken, parseForm, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { Figure } from "~/components/Figure";
import { formatDate, formatMoney } from "~/components/format";
import { PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { customerRedemptions, findCustomerProfile } from "~/data/admin/customers.server";
import { customerStandings } from "~/data/loyalty/customers.server";
import { ledgerHistory } from "~/data/loyalty/ledger.server";
import { qualifiedTier, qualifyingAmount, rollingWindowStart } from "~/domain/loyalty";
import { adjustCustomerPoints } from "~/services/admin/adjustments.server";
import { adminContext } from "~/services/admin/context.server";
import { loadProgram } from "~/services/admin/program.server";

const HISTORY_LIMIT = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const now = new Date();
  const customer = await findCustomerProfile(database, context.shopId, params.customerId ?? "", now);
  if (!customer) throw new Response("This customer does not exist in the program.", { status: 404 });
  const [history, rewards, standings, program] = await Promise.all([
    ledgerHistory(database.pool, context.shopId, customer.id, { limit: HISTORY_LIMIT, beforeId: olderThan(request) }),
    customerRedemptions(database, context.shopId, customer.id),
    customerStandings(database.pool, context.shopId, [customer.id], rollingWindowStart(now)),
    loadProgram(database, context.shopId),
  ]);
  const standing = standings.get(customer.id)!;
  const rules = program.settings.tiers;
  const amount = qualifyingAmount(standing, rules);
  const reached = qualifiedTier(standing, rules);
  const next = rules.levels.find((tier) => tier.threshold > amount) ?? null;
  return {
    customer,
    history,
    rewards,
    currencyCode: program.currencyCode,
    tier: {
      current: rules.levels.find((t) => t.id === customer.tierId)?.name ?? null,
      qualifiesFor: reached?.name ?? null,
      basis: rules.basis,
      amount,
      next: next ? { name: next.name, threshold: next.threshold } : null,
    },
    olderPage: history.length === HISTORY_LIMIT ? `?before=${history.at(-1)!.id}` : null,
    newestPage: olderThan(request) !== null,
    formToken: newFormToken(),
  };
}

/** The history page to show: entries older than `?before=<entry id>`, or the newest. */
function olderThan(request: Request): string | null {
  const before = new URL(request.url).searchParams.get("before");
  return before && /^\d{1,18}$/.test(before) ? before : null;
}

const adjustment = z.object({
  points: z.coerce
    .number({ error: "Enter a whole number of points" })
    .int("Enter a whole number of points")
    .refine((n) => n !== 0, "Enter a number other than 0")
    .refine((n) => Math.abs(n) <= 1_000_000, "At most 1,000,000 points at a time"),
  reason: z.string({ error: "Say why, for the customer's history" }).trim().min(3, "Say why, for the customer's history").max(200, "At most 200 characters"),
  token: z.string().uuid(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const form = parseForm(await request.formData(), adjustment);
  if (!form.ok) return invalidForm(form.errors);
  const result = await adjustCustomerPoints({
    database: getDatabase(),
    shopId: context.shopId,
    customerId: params.customerId ?? "",
    points: form.value.points,
    reason: form.value.reason,
    staffUserId: context.staffUserId,
    submissionId: form.value.token,
    now: new Date(),
  });
  if (!result.ok) return invalidForm({ points: result.message });
  return savedForm(`${form.value.points > 0 ? "Added" : "Removed"} ${Math.abs(form.value.points).toLocaleString("en-US")} points`);
}

const KIND_LABEL: Record<string, string> = {
  order_earn: "Order",
  order_refund: "Refund",
  order_cancel: "Cancelled order",
  action: "Action",
  redemption: "Reward",
  redemption_reversal: "Reward reversed",
  expiry: "Expired",
  adjustment: "Adjustment",
  import: "Import",
};

export default function CustomerPage() {
  const { customer, history, rewards, tier, currencyCode, formToken, olderPage, newestPage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fieldError = useFieldErrors();
  const saving = useNavigation().state === "submitting";
  useSavedToast(result);
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.ok) {
      setPoints("");
      setReason("");
    }
  }, [result]);

  const show = (amount: number) => (tier.basis === "spend" ? formatMoney(amount, currencyCode) : `${amount.toLocaleString("en-US")} points`);
  const progress = tier.next ? Math.min(100, (tier.amount / tier.next.threshold) * 100) : 100;
  return (
    <Page
      title={customer.name ?? customer.email ?? `Customer ${customer.shopifyCustomerId}`}
      subtitle={customer.email ?? undefined}
      backAction={{ content: "Customers", url: "/app/customers" }}
      titleMetadata={customer.tierId ? <Badge tone="info">{tier.current ?? customer.tierId}</Badge> : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {customer.pointsBalance < 0 ? (
              <Banner tone="warning" title="Negative balance">
                A refund or cancellation took back points that had already been spent.
              </Banner>
            ) : null}
            <Card>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <Figure label="Points available" value={customer.availablePoints} />
                <Figure label="Pending" value={customer.pendingPoints} />
                <Figure label="Lifetime spend" value={formatMoney(customer.lifetimeSpendMinor, currencyCode)} />
              </InlineGrid>
            </Card>
            <TitledCard title="Points history">
              <RecordsTable
                empty="No points yet."
                columnContentTypes={["text", "text", "text", "numeric"]}
                headings={["Date", "What", "Details", "Points"]}
                rows={history.map((entry) => [
                  formatDate(entry.occurredAt),
                  KIND_LABEL[entry.kind] ?? entry.kind,
                  entry.reason ?? (entry.orderId ? `Order ${entry.orderId}` : entry.action ?? "—"),
                  `${entry.points > 0 ? "+" : ""}${entry.points.toLocaleString("en-US")}${new Date(entry.availableAt) > new Date() ? " (pending)" : ""}`,
                ])}
              />
              <InlineStack gap="400">
                {newestPage ? <RemixLink to=".">Newest entries</RemixLink> : null}
                {olderPage ? <RemixLink to={olderPage}>Older entries</RemixLink> : null}
              </InlineStack>
            </TitledCard>
            <TitledCard title="Rewards issued">
              <RecordsTable
                empty="No rewards redeemed yet."
                columnContentTypes={["text", "text", "text", "numeric", "text"]}
                headings={["Date", "Reward", "Code", "Points", "Status"]}
                rows={rewards.map((reward) => [formatDate(reward.createdAt), reward.name, reward.code ?? (reward.creditedMinor ? formatMoney(reward.creditedMinor, reward.currencyCode) : "—"), reward.pointsCost.toLocaleString("en-US"), reward.status])}
              />
            </TitledCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <TitledCard title="Tier progress" gap="200">
              <Text as="p">{tier.current ? `In ${tier.current}` : "No tier yet"}{tier.qualifiesFor && tier.qualifiesFor !== tier.current ? ` (qualifies for ${tier.qualifiesFor})` : ""}</Text>
              <ProgressBar progress={progress} size="small" />
              <Text as="p" tone="subdued">
                {tier.next ? `${show(tier.amount)} of ${show(tier.next.threshold)} for ${tier.next.name}` : `${show(tier.amount)} — highest tier reached`}
              </Text>
            </TitledCard>
            <Card>
              <Form method="post">
                <input type="hidden" name="token" value={formToken} />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Adjust points
                  </Text>
                  <TextField label="Points" name="points" type="number" value={points} onChange={setPoints} autoComplete="off" helpText="Negative to take points away." error={fieldError("points")} />
                  <TextField label="Reason" name="reason" value={reason} onChange={setReason} autoComplete="off" helpText="Shown in the customer's history." error={fieldError("reason")} />
                  <Box>
                    <Button submit variant="primary" loading={saving}>
                      Save adjustment
                    </Button>
                  </Box>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
