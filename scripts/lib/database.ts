/** Database names and URLs; no server is started here (see postgres.ts). */
import pg from "pg";

export const DEMO_PG_PORT = 54329;
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

export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
