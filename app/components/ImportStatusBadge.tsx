import { Badge } from "@shopify/polaris";

const TONE = { previewed: "info", queued: "attention", running: "attention", completed: "success", failed: "critical" } as const;
const LABEL = { previewed: "Checked, not imported", queued: "Waiting", running: "Importing", completed: "Imported", failed: "Failed" } as const;

export function ImportStatusBadge({ status }: { status: keyof typeof TONE }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
