/**
 * The data layer's connection: one pg pool per process, shared by Prisma (through its pg adapter) and by
 * the job queue, so a webhook's inbox row and its job commit in one transaction.
 * Nothing outside app/data imports Prisma.
 */
import { PrismaPg } from "@prisma/adapter-pg";
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

export function openDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20 });
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
