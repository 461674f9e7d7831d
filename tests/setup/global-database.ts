/**
 * One real PostgreSQL for the whole run — DATABASE_URL's server, or a fresh embedded one of this run's own —
 * with a template database migrated by the committed migrations. Each test file clones the template
 * (tests/support/database.ts), so files run in parallel without seeing each other's rows.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { databaseUrlFor, ensureDatabase } from "../../scripts/lib/database";
import { startPostgresProcess } from "../../scripts/lib/postgres-process";
import { migrateDeploy } from "../../scripts/lib/prisma-cli";

// Names carry the run's pid, so runs sharing one server (DATABASE_URL) never touch each other's databases,
// and those of a run that died are recognised and dropped.
const RUN_PREFIX = `retention_test_${process.pid}_`;
const TEMPLATE_DATABASE = `${RUN_PREFIX}template`;

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    runPrefix: string;
  }
}

function runAlive(name: string): boolean {
  const pid = Number(/^retention_test_(\d+)_/.exec(name)?.[1]);
  try {
    return pid > 0 && (process.kill(pid, 0), true);
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  const embedded = process.env.DATABASE_URL ? null : await startPostgresProcess(`pg-test-${process.pid}`);
  const adminUrl = embedded?.adminUrl ?? databaseUrlFor(process.env.DATABASE_URL!, "postgres");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'retention_test_%'");
  for (const { datname } of rows) {
    if (!runAlive(datname)) await admin.query(`drop database if exists "${datname}" with (force)`);
  }
  await ensureDatabase(adminUrl, TEMPLATE_DATABASE);
  migrateDeploy(databaseUrlFor(adminUrl, TEMPLATE_DATABASE));
  project.provide("pgAdminUrl", adminUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("runPrefix", RUN_PREFIX);
  return async () => {
    const { rows: ours } = await admin.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1)", [RUN_PREFIX]);
    for (const { datname } of ours) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}
