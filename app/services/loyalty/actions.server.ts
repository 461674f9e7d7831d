/**
 * Points for actions besides orders: sign-up (customers/create), birthday (daily job), product review, social
 * follow and survey (called by the admin, the storefront or an integration). Each occurrence has its own ledger
 * key, so asking twice for the same review or survey awards once; caps are counted under the customer's lock.
 */
import { inTransaction, type Database } from "~/data/db.server";
import { birthdayCandidates, lockCustomers, saveBirthday, upsertAndLockCustomer, type LoyaltyCustomer } from "~/data/loyalty/customers.server";
import { countActionAwards } from "~/data/loyalty/ledger.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { birthdaySchema, decideActionAward, decideBirthdayAward, type ActionAward, type ActionRefusal, type Birthday, type SimpleActionOccurrence } from "~/domain/loyalty";
import { postEntries } from "./posting.server";
import { loadProgram, type LoadedProgram } from "./program.server";

export type ActionResult = { ok: true; points: number; balance: number } | { ok: false; reason: ActionRefusal | "already_awarded" };

/** Posts an award decided by the domain for a locked customer. */
async function postAward(tx: Queryable, program: LoadedProgram, customer: LoyaltyCustomer, action: SimpleActionOccurrence["action"] | "birthday", award: ActionAward, now: Date): Promise<ActionResult> {
  if (!award.award) return { ok: false, reason: award.reason };
  const { posted, balance } = await postEntries(tx, program, customer, [
    { customerId: customer.id, kind: "action", action, points: award.points, availableAt: now, occurredAt: now, idempotencyKey: award.key },
  ], now);
  return posted.length === 1 ? { ok: true, points: award.points, balance } : { ok: false, reason: "already_awarded" };
}

/** An action for a customer whose row the caller has locked (the customers/create handler's sign-up). */
export async function awardActionInTransaction(tx: Queryable, program: LoadedProgram, customer: LoyaltyCustomer, occurrence: SimpleActionOccurrence, now: Date): Promise<ActionResult> {
  const awardsSoFar = await countActionAwards(tx, program.shopId, customer.id, occurrence.action);
  return postAward(tx, program, customer, occurrence.action, decideActionAward({ customerId: customer.id, occurrence, awardsSoFar }, program.settings), now);
}

function lockByShopifyId(tx: Queryable, shopId: number, shopifyCustomerId: string): Promise<LoyaltyCustomer> {
  // A customer who just signed up may act before customers/create is processed: the row is created here.
  const none = { email: null, firstName: null, lastName: null, phone: null, addresses: null, createdAt: null, updatedAt: null };
  return upsertAndLockCustomer(tx, shopId, { shopifyCustomerId, ...none });
}

/** Review, social follow, survey (or sign-up) for a customer by Shopify id. */
export async function awardAction(input: { db: Database; shopId: number; customerId: string; occurrence: SimpleActionOccurrence; now: Date }): Promise<ActionResult> {
  return inTransaction(input.db.pool, async (tx) => {
    const customer = await lockByShopifyId(tx, input.shopId, input.customerId);
    const program = await loadProgram(tx, input.shopId);
    return awardActionInTransaction(tx, program, customer, input.occurrence, input.now);
  });
}

/** Stores the customer's birthday (month and day); the daily job awards it on or after the day each year. */
export async function setBirthday(input: { db: Database; shopId: number; customerId: string; birthday: unknown }): Promise<{ ok: true; birthday: Birthday } | { ok: false; message: string }> {
  const parsed = birthdaySchema.safeParse(input.birthday);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  await inTransaction(input.db.pool, async (tx) => {
    const customer = await lockByShopifyId(tx, input.shopId, input.customerId);
    await saveBirthday(tx, customer.id, parsed.data);
  });
  return { ok: true, birthday: parsed.data };
}

const BIRTHDAY_PAGE = 200;

/** The daily birthday pass: every customer whose birthday has come this year (shop's calendar) and who has not had it. */
export async function awardDueBirthdays(input: { db: Database; shopId: number; now: Date }): Promise<{ awarded: number }> {
  const program = await loadProgram(input.db.pool, input.shopId);
  let awarded = 0;
  if (!program.settings.enabled || !program.settings.actions.birthday.enabled) return { awarded };
  let after = "0";
  for (;;) {
    const ids = await birthdayCandidates(input.db.pool, input.shopId, input.now, after, BIRTHDAY_PAGE);
    if (ids.length === 0) return { awarded };
    after = ids[ids.length - 1];
    await inTransaction(input.db.pool, async (tx) => {
      for (const customer of await lockCustomers(tx, input.shopId, ids)) {
        if (customer.birthdayMonth === null || customer.birthdayDay === null) continue;
        const award = decideBirthdayAward(
          {
            customerId: customer.id,
            birthday: { month: customer.birthdayMonth, day: customer.birthdayDay },
            tierId: customer.tierId,
            awardsSoFar: await countActionAwards(tx, input.shopId, customer.id, "birthday"),
            timeZone: program.timeZone,
          },
          program.settings,
          input.now,
        );
        if ((await postAward(tx, program, customer, "birthday", award, input.now)).ok) awarded += 1;
      }
    });
  }
}
