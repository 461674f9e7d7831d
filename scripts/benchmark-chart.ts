/**
 * Draws how cost grows with the shop from bench/scale.bench.ts's figures: an SVG line chart, log-log, one line
 * per measurement, each with its target as a dashed line of the same colour.
 *   npx tsx scripts/benchmark-chart.ts [bench/results/scale.json] [docs/benchmarks-scale.svg]
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { ScaleFigures, ScaleResults } from "../bench/scale.bench";

interface Series {
  name: string;
  colour: string;
  targetMs: number;
  value: (figures: ScaleFigures) => number;
}

const pick = <T>(figures: Record<string, T>, keep: (name: string) => boolean) => Object.fromEntries(Object.entries(figures).filter(([name]) => keep(name)));
const slowest = (figures: Record<string, { median: number }>) => Math.max(...Object.values(figures).map((f) => f.median));

const SERIES: Series[] = [
  { name: "balance read, p99", colour: "#1f77b4", targetMs: 5, value: (f) => f.balanceReadMs.p99 },
  { name: "search, slowest term (median)", colour: "#ff7f0e", targetMs: 100, value: (f) => slowest(pick(f.searchMs, (kind) => !kind.startsWith("broad"))) },
  { name: "admin page, slowest (median)", colour: "#2ca02c", targetMs: 300, value: (f) => slowest(f.pageMs) },
  { name: "nightly churn refit", colour: "#d62728", targetMs: 10_000, value: (f) => (f.churn.error ? NaN : f.churn.totalMs) },
];

const WIDTH = 820;
const HEIGHT = 480;
const PLOT = { left: 70, right: 250, top: 30, bottom: 80 };

export function scaleChart(figures: ScaleFigures[], conditions: string): string {
  const xs = figures.map((f) => f.customers);
  figures = [...figures].sort((a, b) => a.customers - b.customers);
  const values = SERIES.flatMap((s) => [s.targetMs, ...figures.map(s.value)]).filter((v) => v > 0 && Number.isFinite(v));
  const xMin = Math.log10(Math.min(...xs));
  const xMax = Math.log10(Math.max(...xs));
  const yMin = Math.floor(Math.log10(Math.min(...values)));
  const yMax = Math.ceil(Math.log10(Math.max(...values)));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const x = (customers: number) => PLOT.left + (xMax === xMin ? plotWidth / 2 : ((Math.log10(customers) - xMin) / (xMax - xMin)) * plotWidth);
  const y = (ms: number) => PLOT.top + plotHeight - ((Math.log10(ms) - yMin) / (yMax - yMin)) * plotHeight;
  const ms = (value: number) => (value >= 1000 ? `${value / 1000} s` : `${value} ms`);

  const parts: string[] = [];
  for (let decade = yMin; decade <= yMax; decade += 1) {
    const value = 10 ** decade;
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${PLOT.left - 8}" y="${y(value) + 4}" text-anchor="end">${ms(value)}</text>`);
  }
  for (const customers of xs) {
    parts.push(`<line x1="${x(customers)}" x2="${x(customers)}" y1="${PLOT.top}" y2="${PLOT.top + plotHeight}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${x(customers)}" y="${PLOT.top + plotHeight + 18}" text-anchor="middle">${customers.toLocaleString("en-US")}</text>`);
  }
  parts.push(`<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight + 38}" text-anchor="middle">customers in the shop (~10 ledger rows each)</text>`);
  SERIES.forEach((series, index) => {
    const points = figures.map((f) => [x(f.customers), y(series.value(f))] as const).filter(([, py]) => Number.isFinite(py));
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${y(series.targetMs)}" y2="${y(series.targetMs)}" stroke="${series.colour}" stroke-dasharray="4 4" opacity="0.6"/>`);
    parts.push(`<polyline fill="none" stroke="${series.colour}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}"/>`);
    for (const [px, py] of points) parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${series.colour}"/>`);
    const legendY = PLOT.top + 10 + index * 36;
    parts.push(`<line x1="${WIDTH - PLOT.right + 20}" x2="${WIDTH - PLOT.right + 44}" y1="${legendY}" y2="${legendY}" stroke="${series.colour}" stroke-width="2"/>`);
    parts.push(`<text x="${WIDTH - PLOT.right + 50}" y="${legendY + 4}">${series.name}</text>`);
    parts.push(`<text x="${WIDTH - PLOT.right + 50}" y="${legendY + 18}" fill="#666">target ${ms(series.targetMs)} (dashed)</text>`);
  });
  const load = figures.map((f) => `${f.customers.toLocaleString("en-US")}: ${f.loadAverage.start.toFixed(1)}–${f.loadAverage.end.toFixed(1)}`).join(", ");
  parts.push(`<text x="${PLOT.left}" y="${HEIGHT - 22}" fill="#666">${conditions.replace(/[<&>]/g, "")}</text>`);
  parts.push(`<text x="${PLOT.left}" y="${HEIGHT - 6}" fill="#666">1-minute load average while measuring (start–end): ${load}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${PLOT.left}" y="18" font-size="14" font-weight="600">How cost grows with the shop (log-log)</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

if (process.argv[1]?.endsWith("benchmark-chart.ts")) {
  const [input = "bench/results/scale.json", output = "docs/benchmarks-scale.svg"] = process.argv.slice(2);
  const { figures, conditions } = JSON.parse(readFileSync(input, "utf8")) as ScaleResults;
  const days = [...new Set(figures.map((f) => f.measuredAt.slice(0, 10)))].join(", ");
  writeFileSync(output, scaleChart(figures, `measured ${days}; ${conditions}`));
  console.log(`wrote ${output}`);
}
