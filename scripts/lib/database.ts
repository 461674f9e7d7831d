/** Opens (creating when missing) the application database on the embedded or configured server. */
import pg from "pg";
import { startPostgres, type RunningPostgres } from "./postgres";

export const DEMO_PG_PORT = 54329;
export const TEST_PG_PORT = 54330;
export const BENCH_PG_PORT = 54331;

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await client.query(`create database "${database}"${template ? ` template "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function openAppDatabase(options: { name: string; port: number; database: string }): Promise<{ server: RunningPostgres; url: string }> {
  const server = await startPostgres({ name: options.name, port: options.port });
  const url = process.env.DATABASE_URL ?? server.urlFor(options.database);
  if (!process.env.DATABASE_URL) await ensureDatabase(server.adminUrl, options.database);
  return { server, url };
}
