/**
 * The committed migrations produce exactly the schema in prisma/schema.prisma: a database built by applying
 * every migration and one built straight from the datamodel have the same tables, columns, types, defaults,
 * constraints, indexes and enums.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { prismaCli } from "../../scripts/lib/prisma-cli";
import { createTestDatabase, type TestDatabase } from "../support/database";
import pg from "pg";
import { databaseUrlFor } from "../../scripts/lib/database";
import { inject } from "vitest";

let fromMigrations: TestDatabase;
let fromDatamodel: pg.Client;
const scratch = `${inject("runPrefix")}datamodel`;

beforeAll(async () => {
  fromMigrations = await createTestDatabase();
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await admin.connect();
  await admin.query(`create database "${scratch}"`);
  await admin.end();
  const url = databaseUrlFor(inject("pgAdminUrl"), scratch);
  const sql = prismaCli(["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], url, { capture: true });
  fromDatamodel = new pg.Client({ connectionString: url });
  await fromDatamodel.connect();
  await fromDatamodel.query(sql);
});
afterAll(async () => {
  await fromDatamodel.end();
  await fromMigrations.drop();
});

async function describeSchema(query: (sql: string) => Promise<{ rows: unknown[] }>) {
  const columns = await query(`
    select table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision
      from information_schema.columns where table_schema = 'public' and table_name <> '_prisma_migrations'
     order by table_name, column_name`);
  const constraints = await query(`
    select conrelid::regclass::text as table_name, conname, contype, pg_get_constraintdef(oid) as definition
      from pg_constraint where connamespace = 'public'::regnamespace and conrelid::regclass::text not in ('_prisma_migrations', '"_prisma_migrations"')
     order by 1, 2`);
  const indexes = await query(`
    select tablename, indexname, indexdef from pg_indexes
     where schemaname = 'public' and tablename <> '_prisma_migrations' order by 1, 2`);
  const enums = await query(`
    select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
      from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
     where n.nspname = 'public' group by t.typname order by 1`);
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows, enums: enums.rows };
}

test("applying every migration gives the schema in prisma/schema.prisma", async () => {
  const expected = await describeSchema((sql) => fromDatamodel.query(sql));
  const actual = await describeSchema((sql) => fromMigrations.pool.query(sql));
  expect(expected.columns.length).toBeGreaterThan(10);
  expect(actual).toEqual(expected);
});
