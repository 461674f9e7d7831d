/** The process's database, opened from DATABASE_URL on first use. */
import { env } from "~/config/env.server";
import { openDatabase, type Database } from "./db.server";

let database: Database | undefined;

export function getDatabase(): Database {
  database ??= openDatabase(env().DATABASE_URL, { max: env().DATABASE_POOL_SIZE });
  return database;
}
