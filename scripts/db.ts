/**
 * Database commands, so nobody types Prisma's offline recipe by hand.
 *   npm run db:migrate              apply every committed migration (the demo does this at start)
 *   npm run db:migration -- NAME    author prisma/migrations/<timestamp>_NAME from the schema change
 *   npm run db:generate             generate the Prisma client (npm install does this)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PG_PORT } from "./lib/database";
import { openAppDatabase } from "./lib/postgres";
import { migrateDeploy, prismaCli } from "./lib/prisma-cli";

const [command, name] = process.argv.slice(2);

async function main() {
  if (command === "generate") {
    prismaCli(["generate"], process.env.DATABASE_URL ?? "postgres://unused", { capture: true });
    return;
  }
  const { server, url } = await openAppDatabase({ name: "pg-demo", port: DEMO_PG_PORT, database: "retention" });
  try {
    if (command === "migrate") {
      migrateDeploy(url);
      console.log("migrations applied");
    } else if (command === "migration") {
      if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:migration -- <snake_case_name>");
      const sql = migrationSql(url);
      if (!sql.trim() || sql.includes("-- This is an empty migration.")) {
        console.log("schema.prisma has no change since the last migration");
        return;
      }
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      const dir = join("prisma", "migrations", `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "migration.sql"), sql);
      console.log(`wrote ${dir}/migration.sql`);
      prismaCli(["generate"], url, { capture: true });
    } else {
      throw new Error("usage: tsx scripts/db.ts migrate | migration <name> | generate");
    }
  } finally {
    await server.stop();
  }
}

/** The schema the committed migrations produce is the schema.prisma of the last commit that touched them. */
function migrationSql(url: string): string {
  const hasMigrations = readdirSync("prisma/migrations").some((entry) => /^\d{14}_/.test(entry));
  if (!hasMigrations) {
    return prismaCli(["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], url, { capture: true });
  }
  const commit = execFileSync("git", ["log", "-1", "--format=%H", "--", "prisma/migrations"], { encoding: "utf8" }).trim();
  const previous = join(mkdtempSync(join(tmpdir(), "schema-")), "schema.prisma");
  writeFileSync(previous, execFileSync("git", ["show", `${commit}:prisma/schema.prisma`], { encoding: "utf8" }));
  return prismaCli(["migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], url, { capture: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
