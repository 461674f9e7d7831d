/**
 * Cancel-save's daily job on the app's one job mechanism (pg-boss): for every installed shop, resume the pauses
 * whose date has come, send the "your pause ends soon" Flow trigger a few days before (once per resume date), and
 * move grandfathered lines to their new price when their protection ends.
 */
import type pg from "pg";
import { pauseReminderDue, resumeDue } from "~/domain/cancel-save";
import { contractsPausedByApp, markReminderSent, type MirroredContract } from "~/data/cancel-save/contracts.server";
import { installedShops } from "~/data/cancel-save/subscribers.server";
import type { Database } from "~/data/db.server";
import { ensureQueue, type Queue } from "~/jobs/queue.server";
import { logger } from "~/config/logger.server";
import { AdminApiError, assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as FlowTriggerReceive from "~/shopify/admin/operations/FlowTriggerReceive";
import type { AdminFor } from "./contract-mirror.server";
import { carryOutOnShopify, mirrorConfirmedChange } from "./contract-changes.server";
import { applyDueRepricings } from "./price-protection.server";
import { loadCancelSaveSettings } from "./settings.server";

export const CANCEL_SAVE_DAILY_QUEUE = "cancel-save-daily";
/** 06:00 UTC: resumed contracts are billed in the morning of most shops' working day. */
export const DAILY_CRON = "0 6 * * *";
/** The Flow trigger extension's handle; its fields are the payload's keys below. */
export const PAUSE_ENDING_TRIGGER = "subscription-pause-ending";

export interface DailyOutcome {
  resumed: number;
  reminded: number;
  repriced: number;
  failed: number;
}

async function sendPauseReminder(admin: AdminClient, contract: MirroredContract, resumeOn: Date): Promise<void> {
  const data = await admin<FlowTriggerReceive.FlowTriggerReceiveData>(FlowTriggerReceive.document, {
    handle: PAUSE_ENDING_TRIGGER,
    payload: {
      customer_id: Number(contract.customerId),
      "Subscription contract ID": contract.contract.id,
      "Resume date": resumeOn.toISOString().slice(0, 10),
    },
  } satisfies FlowTriggerReceive.FlowTriggerReceiveVariables);
  assertNoUserErrors("flowTriggerReceive", data.flowTriggerReceive);
}

/** One shop's daily pass. A Shopify refusal for one contract is logged and counted; the others go on. */
export async function runCancelSaveDaily(input: { database: Database; shopId: number; admin: AdminClient; now: Date }): Promise<DailyOutcome> {
  const { database, shopId, admin, now } = input;
  const db: pg.Pool = database.pool;
  const settings = await loadCancelSaveSettings(db, shopId);
  const outcome: DailyOutcome = { resumed: 0, reminded: 0, repriced: 0, failed: 0 };
  for (const paused of await contractsPausedByApp(db, shopId)) {
    try {
      const resume = resumeDue(paused.contract, now);
      if (resume) {
        await carryOutOnShopify(admin, resume, paused);
        await mirrorConfirmedChange(db, admin, shopId, resume, now);
        outcome.resumed += 1;
        continue;
      }
      const reminder = pauseReminderDue(paused.contract, now, settings);
      if (reminder && paused.reminderSentFor?.getTime() !== reminder.resumeOn.getTime()) {
        await sendPauseReminder(admin, paused, reminder.resumeOn);
        await markReminderSent(db, shopId, paused.contractId, reminder.resumeOn);
        outcome.reminded += 1;
      }
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      logger.warn({ err: error, shopId, contractId: paused.contractId }, "cancel-save daily: a paused contract could not be handled; tried again tomorrow");
      outcome.failed += 1;
    }
  }
  const repriced = await applyDueRepricings(database, admin, shopId, now);
  outcome.repriced = repriced.applied;
  outcome.failed += repriced.failed;
  return outcome;
}

export async function startCancelSaveJobs({
  database,
  boss,
  adminFor,
  clock = () => new Date(),
}: {
  database: Database;
  boss: Queue;
  adminFor: AdminFor;
  clock?: () => Date;
}): Promise<void> {
  await ensureQueue(boss, CANCEL_SAVE_DAILY_QUEUE, { retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 3600 });
  await boss.schedule(CANCEL_SAVE_DAILY_QUEUE, DAILY_CRON, {}, { tz: "UTC" });
  await boss.work(CANCEL_SAVE_DAILY_QUEUE, async () => {
    for (const shop of await installedShops(database.pool)) {
      const admin = await adminFor(shop.domain);
      if (!admin) continue;
      const outcome = await runCancelSaveDaily({ database, shopId: shop.id, admin, now: clock() });
      logger.info({ shopId: shop.id, ...outcome }, "cancel-save daily pass");
    }
  });
}
