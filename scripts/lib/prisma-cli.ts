/** Runs Prisma's CLI the one way that works offline here (docs/decisions/001-postgres-and-prisma.md). */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export function prismaCli(args: string[], databaseUrl: string, options: { capture?: boolean } = {}): string {
  const output = execFileSync(resolve("node_modules/.bin/prisma"), args, {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // `prisma generate` insists on a query-engine library path; with engineType "client" it is never loaded.
      PRISMA_QUERY_ENGINE_LIBRARY: resolve("package.json"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    stdio: options.capture ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  return output;
}

export function migrateDeploy(databaseUrl: string): void {
  prismaCli(["migrate", "deploy"], databaseUrl, { capture: true });
}
