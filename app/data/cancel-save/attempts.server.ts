/**
 * Cancel attempts (CancelAttempt): the flow's state between a subscriber's requests, and the report's rows.
 * An attempt's Admin API call is claimed first (busyUntil), so a double click or a second tab cannot carry out the
 * same acceptance or cancellation twice.
 */
import type pg from "pg";
import type { CancelAttempt, CancelFlowStep, Frequency, NoOfferReason, PassedOverOffer, SaveOffer, SaveOfferKind } from "~/domain/cancel-save";
import type { Money } from "~/domain/money";
import type { Database, Prisma } from "../db.server";

type Queryable = pg.Pool | pg.PoolClient;

export type AttemptChannel = "customer_account" | "app_proxy";
export type StoredStep = Exclude<CancelFlowStep, "start">;
export type CancelledVia = "cancel_now" | "no_offer" | "declined_offer" | "after_accepting";

export interface AttemptRecord {
  id: string;
  customerId: string;
  contractId: string;
  channel: AttemptChannel;
  step: StoredStep;
  reason: string | null;
  freeText: string | null;
  offer: SaveOffer | null;
  ruleId: string | null;
  noOfferBecause: NoOfferReason | null;
  cancelledVia: CancelledVia | null;
  price: Money;
  billing: Frequency;
  startedAt: Date;
  acceptedAt: Date | null;
  cancelledAt: Date | null;
  lastError: string | null;
}

type Row = Awaited<ReturnType<Database["prisma"]["cancelAttempt"]["findFirstOrThrow"]>>;

function record(row: Row): AttemptRecord {
  return {
    id: row.id,
    customerId: row.customerId,
    contractId: row.contractId,
    channel: row.channel as AttemptChannel,
    step: row.step,
    reason: row.reason,
    freeText: row.freeText,
    offer: row.offer as SaveOffer | null,
    ruleId: row.ruleId,
    noOfferBecause: row.noOfferBecause as NoOfferReason | null,
    cancelledVia: row.cancelledVia as CancelledVia | null,
    price: { amountMinor: row.priceMinor, currencyCode: row.currencyCode },
    billing: { interval: row.billingInterval as Frequency["interval"], intervalCount: row.billingIntervalCount },
    startedAt: row.startedAt,
    acceptedAt: row.acceptedAt,
    cancelledAt: row.cancelledAt,
    lastError: row.lastError,
  };
}

export async function createAttempt(
  database: Database,
  shopId: number,
  attempt: { customerId: string; contractId: string; channel: AttemptChannel; price: Money; billing: Frequency; startedAt: Date },
): Promise<AttemptRecord> {
  const row = await database.prisma.cancelAttempt.create({
    data: {
      shopId,
      customerId: attempt.customerId,
      contractId: attempt.contractId,
      channel: attempt.channel,
      step: "survey",
      priceMinor: attempt.price.amountMinor,
      currencyCode: attempt.price.currencyCode,
      billingInterval: attempt.billing.interval,
      billingIntervalCount: attempt.billing.intervalCount,
      startedAt: attempt.startedAt,
    },
  });
  return record(row);
}

/** The customer's attempt on this contract still at the survey or the offer, started since `since`: pressing Cancel again goes on with it. */
export async function openAttempt(database: Database, shopId: number, customerId: string, contractId: string, since: Date): Promise<AttemptRecord | null> {
  const row = await database.prisma.cancelAttempt.findFirst({
    where: { shopId, customerId, contractId, step: { in: ["survey", "offer"] }, startedAt: { gte: since } },
    orderBy: { startedAt: "desc" },
  });
  return row && record(row);
}

/** The attempt, only if it is this customer's. */
export async function findAttempt(database: Database, shopId: number, customerId: string, attemptId: string): Promise<AttemptRecord | null> {
  const row = await database.prisma.cancelAttempt.findFirst({ where: { id: attemptId, shopId, customerId } });
  return row && record(row);
}

/** Takes the attempt for one Admin API call; false when it has moved on or another request holds it. */
export async function claimAttempt(database: Database, shopId: number, attemptId: string, step: StoredStep, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await database.prisma.cancelAttempt.updateMany({
    where: { id: attemptId, shopId, step, OR: [{ busyUntil: null }, { busyUntil: { lt: now } }] },
    data: { busyUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** The Admin API call failed: the attempt stays where it was, with the error, and can be tried again. */
export async function releaseAttempt(database: Database, shopId: number, attemptId: string, error: string): Promise<void> {
  await database.prisma.cancelAttempt.updateMany({ where: { id: attemptId, shopId }, data: { busyUntil: null, lastError: error.slice(0, 1000) } });
}

export interface AttemptChange {
  step: StoredStep;
  reason?: string | null;
  freeText?: string | null;
  offer?: SaveOffer | null;
  ruleId?: string | null;
  noOfferBecause?: NoOfferReason | null;
  passedOver?: PassedOverOffer[];
  cancelledVia?: CancelledVia;
  acceptedAt?: Date;
  cancelledAt?: Date;
}

/** The attempt's new step and what came with it; releases any claim and clears the last error. */
export async function saveAttempt(database: Database, shopId: number, attemptId: string, change: AttemptChange): Promise<AttemptRecord> {
  const { offer, passedOver, ...rest } = change;
  const data: Prisma.CancelAttemptUpdateManyMutationInput = { ...rest, busyUntil: null, lastError: null };
  if (offer !== undefined) Object.assign(data, { offer: offer ?? undefined, offerKind: offer?.kind ?? null });
  if (passedOver !== undefined) data.passedOver = passedOver;
  await database.prisma.cancelAttempt.updateMany({ where: { id: attemptId, shopId }, data });
  return record(await database.prisma.cancelAttempt.findUniqueOrThrow({ where: { id: attemptId } }));
}

/** A saved contract ended later: its accepted attempts count as lost if that is within the save window. */
export async function markAcceptedAttemptsCancelled(db: Queryable, shopId: number, contractId: string, at: Date): Promise<void> {
  await db.query(
    `update "CancelAttempt" set "cancelledAt" = $3, "cancelledVia" = 'after_accepting'
     where "shopId" = $1 and "contractId" = $2 and "acceptedAt" is not null and "cancelledAt" is null and "acceptedAt" <= $3`,
    [shopId, contractId, at],
  );
}

/** Attempts started in [from, to), as the report counts them. */
export async function attemptsForReport(database: Database, shopId: number, from: Date, to: Date): Promise<CancelAttempt[]> {
  const rows = await database.prisma.cancelAttempt.findMany({ where: { shopId, startedAt: { gte: from, lt: to } }, orderBy: { startedAt: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    at: row.startedAt,
    reason: row.reason,
    offerShown: row.offer ? { id: (row.offer as SaveOffer).id, kind: row.offerKind as SaveOfferKind } : null,
    acceptedAt: row.acceptedAt,
    cancelledAt: row.cancelledAt,
    pricePerCycle: { amountMinor: row.priceMinor, currencyCode: row.currencyCode },
    billing: { interval: row.billingInterval as Frequency["interval"], intervalCount: row.billingIntervalCount },
  }));
}

/** The latest attempts for the admin's list. */
export async function recentAttempts(database: Database, shopId: number, limit: number): Promise<AttemptRecord[]> {
  const rows = await database.prisma.cancelAttempt.findMany({ where: { shopId }, orderBy: { startedAt: "desc" }, take: limit });
  return rows.map(record);
}
