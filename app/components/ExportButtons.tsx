/**
 * Downloads of the CSV exports. Inside the admin a plain link would arrive without the session token, so the
 * file is fetched (App Bridge adds the token to the app's own fetches) and handed to the browser as a download.
 */
import { BlockStack, Button, Card, Text } from "@shopify/polaris";
import { useState } from "react";

const EXPORTS = [
  { path: "/app/export/customers", file: "customers.csv", label: "Export customers" },
  { path: "/app/export/ledger", file: "points-ledger.csv", label: "Export points ledger" },
] as const;

export function ExportButtons() {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  async function download(path: string, file: string) {
    setBusy(path);
    setFailed(false);
    try {
      const response = await fetch(path);
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: file });
      link.click();
      URL.revokeObjectURL(url);
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Export
        </Text>
        <Text as="p" tone="subdued">
          CSV files with every customer's balance and tier, or every points movement.
        </Text>
        {EXPORTS.map((item) => (
          <Button key={item.path} onClick={() => download(item.path, item.file)} loading={busy === item.path}>
            {item.label}
          </Button>
        ))}
        {failed ? (
          <Text as="p" tone="critical">
            The export could not be downloaded. Try again.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
