import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { invalidForm, parseForm, savedForm } from "~/components/forms.server";
import { useSavedToast } from "~/components/forms";
import { ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { env } from "~/config/env.server";
import { getDatabase } from "~/data/database.server";
import { adminClientFor } from "~/services/admin/admin-client.server";
import { billingOverview, confirmPlanChange, startPlanChange } from "~/services/admin/billing.server";
import { adminContext } from "~/services/admin/context.server";
import { PLAN_KEYS, PLANS, type PlanKey } from "~/services/admin/plans";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const chargeId = new URL(request.url).searchParams.get("charge_id");
  const now = new Date();
  const confirmation = chargeId && /^\d+$/.test(chargeId)
    ? await confirmPlanChange({ admin: adminClientFor(context.session), database: getDatabase(), shopId: context.shopId, chargeId, now })
    : null;
  const overview = await billingOverview(getDatabase(), context.shopId, now);
  return { overview, confirmation, plans: PLAN_KEYS.map((key) => PLANS[key]) };
}

const choosePlan = z.object({ plan: z.enum(PLAN_KEYS, { error: "Choose one of the plans" }) });

/** Where Shopify sends the merchant after approving: inside the admin, or the app itself in the demo. */
function returnUrl(shop: string): string {
  const config = env();
  if (config.DEMO_MODE) return `${config.SHOPIFY_APP_URL}/app/billing`;
  return `https://admin.shopify.com/store/${shop.replace(".myshopify.com", "")}/apps/${config.SHOPIFY_API_KEY}/app/billing`;
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const form = parseForm(await request.formData(), choosePlan);
  if (!form.ok) return invalidForm(form.errors);
  const result = await startPlanChange({
    admin: adminClientFor(context.session),
    database: getDatabase(),
    shopId: context.shopId,
    planKey: form.value.plan,
    returnUrl: returnUrl(context.shop),
    test: env().NODE_ENV !== "production",
    now: new Date(),
  });
  if (result.kind === "approve_in_shopify") return { ok: true as const, confirmationUrl: result.confirmationUrl };
  return savedForm(result.kind === "changed" ? `You are on the ${PLANS[form.value.plan].name} plan` : "That is already your plan");
}

const money = (minor: number) => (minor === 0 ? "Free" : `$${(minor / 100).toFixed(0)}/month`);

export default function Billing() {
  const { overview, confirmation, plans } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const submitting = useNavigation().state === "submitting";
  useSavedToast(result && "message" in result ? result : null);

  useEffect(() => {
    if (!result || !("confirmationUrl" in result) || !result.confirmationUrl) return;
    const url = new URL(result.confirmationUrl);
    // Shopify's approval page opens over the whole admin; a return to the app itself stays inside it.
    if (url.origin === window.location.origin) navigate(`${url.pathname}${url.search}`);
    else window.open(url.toString(), "_top");
  }, [result, navigate]);

  const { allowance } = overview;
  return (
    <Page title="Billing" subtitle="Plans are billed by Shopify, on your Shopify invoice.">
      <BlockStack gap="400">
        {confirmation?.kind === "activated" ? (
          <Banner tone="success" title={`You are on the ${confirmation.plan.name} plan`} />
        ) : confirmation?.kind === "not_approved" ? (
          <ErrorBanner title="The plan was not approved">The charge is {confirmation.status.toLowerCase()} in Shopify; your plan has not changed.</ErrorBanner>
        ) : null}
        {allowance.overLimit ? (
          <Banner tone="warning" title={`This period's ${allowance.limit?.toLocaleString("en-US")} orders are used up`}>
            Orders after the limit earn no points until the next period or an upgrade.
          </Banner>
        ) : null}
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Current plan: {overview.plan.name}
              </Text>
              {overview.trialEndsAt ? <Badge tone="info">{`Trial until ${new Date(overview.trialEndsAt).toLocaleDateString("en-US")}`}</Badge> : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              Orders this period (since {new Date(overview.periodStart).toLocaleDateString("en-US")}): {allowance.used.toLocaleString("en-US")}
              {allowance.limit === null ? " — unlimited" : ` of ${allowance.limit.toLocaleString("en-US")}`}
            </Text>
            {allowance.limit !== null ? <ProgressBar progress={Math.min(100, (allowance.used / allowance.limit) * 100)} tone={allowance.overLimit ? "critical" : "primary"} size="small" /> : null}
          </BlockStack>
        </Card>
        <Layout>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              {plans.map((plan) => (
                <PlanCard key={plan.key} plan={plan} current={plan.key === overview.plan.key} submitting={submitting} />
              ))}
            </InlineGrid>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function PlanCard({ plan, current, submitting }: { plan: (typeof PLANS)[PlanKey]; current: boolean; submitting: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h3" variant="headingMd">
            {plan.name}
          </Text>
          {current ? <Badge tone="success">Current</Badge> : null}
        </InlineStack>
        <Text as="p" variant="headingLg">
          {money(plan.priceMinor)}
        </Text>
        {plan.trialDays > 0 ? <Text as="p" tone="subdued">{`${plan.trialDays}-day free trial`}</Text> : null}
        <List>
          {plan.features.map((feature) => (
            <List.Item key={feature}>{feature}</List.Item>
          ))}
        </List>
        <Box>
          <Form method="post">
            <input type="hidden" name="plan" value={plan.key} />
            <Button submit disabled={current || submitting} variant={current ? "secondary" : "primary"}>
              {current ? "Your plan" : `Choose ${plan.name}`}
            </Button>
          </Form>
        </Box>
      </BlockStack>
    </Card>
  );
}

export const ErrorBoundary = PageErrorBoundary;
