/**
 * Group commit for webhook intake. Deliveries arriving within a few milliseconds of each other are recorded in
 * one transaction (one multi-row insert, one bulk job insert, one disk flush), and each request is answered
 * only after that commit. Under a burst this multiplies what one PostgreSQL can durably accept; when idle a
 * delivery waits at most `maxWaitMs`.
 */
import type pg from "pg";
import { inTransaction } from "~/data/db.server";
import { recordDeliveries, type InboxDelivery } from "~/data/inbox.server";
import { shopIdFor } from "~/data/shops.server";
import { enqueueInboxRows, type Queue } from "~/jobs/queue.server";

export type PendingDelivery = Omit<InboxDelivery, "shopId"> & { shopDomain: string };

interface Waiting {
  delivery: PendingDelivery;
  resolve: (inboxId: string | null) => void;
  reject: (error: unknown) => void;
}

/** PostgreSQL refused the payload itself (e.g. a NUL character, an unpaired surrogate, nesting too deep). */
export class UnstorablePayloadError extends Error {
  override name = "UnstorablePayloadError";
}

// SQLSTATE classes of errors caused by the data, not by the database being unavailable:
// 22 data exception (bad text, numeric overflow), 54 program limit exceeded (stack depth, too complex).
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("54"));
}

export class InboxWriter {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly queue: Queue,
    private readonly options: { maxBatch: number; maxWaitMs: number } = { maxBatch: 200, maxWaitMs: 2 },
  ) {}

  /** Resolves with the new inbox row's id, or null when the delivery was already recorded. */
  record(delivery: PendingDelivery): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length > 0) void this.commit(batch);
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      await this.commitTogether(batch);
    } catch (error) {
      if (!isDataError(error)) {
        for (const waiting of batch) waiting.reject(error);
      } else if (batch.length === 1) {
        batch[0].reject(new UnstorablePayloadError((error as Error).message));
      } else {
        // One delivery's payload spoiled the batch: record each on its own, so only that one is refused.
        await Promise.all(batch.map((waiting) => this.commit([waiting])));
      }
    }
  }

  private async commitTogether(batch: Waiting[]): Promise<void> {
    const ids = await inTransaction(this.pool, async (tx) => {
      const rows: InboxDelivery[] = [];
      for (const { delivery } of batch) {
        const { shopDomain, ...rest } = delivery;
        rows.push({ ...rest, shopId: await shopIdFor(tx, shopDomain) });
      }
      const inserted = await recordDeliveries(tx, rows);
      await enqueueInboxRows(this.queue, tx, [...inserted.values()]);
      return rows.map((row) => {
        const key = `${row.shopId}|${row.dedupeKey}`;
        const id = inserted.get(key) ?? null;
        inserted.delete(key); // a twin later in the same batch is a redelivery
        return id;
      });
    });
    batch.forEach((waiting, index) => waiting.resolve(ids[index]));
  }

}
