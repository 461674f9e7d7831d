/** Shared pieces of the benchmarks: a throw-away database, the real app processes, and figures. */
import { ensureDatabase, databaseUrlFor } from "../scripts/lib/database";
import { startPostgresProcess, type PostgresProcess } from "../scripts/lib/postgres-process";
import { migrateDeploy } from "../scripts/lib/prisma-cli";

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A fresh migrated database: on DATABASE_URL's server if set, else on an embedded server of its own. */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  let server: PostgresProcess | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = databaseUrlFor(process.env.DATABASE_URL, "postgres");
  } else {
    server = await startPostgresProcess(`pg-bench-${process.pid}`);
    adminUrl = server.adminUrl;
  }
  const database = `retention_bench_${name}_${process.pid}`;
  await ensureDatabase(adminUrl, database);
  const url = databaseUrlFor(adminUrl, database);
  migrateDeploy(url);
  return {
    url,
    async stop() {
      if (server) return server.stop();
      const pg = (await import("pg")).default;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
