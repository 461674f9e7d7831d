import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { getDatabase } from "~/data/database.server";
import { shopOverview } from "~/data/overview.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, overview: await shopOverview(getDatabase(), session.shop) };
}

export default function Home() {
  const { shop, overview } = useLoaderData<typeof loader>();
  const inbox = overview?.inbox ?? { received: 0, processed: 0, failed: 0 };
  return (
    <Page title="Retention Engine">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {shop}
              </Text>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <Stat label="Webhooks processed" value={inbox.processed} />
                <Stat label="Waiting" value={inbox.received} />
                <Stat label="Failed (replayable)" value={inbox.failed} />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value.toLocaleString("en-US")}
      </Text>
    </BlockStack>
  );
}
