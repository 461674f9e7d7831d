/** What the Churn radar page shows: the latest metrics and models, run progress, and the valuable customers at risk. */
import type { Database } from "~/data/db.server";
import { latestModels, recentRuns } from "~/data/churn/runs.server";
import { scoredCustomers } from "~/data/churn/scores.server";
import { loadRetentionMetrics } from "./metrics.server";

export const AT_RISK_SHOWN = 10;

export async function churnRadarOverview(database: Database, shopId: number) {
  const [runs, models, retention, atRisk] = await Promise.all([
    recentRuns(database, shopId, 5),
    latestModels(database, shopId),
    loadRetentionMetrics(database, shopId),
    scoredCustomers(database.pool, shopId, { riskLevel: "high", take: AT_RISK_SHOWN, skip: 0 }),
  ]);
  return { runs, models, metrics: retention?.metrics ?? null, atRisk };
}
