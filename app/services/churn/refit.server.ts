/**
 * One refit-and-score run of a shop, stage by stage, with progress the admin polls: fit and score every
 * customer, compute the retention metrics, then send changed risks and segments to Shopify. Scores and metrics
 * are saved before the Shopify sync starts, so a sync that fails leaves them usable (and the next run resumes it).
 */
import type { Database } from "~/data/db.server";
import { failRun, finishRun, recordRunMetrics, recordRunModels, recordRunProgress, startRun } from "~/data/churn/runs.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { computeRetentionMetrics } from "./metrics.server";
import { NotEnoughHistoryError, refitAndScore } from "./scoring.server";
import { loadChurnSettings } from "./settings.server";
import { syncScoresToShopify } from "./shopify-sync.server";

export type RunOutcome = "succeeded" | "not enough history";

export async function runChurnRefit({
  database,
  shopId,
  runId,
  clock,
  admin,
}: {
  database: Database;
  shopId: number;
  runId: number;
  clock: () => Date;
  /** Null when the shop has no usable Admin API access (e.g. uninstalled): scores are kept, nothing is sent. */
  admin: AdminClient | null;
}): Promise<RunOutcome> {
  const now = clock();
  await startRun(database, runId, now);
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const at = performance.now();
    timings[name] = Math.round(at - mark);
    mark = at;
  };
  try {
    const settings = await loadChurnSettings(database, shopId);
    const scoring = await refitAndScore({
      database,
      shopId,
      runId,
      now,
      settings,
      onFitted: async (models, customers) => {
        lap("readAndFitMs");
        await recordRunModels(database, runId, {
          timeUnit: models.timeUnit,
          bgNbd: { ...models.bgNbd.params, logLikelihood: models.bgNbd.logLikelihood, converged: models.bgNbd.converged, iterations: models.bgNbd.iterations },
          gammaGamma: models.gammaGamma
            ? { ...models.gammaGamma.params, logLikelihood: models.gammaGamma.logLikelihood, customers: models.gammaGamma.customers, converged: models.gammaGamma.converged }
            : null,
          customers,
        });
        await recordRunProgress(database, runId, { stage: "scoring", processed: 0, total: customers });
      },
      onProgress: (processed, total) => recordRunProgress(database, runId, { stage: "scoring", processed, total }),
    });
    lap("scoreMs");
    await recordRunProgress(database, runId, { stage: "metrics", processed: 0, total: 0 });
    const metrics = await computeRetentionMetrics({ database, shopId, now, lost: settings.lost, bgNbd: scoring.models.bgNbd.params });
    await recordRunMetrics(database, runId, metrics);
    lap("metricsMs");
    if (admin) {
      await recordRunProgress(database, runId, { stage: "syncing to Shopify", processed: 0, total: 0 });
      await syncScoresToShopify({
        database,
        admin,
        shopId,
        now,
        onProgress: (processed, total) => recordRunProgress(database, runId, { stage: "syncing to Shopify", processed, total }),
      });
      lap("syncMs");
    }
    await finishRun(database, runId, clock(), timings);
    return "succeeded";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await failRun(database, runId, clock(), message);
    // Too little history is an answer, not a fault: retrying would not change it.
    if (error instanceof NotEnoughHistoryError) return "not enough history";
    throw error;
  }
}
