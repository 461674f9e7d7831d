import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { Figure } from "~/components/Figure";
import { formatMoney } from "~/components/format";
import { PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { env } from "~/config/env.server";
import { getDatabase } from "~/data/database.server";
import { hasAwardedPoints } from "~/data/analytics/program.server";
import { reviewedSections } from "~/data/admin/program.server";
import { adminClientFor } from "~/services/admin/admin-client.server";
import { homeNumbers } from "~/services/admin/analytics.server";
import { adminContext } from "~/services/admin/context.server";
import { onboardingSteps } from "~/services/admin/onboarding";
import { loadProgram } from "~/services/admin/program.server";
import { storefrontWidgetEnabled } from "~/services/admin/theme.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const now = new Date();
  const [program, reviewed, numbers, awarded, widgetEnabled] = await Promise.all([
    loadProgram(database, context.shopId),
    reviewedSections(database, context.shopId),
    homeNumbers(database, context.shopId, now),
    hasAwardedPoints(database, context.shopId),
    storefrontWidgetEnabled(adminClientFor(context.session)),
  ]);
  const steps = onboardingSteps(
    {
      programEnabled: program.settings.enabled,
      earningReviewed: reviewed.has("earning"),
      activeRewards: numbers.activeRewards,
      tiersReviewed: reviewed.has("tiers"),
      widgetEnabled,
      pointsAwarded: awarded,
    },
    { shop: context.shop, apiKey: env().SHOPIFY_API_KEY },
  );
  return { steps, numbers, currencyCode: program.currencyCode, enabled: program.settings.enabled };
}

export default function Home() {
  const { steps, numbers, currencyCode, enabled } = useLoaderData<typeof loader>();
  const done = steps.filter((step) => step.done).length;
  const { flow, outstanding, liabilityMinor } = numbers;
  return (
    <Page title="Retention Engine" titleMetadata={<Badge tone={enabled ? "success" : "attention"}>{enabled ? "Program on" : "Program off"}</Badge>}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {done < steps.length ? (
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Set up your program
                    </Text>
                    <Text as="p" tone="subdued">{`${done} of ${steps.length} done`}</Text>
                  </InlineStack>
                  <ProgressBar progress={(done / steps.length) * 100} size="small" tone="primary" ariaLabelledBy="setup-progress" />
                  <span id="setup-progress" hidden>{`Setup ${done} of ${steps.length} done`}</span>
                  <BlockStack gap="200" as="ul">
                    {steps.map((step) => (
                      <Box as="li" key={step.id} padding="200" borderRadius="200" background={step.done ? undefined : "bg-surface-secondary"} id={`step-${step.id}`}>
                        <InlineStack gap="300" align="space-between" blockAlign="center" wrap>
                          <InlineStack gap="200" blockAlign="center" wrap={false}>
                            <Badge tone={step.done ? "success" : undefined} progress={step.done ? "complete" : "incomplete"}>
                              {step.done ? "Done" : "To do"}
                            </Badge>
                            <BlockStack gap="050">
                              <Text as="span" fontWeight="semibold" tone={step.done ? "subdued" : undefined}>
                                {step.title}
                              </Text>
                              {step.done ? null : (
                                <Text as="span" tone="subdued" variant="bodySm">
                                  {step.description}
                                </Text>
                              )}
                            </BlockStack>
                          </InlineStack>
                          {step.done ? null : step.action.external ? (
                            <Button url={step.action.url} target="_top" external>
                              {step.action.label}
                            </Button>
                          ) : (
                            <RemixLink to={step.action.url}>{step.action.label}</RemixLink>
                          )}
                        </InlineStack>
                      </Box>
                    ))}
                  </BlockStack>
                </BlockStack>
              </Card>
            ) : (
              <Card>
                <Text as="p">Your program is set up. Its numbers are below; Analytics has the detail.</Text>
              </Card>
            )}
            <TitledCard title="Last 30 days">
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <Figure label="Points issued" value={flow.issued} />
                <Figure label="Points redeemed" value={flow.redeemed} />
                <Figure label="Rewards redeemed" value={flow.rewardsRedeemed} />
                <Figure label="Customers earning" value={flow.customersEarning} />
              </InlineGrid>
            </TitledCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <TitledCard title="Points outstanding" gap="200">
            <Text as="p" variant="headingLg">
              {outstanding.points.toLocaleString("en-US")}
            </Text>
            <Text as="p" tone="subdued">
              {`Held by ${outstanding.customers.toLocaleString("en-US")} customers`}
              {liabilityMinor === null ? "" : `, worth up to ${formatMoney(liabilityMinor, currencyCode)} in rewards`}
            </Text>
            <RemixLink to="/app/analytics">See analytics</RemixLink>
          </TitledCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
