/**
 * Birthday and first-order anniversary moments: on the day (the shop's calendar), a Shopify Flow trigger per
 * customer with the reward attached — a single-use percentage code of their own, when the merchant set one — so
 * the shop's email tool can send the greeting. Birthdays are the ones loyalty members gave; a customer born on
 * 29 February is celebrated on the 28th in common years. Each customer is celebrated once per kind and year.
 */
import { TZDate } from "@date-fns/tz";
import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "~/data/db.server";
import { birthdaysOn, celebratedAlready, recordMoment, type MomentKind } from "~/data/churn/moments.server";
import { firstPurchaseAnniversaries } from "~/data/churn/orders.server";
import { generateRewardCode } from "~/domain/loyalty";
import { describeDiscountCode } from "~/domain/loyalty/rewards";
import { loadProgram } from "~/services/loyalty/program.server";
import { issueInShopify } from "~/services/loyalty/shopify-rewards.server";
import { assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as FlowTriggerReceive from "~/shopify/admin/operations/FlowTriggerReceive";
import { loadChurnSettings } from "./settings.server";

export const MOMENT_TRIGGERS: Record<MomentKind, string> = { birthday: "customer-birthday", anniversary: "customer-first-order-anniversary" };
export const MOMENT_REWARD_VALID_DAYS = 30;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Today on the shop's calendar, and the [month, day] pairs celebrated today (29 Feb joins 28 Feb in common years). */
export function momentDays(now: Date, timeZone: string): { year: number; monthDays: [number, number][] } {
  const local = new TZDate(now, timeZone);
  const year = local.getFullYear();
  const month = local.getMonth() + 1;
  const day = local.getDate();
  return { year, monthDays: month === 2 && day === 28 && !isLeapYear(year) ? [[2, 28], [2, 29]] : [[month, day]] };
}

export async function celebrateMoments({
  database,
  admin,
  shopId,
  currencyCode,
  codeSecret,
  now,
}: {
  database: Database;
  admin: AdminClient;
  shopId: number;
  currencyCode: string;
  /** Makes each moment's code the same on a retry, yet unguessable. */
  codeSecret: string;
  now: Date;
}): Promise<Record<MomentKind, number>> {
  const celebrated = { birthday: 0, anniversary: 0 };
  const { moments } = await loadChurnSettings(database, shopId);
  if (!moments.birthday && !moments.anniversary) return celebrated;
  const { timeZone } = await loadProgram(database.pool, shopId);
  const { year, monthDays } = momentDays(now, timeZone);

  const celebrate = async (kind: MomentKind, customerId: string, fields: Record<string, string | number>) => {
    const code = moments.rewardPercent > 0 ? await issueMomentCode(admin, { kind, customerId, year, percent: moments.rewardPercent, currencyCode, codeSecret, shopId, now }) : null;
    const data = await admin<FlowTriggerReceive.FlowTriggerReceiveData>(FlowTriggerReceive.document, {
      handle: MOMENT_TRIGGERS[kind],
      payload: {
        customer_id: Number(customerId),
        ...fields,
        Offer: code ? `${moments.rewardPercent} % off` : "",
        "Discount code": code ?? "",
        "Valid for days": code ? MOMENT_REWARD_VALID_DAYS : 0,
      },
    } satisfies FlowTriggerReceive.FlowTriggerReceiveVariables);
    assertNoUserErrors("flowTriggerReceive", data.flowTriggerReceive);
    await recordMoment(database.pool, shopId, { customerId, kind, year, at: now, rewardCode: code });
    celebrated[kind] += 1;
  };

  if (moments.birthday) {
    for (const customerId of await birthdaysOn(database.pool, shopId, monthDays, year)) await celebrate("birthday", customerId, {});
  }
  if (moments.anniversary) {
    const due = await firstPurchaseAnniversaries(database.pool, shopId, {
      monthDays: monthDays.map(([month, day]) => `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`),
      year,
      before: now,
    });
    const done = await celebratedAlready(database.pool, shopId, "anniversary", year, due.map((d) => d.customerId));
    for (const { customerId, firstYear } of due) {
      if (!done.has(customerId)) await celebrate("anniversary", customerId, { Years: year - firstYear });
    }
  }
  return celebrated;
}

async function issueMomentCode(
  admin: AdminClient,
  moment: { kind: MomentKind; customerId: string; year: number; percent: number; currencyCode: string; codeSecret: string; shopId: number; now: Date },
): Promise<string> {
  const marker = `M-${moment.kind}-${moment.year}-${moment.customerId}`;
  // The same bytes on a retry give the same code, which Shopify then reports as ours (its title carries the marker).
  const digest = createHmac("sha256", moment.codeSecret).update(`${moment.shopId}|${marker}`).digest();
  const code = generateRewardCode((size) => digest.subarray(0, size));
  const title = moment.kind === "birthday" ? "Happy birthday" : "Happy anniversary";
  const issue = describeDiscountCode(
    title,
    { type: "percentage", percent: moment.percent },
    { minimumOrderMinor: 0, expiresAfterDays: MOMENT_REWARD_VALID_DAYS },
    { customerId: moment.customerId, currencyCode: moment.currencyCode, now: moment.now, newCode: () => code },
  );
  const issued = await issueInShopify(admin, issue, marker, async () => generateRewardCode(randomBytes));
  return issued.code!;
}
