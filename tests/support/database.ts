/** A database of its own for each test file: a clone of the migrated template (tests/setup/global-database.ts). */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { databaseUrlFor } from "../../scripts/lib/database";
import { openDatabase, type Database } from "~/data/db.server";

export interface TestDatabase extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `${inject("runPrefix")}${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Cloning needs the template to have no other connections; parallel files may clone at the same moment.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.query(`create database "${name}" template "${inject("templateDatabase")}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("is being accessed by other users")) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  await admin.end();
  const url = databaseUrlFor(adminUrl, name);
  const database = openDatabase(url);
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}
