/** Refit-and-score runs (ChurnRun): requested, claimed by the worker, progressing through stages, finished. */
import type pg from "pg";
import type { Database } from "../db.server";
import type { Prisma } from "../generated/prisma/client";

export type ChurnRunTrigger = "nightly" | "manual";
export type ChurnRunStage = "reading orders" | "fitting" | "scoring" | "metrics" | "syncing to Shopify" | "done";

export interface ChurnRunView {
  id: number;
  trigger: string;
  status: "queued" | "running" | "succeeded" | "failed";
  stage: string | null;
  processed: number;
  total: number;
  error: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  customers: number | null;
  timeUnit: string | null;
  bgNbd: Prisma.JsonValue;
  gammaGamma: Prisma.JsonValue;
  timings: Prisma.JsonValue;
}

const VIEW = {
  id: true,
  trigger: true,
  status: true,
  stage: true,
  processed: true,
  total: true,
  error: true,
  requestedAt: true,
  startedAt: true,
  finishedAt: true,
  customers: true,
  timeUnit: true,
  bgNbd: true,
  gammaGamma: true,
  timings: true,
} as const;

/** A run queued or running for longer than this is taken to be dead (its job gave up) and no longer blocks a new one. */
const RUN_GIVEN_UP_AFTER_HOURS = 6;

/**
 * Creates a queued run for the shop unless one is already queued or running, in the caller's transaction (which
 * should also enqueue its job). A per-shop advisory lock makes two simultaneous requests agree on one run.
 */
export async function createRunUnlessPending(tx: pg.PoolClient, shopId: number, trigger: ChurnRunTrigger, at: Date): Promise<{ runId: number; created: boolean }> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('churn-run'), $1)`, [shopId]);
  const pending = await tx.query<{ id: number }>(
    `select id from "ChurnRun" where "shopId" = $1 and status in ('queued', 'running') and "requestedAt" > $2::timestamptz - make_interval(hours => $3)
      order by id desc limit 1`,
    [shopId, at, RUN_GIVEN_UP_AFTER_HOURS],
  );
  if (pending.rows[0]) return { runId: pending.rows[0].id, created: false };
  const { rows } = await tx.query<{ id: number }>(`insert into "ChurnRun" ("shopId", trigger, "requestedAt") values ($1, $2, $3) returning id`, [shopId, trigger, at]);
  return { runId: rows[0].id, created: true };
}

export async function startRun(database: Database, runId: number, at: Date): Promise<void> {
  await database.prisma.churnRun.update({ where: { id: runId }, data: { status: "running", startedAt: at, error: null, stage: "reading orders", processed: 0, total: 0 } });
}

export async function recordRunProgress(database: Database, runId: number, progress: { stage: ChurnRunStage; processed: number; total: number }): Promise<void> {
  await database.prisma.churnRun.update({ where: { id: runId }, data: progress });
}

export async function recordRunModels(
  database: Database,
  runId: number,
  models: { timeUnit: string; bgNbd: Prisma.InputJsonValue; gammaGamma: Prisma.InputJsonValue | null; customers: number },
): Promise<void> {
  await database.prisma.churnRun.update({
    where: { id: runId },
    data: { ...models, gammaGamma: models.gammaGamma ?? undefined },
  });
}

/** `metrics` must be plain JSON data (no Dates, no undefined). */
export async function recordRunMetrics(database: Database, runId: number, metrics: object): Promise<void> {
  await database.prisma.churnRun.update({ where: { id: runId }, data: { metrics: metrics as Prisma.InputJsonValue } });
}

export async function finishRun(database: Database, runId: number, at: Date, timings: Record<string, number>): Promise<void> {
  await database.prisma.churnRun.update({ where: { id: runId }, data: { status: "succeeded", stage: "done", finishedAt: at, timings } });
}

export async function failRun(database: Database, runId: number, at: Date, error: string): Promise<void> {
  await database.prisma.churnRun.update({ where: { id: runId }, data: { status: "failed", finishedAt: at, error: error.slice(0, 2000) } });
}

export async function findRun(database: Database, shopId: number, runId: number): Promise<ChurnRunView | null> {
  return database.prisma.churnRun.findFirst({ where: { id: runId, shopId }, select: VIEW });
}

export async function recentRuns(database: Database, shopId: number, take = 5): Promise<ChurnRunView[]> {
  return database.prisma.churnRun.findMany({ where: { shopId }, orderBy: { id: "desc" }, take, select: VIEW });
}

/** The metrics of the shop's latest run that computed them. */
export async function latestMetrics(database: Database, shopId: number): Promise<{ runId: number; finishedAt: Date | null; metrics: unknown } | null> {
  const { rows } = await database.pool.query<{ runId: number; finishedAt: Date | null; metrics: unknown }>(
    `select id as "runId", "finishedAt", metrics from "ChurnRun" where "shopId" = $1 and metrics is not null order by id desc limit 1`,
    [shopId],
  );
  return rows[0] ?? null;
}

/** The latest fitted models of the shop, with the time unit their parameters are in. */
export async function latestModels(database: Database, shopId: number) {
  return database.prisma.churnRun.findFirst({
    where: { shopId, status: "succeeded" },
    orderBy: { id: "desc" },
    select: { id: true, finishedAt: true, timeUnit: true, bgNbd: true, gammaGamma: true, customers: true },
  });
}

/** Installed shops, for the nightly fan-out. */
export async function installedShops(database: Database): Promise<{ id: number; domain: string; currencyCode: string }[]> {
  return database.prisma.shop.findMany({ where: { uninstalledAt: null }, select: { id: true, domain: true, currencyCode: true }, orderBy: { id: "asc" } });
}
