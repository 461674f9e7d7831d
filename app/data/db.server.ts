/**
 * The data layer's connection: one pg pool per process, shared by Prisma (through its pg adapter) and by
 * the job queue, so a webhook's inbox row and its job commit in one transaction.
 * Nothing outside app/data imports Prisma.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { createHash } from "node:crypto";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type { Prisma } from "./generated/prisma/client";

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

// BIGINT columns (ids, counts) come back as strings by default; inbox ids and Shopify ids fit in JS numbers
// only below 2^53, so they stay strings/bigints where they are read, never silently rounded.

/** Distinct statements one connection keeps prepared; beyond it, further new texts run unnamed. */
const STATEMENTS_PER_CONNECTION = 1_000;
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s_${createHash("sha1").update(text).digest("base64url")}`;
    if (statementNames.size < 10 * STATEMENTS_PER_CONNECTION) statementNames.set(text, name);
  }
  return name;
}

/**
 * A connection that runs every parametrized query given as text as a named prepared statement, so PostgreSQL
 * parses and analyses each statement once per connection instead of on every execution (and can reuse a plan).
 * On the hot paths that work was most of the database's time: a storefront read cost 2.6 ms unnamed, 1.0 ms
 * prepared (docs/decisions/001). Queries given as objects (Prisma's, pg-boss's with options) are left as they are.
 */
class PreparingClient extends pg.Client {
  #prepared = new Set<string>();

  // pg's query() has many overloads; this one rewrites only (text, values[]) and passes everything else on.
  query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === "string" && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      if (this.#prepared.has(name) || this.#prepared.size < STATEMENTS_PER_CONNECTION) {
        this.#prepared.add(name);
        return (super.query as (...a: unknown[]) => never)({ name, text, values }, ...args.slice(2));
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

export function openDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20, Client: PreparingClient });
  // A connection dropped by a database restart must not crash the process. The pool reports idle
  // connections' errors; a connection checked out at that moment reports on the client itself, and its
  // query rejects anyway, so a listener on every client keeps the error where it belongs.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Runs `work` in one transaction on one pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
