/** A fault test file's production shape: a test database of its own and an AppCluster on it (cluster.ts). */
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { AppCluster } from "./cluster";

export interface ClusterOnTestDatabase {
  db: TestDatabase;
  cluster: AppCluster;
}

/**
 * Registers the file's beforeAll (the database, then `webs` web processes serving and `workers` workers started)
 * and afterAll (the processes stopped, the database dropped). The fields of the object returned are set in that
 * beforeAll.
 */
export function useAppCluster(shape: { webs: number; workers: number }): ClusterOnTestDatabase {
  const context = {} as ClusterOnTestDatabase;
  beforeAll(async () => {
    context.db = await createTestDatabase();
    context.cluster = AppCluster.forDatabase(context.db.url);
    await Promise.all(Array.from({ length: shape.webs }, () => context.cluster.startWeb()));
    for (let i = 0; i < shape.workers; i += 1) context.cluster.startWorker();
  }, 300_000);
  afterAll(async () => {
    await context.cluster?.stop();
    await context.db?.drop();
  });
  return context;
}
