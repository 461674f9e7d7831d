/** The states every admin page has besides its content: loading, empty and failed. */
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, Layout, Page, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";
import type { ReactNode } from "react";

/** Shown while the next page's loader runs. */
export function PageSkeleton() {
  return (
    <SkeletonPage primaryAction>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={4} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <SkeletonBodyText lines={3} />
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

const EMPTY_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

export function EmptyCard({ heading, action, children }: { heading: string; action?: { content: string; url: string }; children?: ReactNode }) {
  return (
    <Card>
      <EmptyState heading={heading} action={action} image={EMPTY_IMAGE}>
        {children}
      </EmptyState>
    </Card>
  );
}

export function ErrorBanner({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Banner tone="critical" title={title}>
      {children}
    </Banner>
  );
}

/**
 * A page's ErrorBoundary: the admin frame and navigation stay, the page says what failed. Expected refusals
 * (404, 400) show their own text; anything else a generic line, never a stack trace.
 */
export function PageErrorBoundary() {
  const error = useRouteError();
  const known = isRouteErrorResponse(error);
  const title = known && error.status === 404 ? "Not found" : "This page could not be loaded";
  const detail = known && typeof error.data === "string" ? error.data : "Try again in a moment. If it keeps failing, contact support.";
  return (
    <Page title="Retention Engine">
      <ErrorBanner title={title}>
        <p>{detail}</p>
      </ErrorBanner>
    </Page>
  );
}
