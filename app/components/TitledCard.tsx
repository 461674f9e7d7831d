/** The admin pages' usual card: a heading over its content, and lists that say so when they are empty. */
import { BlockStack, Card, DataTable, Text, type DataTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";

export function TitledCard({ title, gap = "300", children }: { title: ReactNode; gap?: "200" | "300"; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** A table of records, or the sentence `empty` when there are none. */
export function RecordsTable({ empty, ...table }: DataTableProps & { empty: string }) {
  return table.rows.length === 0 ? (
    <Text as="p" tone="subdued">
      {empty}
    </Text>
  ) : (
    <DataTable {...table} />
  );
}
