/** Win-back campaigns: launch one for a segment and/or risk level with an incentive and a hold-out, and see them all. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, FormLayout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SelectInput, TextInput } from "~/components/fields";
import { invalidForm, parseForm, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { formatDate } from "~/components/format";
import { ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { listCampaigns } from "~/data/churn/campaigns.server";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { parseDecimalToMinor } from "~/domain/money";
import { getQueue } from "~/runtime.server";
import { adminContext } from "~/services/admin/context.server";
import { loadRetentionMetrics } from "~/services/churn/metrics.server";
import { describeIncentive, launchWinBackCampaign } from "~/services/churn/win-back.server";
import { listRewards } from "~/services/loyalty/rewards.server";

const INCENTIVES = ["discount_percentage", "discount_amount", "reward", "bonus_points"] as const;
// At most six whole digits: the amount in minor units must fit the integer column, in any currency.
const amount = z.string({ error: "Enter an amount" }).regex(/^\d{1,6}(\.\d+)?$/, "Enter an amount such as 10 or 10.00 (at most 999999)");

const campaignForm = z
  .object({
    name: z.string({ error: "Name the campaign" }).trim().min(1, "Name the campaign").max(100, "At most 100 characters"),
    segment: z.string().max(40).optional(),
    riskLevel: z.enum(["low", "medium", "high"]).optional(),
    incentive: z.enum(INCENTIVES),
    percent: z.number({ error: "Enter a percentage" }).int("Whole percent").min(1, "At least 1 %").max(100, "At most 100 %").optional(),
    amount: amount.optional(),
    points: z.number({ error: "Enter points" }).int("Whole points").min(1, "At least 1 point").max(1_000_000).optional(),
    valuePer100Points: amount.optional(),
    rewardId: z.string().optional(),
    holdoutPercent: z.number({ error: "Enter a percentage" }).int("Whole percent").min(1, "At least 1 %").max(50, "At most 50 %"),
    measureDays: z.number({ error: "Enter a number of days" }).int("Whole days").min(7, "At least 7 days").max(180, "At most 180 days"),
  })
  .superRefine((form, ctx) => {
    const need = (field: "percent" | "amount" | "points" | "rewardId", message: string) => {
      if (form[field] === undefined || form[field] === "") ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (form.incentive === "discount_percentage") need("percent", "Enter a percentage");
    if (form.incentive === "discount_amount") need("amount", "Enter an amount");
    if (form.incentive === "bonus_points") need("points", "Enter points");
    if (form.incentive === "reward") need("rewardId", "Choose a reward");
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const [campaigns, retention, rewards, shop] = await Promise.all([
    listCampaigns(database.pool, context.shopId),
    loadRetentionMetrics(database, context.shopId),
    listRewards({ db: database.pool, shopId: context.shopId }),
    findShop(database, context.shop),
  ]);
  const currencyCode = shop?.currencyCode ?? "USD";
  return {
    campaigns: campaigns.map((c) => ({ ...c, offer: describeIncentive(c, currencyCode, rewards.find((r) => r.id === c.rewardId)?.name) })),
    segments: retention?.metrics.segments.map((s) => ({ segment: s.segment, customers: s.customers })) ?? [],
    riskLevels: retention?.metrics.riskLevels ?? null,
    rewards: rewards.map((r) => ({ id: r.id, name: r.name })),
    currencyCode,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const form = parseForm(await request.formData(), campaignForm);
  if (!form.ok) return invalidForm(form.errors);
  const f = form.value;
  const currencyCode = (await findShop(getDatabase(), context.shop))?.currencyCode ?? "USD";
  const incentiveValue =
    f.incentive === "discount_percentage" ? f.percent! : f.incentive === "discount_amount" ? parseDecimalToMinor(f.amount!, currencyCode) : f.incentive === "bonus_points" ? f.points! : 0;
  const launched = await launchWinBackCampaign({
    database: getDatabase(),
    boss: await getQueue(),
    shop: { id: context.shopId, domain: context.shop },
    campaign: {
      name: f.name,
      segment: f.segment || null,
      riskLevel: f.riskLevel ?? null,
      incentive: f.incentive,
      incentiveValue,
      rewardId: f.incentive === "reward" ? f.rewardId! : null,
      valuePer100PointsMinor: f.incentive === "bonus_points" && f.valuePer100Points ? parseDecimalToMinor(f.valuePer100Points, currencyCode) : null,
      holdoutPercent: f.holdoutPercent,
      measureDays: f.measureDays,
      createdBy: context.staffUserId,
    },
    now: new Date(),
  });
  if (!launched.ok) return invalidForm({ form: launched.message });
  return savedForm(`Campaign launched: ${launched.treated.toLocaleString("en-US")} customers get the offer, ${launched.holdout.toLocaleString("en-US")} are held out`);
}

const STATUS_TONE = { launching: "attention", active: "success", failed: "critical" } as const;

export default function Campaigns() {
  const { campaigns, segments, riskLevels, rewards, currencyCode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorFor = useFieldErrors();
  useSavedToast(result);
  const saving = useNavigation().state === "submitting";
  const [incentive, setIncentive] = useState<string>("discount_percentage");
  const formError = errorFor("form");

  return (
    <Page title="Win-back campaigns" backAction={{ content: "Churn radar", url: "/app/churn" }}>
      <BlockStack gap="400">
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                New campaign
              </Text>
              <Text as="p" tone="subdued">
                Everyone in the audience is assigned once, at random, to the offer or to the hold-out, who get nothing. Comparing the two groups' repurchase
                shows what the offer really brought back.
              </Text>
              {formError ? (
                <ErrorBanner title="The campaign was not launched">
                  {formError}
                </ErrorBanner>
              ) : null}
              <FormLayout>
                <TextInput name="name" label="Name" defaultValue="" placeholder="Spring win-back" errorFor={errorFor} />
                <FormLayout.Group>
                  <SelectInput
                    name="segment"
                    label="Segment"
                    defaultValue=""
                    options={[{ label: "Any segment", value: "" }, ...segments.map((s) => ({ label: `${s.segment} (${s.customers.toLocaleString("en-US")})`, value: s.segment }))]}
                    errorFor={errorFor}
                  />
                  <SelectInput
                    name="riskLevel"
                    label="Risk level"
                    defaultValue="high"
                    options={[
                      { label: "Any risk", value: "" },
                      ...(["high", "medium", "low"] as const).map((level) => ({ label: `${level} risk${riskLevels ? ` (${riskLevels[level].toLocaleString("en-US")})` : ""}`, value: level })),
                    ]}
                    errorFor={errorFor}
                  />
                </FormLayout.Group>
                <FormLayout.Group>
                  <SelectInput
                    name="incentive"
                    label="Incentive"
                    defaultValue={incentive}
                    onChange={setIncentive}
                    options={[
                      { label: "Percentage discount code", value: "discount_percentage" },
                      { label: "Fixed-amount discount code", value: "discount_amount" },
                      { label: "A reward from the catalogue", value: "reward" },
                      { label: "Bonus points", value: "bonus_points" },
                    ]}
                    errorFor={errorFor}
                  />
                  {incentive === "discount_percentage" ? <TextInput name="percent" type="number" label="Discount" suffix="%" defaultValue={15} errorFor={errorFor} /> : null}
                  {incentive === "discount_amount" ? <TextInput name="amount" label="Discount" prefix={currencyCode} defaultValue="10.00" errorFor={errorFor} /> : null}
                  {incentive === "reward" ? (
                    <SelectInput
                      name="rewardId"
                      label="Reward"
                      defaultValue={rewards[0]?.id ?? ""}
                      options={rewards.length ? rewards.map((r) => ({ label: r.name, value: r.id })) : [{ label: "The catalogue has no reward", value: "" }]}
                      errorFor={errorFor}
                    />
                  ) : null}
                  {incentive === "bonus_points" ? <TextInput name="points" type="number" label="Points" defaultValue={500} errorFor={errorFor} /> : null}
                </FormLayout.Group>
                {incentive === "bonus_points" ? (
                  <TextInput name="valuePer100Points" label="What 100 points cost you (for the cost per saved customer)" prefix={currencyCode} defaultValue="1.00" errorFor={errorFor} />
                ) : null}
                <FormLayout.Group>
                  <TextInput name="holdoutPercent" type="number" label="Hold-out" suffix="% get nothing" defaultValue={10} errorFor={errorFor} />
                  <TextInput name="measureDays" type="number" label="Measure repurchases for" suffix="days" defaultValue={30} helpText="Codes are valid as long." errorFor={errorFor} />
                </FormLayout.Group>
              </FormLayout>
              <Button submit variant="primary" loading={saving}>
                Launch campaign
              </Button>
            </BlockStack>
          </Form>
        </Card>
        <TitledCard title="Campaigns">
          <RecordsTable
            empty="No campaign yet."
            columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "text"]}
            headings={["Campaign", "Audience", "Offer", "Treated", "Hold-out", "Offers given", "Status"]}
            rows={campaigns.map((c) => [
              <RemixLink key={c.id} to={`/app/churn/campaigns/${c.id}`}>
                {c.name}
              </RemixLink>,
              [c.segment, c.riskLevel ? `${c.riskLevel} risk` : null].filter(Boolean).join(", ") || "Everyone scored",
              c.offer,
              c.treated.toLocaleString("en-US"),
              c.holdout.toLocaleString("en-US"),
              `${c.given.toLocaleString("en-US")}${c.failed ? ` (${c.failed} refused)` : ""}`,
              <BlockStack key={`status-${c.id}`} gap="050">
                <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge>
                <Text as="span" variant="bodySm" tone="subdued">
                  {formatDate(c.createdAt)}
                </Text>
              </BlockStack>,
            ])}
          />
        </TitledCard>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
