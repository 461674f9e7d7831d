/**
 * The demo's first churn refit, right after the CDNOW seed: requested like "Refit now" and run by the demo's worker,
 * so the Churn radar shows real numbers at once instead of after the first night. The terminal follows the run
 * until scores and metrics are stored; sending them to the fake Admin API carries on in the background.
 */
import { SingleBar } from "cli-progress";
import { openDatabase } from "~/data/db.server";
import { findShop } from "~/data/shops.server";
import { startQueue } from "~/jobs/queue.server";
import { requestRefit } from "~/services/churn/jobs.server";

export async function runFirstChurnRefit(databaseUrl: string, shopDomain: string, say: (line: string) => void): Promise<void> {
  const database = openDatabase(databaseUrl, { max: 2 });
  const boss = await startQueue(database.pool, { maxAttempts: 3, expireSeconds: 60, maintenanceSeconds: 300 });
  try {
    const shop = await findShop(database, shopDomain);
    if (!shop) return;
    if (await database.prisma.churnRun.count({ where: { shopId: shop.id, status: "succeeded" } })) return; // a restarted demo keeps its scores
    say("scoring the demo shop's customers (churn radar: BG/NBD + Gamma-Gamma refit, risk, segments, retention metrics)");
    const { runId } = await requestRefit({ database, boss, shop, trigger: "manual", now: new Date() });
    const bar = new SingleBar({ format: "  churn refit    [{bar}] {percentage}% | {stage}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(1, 0, { stage: "queued" });
    for (;;) {
      const run = await database.prisma.churnRun.findUniqueOrThrow({ where: { id: runId } });
      bar.setTotal(Math.max(1, run.total));
      bar.update(run.processed, { stage: run.stage ?? run.status });
      if (run.status === "failed") {
        bar.stop();
        say(`  the churn refit failed: ${run.error}`);
        return;
      }
      if (run.metrics !== null) {
        bar.stop();
        const timings = run.timings as Record<string, number> | null;
        const seconds = run.startedAt ? ((Date.now() - run.startedAt.getTime()) / 1000).toFixed(1) : "?";
        say(`  ${run.customers?.toLocaleString("en-US")} customers scored with metrics in ${seconds} s${timings ? "" : "; sending risks and segments to the (fake) Admin API continues in the background"}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await database.close();
  }
}
