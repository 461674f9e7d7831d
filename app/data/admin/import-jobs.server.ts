/** CSV imports: the previewed file, its row errors, and the background run's progress. */
import type { Prisma } from "../db.server";
import type { Database } from "../db.server";

export interface ImportJobRecord {
  id: string;
  fileName: string;
  format: string;
  status: "previewed" | "queued" | "running" | "completed" | "failed";
  totalRows: number;
  validRows: number;
  errorRows: number;
  processedRows: number;
  importedRows: number;
  errors: { line: number; column: string | null; message: string }[];
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const PUBLIC_FIELDS = {
  id: true,
  fileName: true,
  format: true,
  status: true,
  totalRows: true,
  validRows: true,
  errorRows: true,
  processedRows: true,
  importedRows: true,
  errors: true,
  lastError: true,
  createdAt: true,
  finishedAt: true,
} as const;

/** Row errors kept per import: enough to fix a file, bounded so one broken file cannot bloat the table. */
export const MAX_STORED_ROW_ERRORS = 500;

export async function createPreviewedImport(
  database: Database,
  input: { shopId: number; fileName: string; format: string; csv: string; totalRows: number; validRows: number; errorRows: number; errors: ImportJobRecord["errors"]; staffUserId: string | null },
): Promise<string> {
  const job = await database.prisma.importJob.create({
    data: { ...input, errors: input.errors.slice(0, MAX_STORED_ROW_ERRORS) as Prisma.InputJsonValue },
    select: { id: true },
  });
  return job.id;
}

export async function findImportJob(database: Database, shopId: number, id: string): Promise<ImportJobRecord | null> {
  return (await database.prisma.importJob.findFirst({ where: { id, shopId }, select: PUBLIC_FIELDS })) as ImportJobRecord | null;
}

export async function recentImportJobs(database: Database, shopId: number, limit = 10): Promise<ImportJobRecord[]> {
  return (await database.prisma.importJob.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: limit, select: PUBLIC_FIELDS })) as ImportJobRecord[];
}

/** previewed → queued, once: a second submit of the same preview finds nothing to queue. */
export async function markImportQueued(database: Database, shopId: number, id: string): Promise<boolean> {
  const { count } = await database.prisma.importJob.updateMany({ where: { id, shopId, status: "previewed", validRows: { gt: 0 } }, data: { status: "queued" } });
  return count === 1;
}

/** The job's file and where a previous attempt stopped; null when it is already finished. */
export async function startImportRun(database: Database, id: string): Promise<{ shopId: number; csv: string; processedRows: number; staffUserId: string | null } | null> {
  const job = await database.prisma.importJob.findUnique({ where: { id }, select: { shopId: true, csv: true, status: true, processedRows: true, staffUserId: true } });
  if (!job || job.csv === null || (job.status !== "queued" && job.status !== "running")) return null;
  await database.prisma.importJob.update({ where: { id }, data: { status: "running" } });
  return { shopId: job.shopId, csv: job.csv, processedRows: job.processedRows, staffUserId: job.staffUserId };
}

export async function recordImportProgress(
  database: Database,
  id: string,
  progress: { processedRows: number; importedRows: number; newErrors: ImportJobRecord["errors"] },
): Promise<void> {
  await database.pool.query(
    `update "ImportJob"
        set "processedRows" = $2,
            "importedRows" = "importedRows" + $3,
            "errorRows" = "errorRows" + $4,
            errors = case when jsonb_array_length(errors) >= $6 then errors
                          else (errors || $5::jsonb) end
      where id = $1`,
    [id, progress.processedRows, progress.importedRows, progress.newErrors.length, JSON.stringify(progress.newErrors), MAX_STORED_ROW_ERRORS],
  );
}

export async function finishImport(database: Database, id: string, outcome: { status: "completed" } | { status: "failed"; error: string }, at: Date): Promise<void> {
  await database.prisma.importJob.update({
    where: { id },
    data: { status: outcome.status, finishedAt: at, lastError: outcome.status === "failed" ? outcome.error : null, ...(outcome.status === "completed" ? { csv: null } : {}) },
  });
}
