/**
 * Charts through Polaris Viz. They are drawn in the browser only: the server renders a skeleton of the same
 * size (Polaris Viz measures its container, which does not exist on the server), so nothing shifts.
 */
import { BarChart, ChartSkeleton, DonutChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { Text } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";

export const chartStyles = { rel: "stylesheet", href: vizStyles };

/** One named series of (label, value) points, e.g. points issued per week. */
export interface ChartSeries {
  name: string;
  data: { key: string; value: number | null }[];
}

export function ChartProvider({ children }: { children: ReactNode }) {
  return <PolarisVizProvider defaultTheme="Light">{children}</PolarisVizProvider>;
}

export function Chart({ kind, series, label, height = 260 }: { kind: "line" | "bar" | "donut"; series: ChartSeries[]; label: string; height?: number }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const empty = series.every((s) => s.data.every((point) => !point.value));
  return (
    <figure aria-label={label} data-chart={kind} style={{ margin: 0, height }}>
      {empty ? (
        <Text as="p" tone="subdued">
          No data for this period yet.
        </Text>
      ) : !inBrowser ? (
        <ChartSkeleton type={kind === "donut" ? "Donut" : "Default"} />
      ) : kind === "line" ? (
        <LineChart data={series} isAnimated={false} />
      ) : kind === "bar" ? (
        <BarChart data={series} isAnimated={false} />
      ) : (
        <DonutChart data={series} legendPosition="right" />
      )}
    </figure>
  );
}
