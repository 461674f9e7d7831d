/** A key figure of an admin page: a label over a large value, with an optional badge beside it and a note under it. */
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface FigureProps {
  label: string;
  /** A number is shown with thousands separators. */
  value: string | number;
  help?: string;
  badge?: ReactNode;
}

/** For grids of figures inside one card. */
export function Figure({ label, value, help, badge }: FigureProps) {
  const shown = (
    <Text as="p" variant="headingLg">
      {typeof value === "number" ? value.toLocaleString("en-US") : value}
    </Text>
  );
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      {badge ? (
        <InlineStack gap="200" blockAlign="center">
          {shown}
          {badge}
        </InlineStack>
      ) : (
        shown
      )}
      {help ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** For grids of figures that each stand in a card of their own. */
export function FigureCard(props: FigureProps) {
  return (
    <Card>
      <Figure {...props} />
    </Card>
  );
}
