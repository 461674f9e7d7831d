/**
 * Subscribers: the subscription contracts as the app mirrors them (and its pauses), subscribers whose billing is
 * failing, who keeps an old price and until when (and recording a price rise), and the paid VIP membership.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, DataTable, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formPayload, invalidForm, newFormToken, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { pricePerCycle } from "~/domain/cancel-save";
import { formatMinor } from "~/domain/money";
import { adminContext } from "~/services/admin/context.server";
import { recordPriceRiseForm, saveMembershipForm, subscribersOverview } from "~/services/cancel-save/admin.server";
import { loyaltyTierIds } from "~/services/cancel-save/membership.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const now = new Date();
  const [overview, tiers] = await Promise.all([subscribersOverview(database, context.shopId, now), loyaltyTierIds(database.pool, context.shopId)]);
  const contracts = overview.contracts.map(({ contractId, customerId, contract }) => ({
    contractId,
    customerId,
    status: contract.status,
    title: contract.lines.map((l) => l.title).join(", "),
    price: pricePerCycle(contract),
    billing: contract.billing,
    nextBillingDate: contract.nextBillingDate,
    resumeOn: contract.status === "PAUSED" ? (contract.pause?.resumeOn ?? null) : null,
  }));
  return { ...overview, contracts, tiers, formToken: newFormToken() };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const payload = formPayload(await request.formData());
  const save = { formToken: String(payload.formToken ?? ""), staffUserId: context.staffUserId, now: new Date() };
  const shop = await findShop(database, context.shop);
  const outcome =
    payload.intent === "price_rise"
      ? await recordPriceRiseForm(database, context.shopId, payload, { ...save, currencyCode: shop?.currencyCode ?? "USD" })
      : await saveMembershipForm(database, context.shopId, payload.intent === "remove_membership" ? null : (payload.membership ?? {}), save);
  return outcome.ok ? savedForm(outcome.message) : invalidForm(outcome.errors);
}

const money = (m: { amountMinor: number; currencyCode: string }) => new Intl.NumberFormat("en-US", { style: "currency", currency: m.currencyCode }).format(Number(formatMinor(m.amountMinor, m.currencyCode)));
const day = (value: string | Date | null) => (value ? new Date(value).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }) : "—");
const every = (f: { interval: string; intervalCount: number }) => `every ${f.intervalCount === 1 ? "" : `${f.intervalCount} `}${f.interval.toLowerCase()}${f.intervalCount === 1 ? "" : "s"}`;
const STATUS_TONE = { ACTIVE: "success", PAUSED: "attention", CANCELLED: undefined, EXPIRED: undefined, FAILED: "critical" } as const;
const STANDING: Record<string, string> = { active: "Active", in_grace: "Billing failing (grace)", paid_through: "Cancelled, paid period running", lapsed: "Lapsed", none: "—" };

export default function Subscribers() {
  const { contracts, atRisk, protectedPrices, membership, tiers, formToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = useFieldErrors();
  const saving = useNavigation().state === "submitting";
  useSavedToast(result);
  const program = membership.program;
  const [rise, setRise] = useState({ variantId: "", newPrice: "", effectiveOn: "", tenureDaysAtLeast: "365", tiers: "", protectForMonths: "6" });
  const [member, setMember] = useState({ variantId: program?.variantId ?? "", grantsTier: program?.grantsTier ?? tiers.at(-1) ?? "", graceDays: String(program?.graceDays ?? 7) });

  return (
    <Page title="Subscribers">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <TitledCard title="Subscription contracts">
              <RecordsTable
                empty="No subscription contracts yet: they appear here as Shopify reports them."
                columnContentTypes={["text", "text", "text", "text", "numeric", "text"]}
                headings={["Contract", "Customer", "What", "Status", "Price", "Next billing / resumes"]}
                rows={contracts.map((c) => [
                  c.contractId,
                  c.customerId,
                  c.title,
                  <Badge key="status" tone={STATUS_TONE[c.status]}>
                    {c.status.toLowerCase()}
                  </Badge>,
                  `${money(c.price)} ${every(c.billing)}`,
                  c.resumeOn ? `resumes ${day(c.resumeOn)}` : day(c.nextBillingDate),
                ])}
              />
            </TitledCard>
            <TitledCard title="Billing failing (involuntary churn)">
              <RecordsTable
                empty="No subscriber's billing is failing."
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={["Customer", "Risk", "Failures in a row", "Failing since"]}
                rows={atRisk.map((r) => [r.customerId, r.level, r.consecutiveFailures, day(r.failingSince)])}
              />
            </TitledCard>
            <TitledCard title="Protected prices">
              <RecordsTable
                empty="No subscriber is keeping an old price."
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "text", "text"]}
                headings={["Customer", "Contract", "Variant", "Keeps", "New price", "Because", "Until"]}
                rows={protectedPrices.map((p) => [
                  p.customerId,
                  p.contractId,
                  p.variantId.replace("gid://shopify/ProductVariant/", ""),
                  money({ amountMinor: p.keepsUnitPriceMinor, currencyCode: p.currencyCode }),
                  money({ amountMinor: p.newUnitPriceMinor, currencyCode: p.currencyCode }),
                  p.protectedBecause.join(", "),
                  day(p.protectedUntil),
                ])}
              />
              <Form method="post">
                <input type="hidden" name="formToken" value={formToken} />
                <input type="hidden" name="intent" value="price_rise" />
                <FormLayout>
                  <Text as="h3" variant="headingSm">
                    Raise a plan's price, keeping loyal subscribers' price
                  </Text>
                  <FormLayout.Group>
                    <TextField label="Variant id" name="variantId" autoComplete="off" value={rise.variantId} onChange={(variantId) => setRise({ ...rise, variantId })} error={error("variantId")} placeholder="gid://shopify/ProductVariant/123" />
                    <TextField label="New price" name="newPrice" autoComplete="off" value={rise.newPrice} onChange={(newPrice) => setRise({ ...rise, newPrice })} error={error("newPrice")} />
                    <TextField label="From" name="effectiveOn" type="date" autoComplete="off" value={rise.effectiveOn} onChange={(effectiveOn) => setRise({ ...rise, effectiveOn })} error={error("effectiveOn")} />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <TextField
                      label="Protect subscribers of at least (days)"
                      name="tenureDaysAtLeast"
                      type="number"
                      autoComplete="off"
                      value={rise.tenureDaysAtLeast}
                      onChange={(tenureDaysAtLeast) => setRise({ ...rise, tenureDaysAtLeast })}
                      error={error("tenureDaysAtLeast")}
                      helpText="Leave empty to protect by tier only."
                    />
                    <TextField label="…or in these tiers" name="tiers" autoComplete="off" value={rise.tiers} onChange={(value) => setRise({ ...rise, tiers: value })} error={error("tiers")} helpText={tiers.join(", ")} />
                    <TextField
                      label="For (months)"
                      name="protectForMonths"
                      type="number"
                      autoComplete="off"
                      value={rise.protectForMonths}
                      onChange={(protectForMonths) => setRise({ ...rise, protectForMonths })}
                      error={error("protectForMonths")}
                    />
                  </FormLayout.Group>
                  <InlineStack>
                    <Button submit loading={saving}>
                      Record price rise
                    </Button>
                  </InlineStack>
                </FormLayout>
              </Form>
            </TitledCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <TitledCard title="Paid VIP membership">
            <Text as="p" tone="subdued">
              Subscribers to the membership variant hold its tier while it runs (and a grace period when billing fails); cancelling it goes
              through the same save flow.
            </Text>
            <Form method="post">
              <input type="hidden" name="formToken" value={formToken} />
              <input type="hidden" name="intent" value="membership" />
              <FormLayout>
                <TextField
                  label="Membership variant id"
                  name="membership.variantId"
                  autoComplete="off"
                  value={member.variantId}
                  onChange={(variantId) => setMember({ ...member, variantId })}
                  error={error("membership.variantId")}
                />
                <Select label="Grants the tier" name="membership.grantsTier" options={tiers} value={member.grantsTier} onChange={(grantsTier) => setMember({ ...member, grantsTier })} error={error("membership.grantsTier")} />
                <TextField
                  label="Grace when billing fails (days)"
                  name="membership.graceDays"
                  type="number"
                  autoComplete="off"
                  value={member.graceDays}
                  onChange={(graceDays) => setMember({ ...member, graceDays })}
                  error={error("membership.graceDays")}
                />
                <InlineStack>
                  <Button submit loading={saving}>
                    Save membership
                  </Button>
                </InlineStack>
              </FormLayout>
            </Form>
            {program ? (
              <Form method="post">
                <input type="hidden" name="formToken" value={formToken} />
                <input type="hidden" name="intent" value="remove_membership" />
                <Button submit variant="plain" tone="critical">
                  Remove the membership program
                </Button>
              </Form>
            ) : null}
            {membership.members.length > 0 ? (
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Customer", "Membership", "Until"]}
                rows={membership.members.map((m) => [
                  m.customerId,
                  STANDING[m.standing.state],
                  m.standing.state === "in_grace" ? day(m.standing.graceEndsAt) : m.standing.state === "paid_through" ? day(m.standing.endsAt) : "—",
                ])}
              />
            ) : null}
          </TitledCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
