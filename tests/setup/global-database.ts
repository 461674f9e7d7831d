/**
 * One real PostgreSQL for the whole run (embedded, or DATABASE_URL's server), with a template database
 * migrated once by the committed migrations. Each test file clones the template (tests/support/database.ts),
 * so files run in parallel without seeing each other's rows.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, TEST_PG_PORT } from "../../scripts/lib/database";
import { startPostgres } from "../../scripts/lib/postgres";
import { migrateDeploy } from "../../scripts/lib/prisma-cli";

export const TEMPLATE_DATABASE = "retention_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres({ name: "pg-test", port: TEST_PG_PORT, quiet: true });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  // Databases left by an interrupted earlier run, and the old template, go first.
  const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'retention_test_%'");
  for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  await admin.end();
  await ensureDatabase(server.adminUrl, TEMPLATE_DATABASE);
  migrateDeploy(server.urlFor(TEMPLATE_DATABASE));
  project.provide("pgAdminUrl", server.adminUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  return async () => {
    await server.stop();
  };
}
