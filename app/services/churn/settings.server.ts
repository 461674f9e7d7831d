/**
 * What a merchant can tune in the churn radar, with defaults that need no tuning: "lost" = no order in 90 days,
 * lifetime value over 12 months at 1 % a month, the domain's risk policy, moments off.
 */
import { z } from "zod";
import type { Database } from "~/data/db.server";
import { readChurnSettings, writeChurnSettings } from "~/data/churn/settings.server";
import { DEFAULT_RISK_POLICY, type RiskPolicy } from "~/domain/churn";

export const lostDefinitionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("noOrderWithin"), days: z.int().min(7, "at least 7 days").max(730, "at most 730 days") }),
  z.object({ kind: z.literal("probabilityAliveBelow"), threshold: z.number().gt(0, "above 0").lt(1, "below 1") }),
]);

export const churnSettingsSchema = z.object({
  lost: lostDefinitionSchema.default({ kind: "noOrderWithin", days: 90 }),
  lifetimeValue: z
    .object({
      horizonMonths: z.int().min(1).max(60),
      monthlyDiscountRate: z.number().min(0).max(0.2),
    })
    .default({ horizonMonths: 12, monthlyDiscountRate: 0.01 }),
  risk: z
    .object({
      highBelow: z.number().gt(0).lt(1),
      mediumBelow: z.number().gt(0).lt(1),
      /** Spend (minor units) from which a medium risk counts as high; null: nobody is singled out by value. */
      highValueMinor: z.int().positive().nullable(),
      oneTimeBuyerQuietDays: z.int().min(1).max(730),
    })
    .refine((risk) => risk.highBelow < risk.mediumBelow, { message: "the high-risk threshold must be below the medium one", path: ["highBelow"] })
    .default({ highBelow: DEFAULT_RISK_POLICY.highBelow, mediumBelow: DEFAULT_RISK_POLICY.mediumBelow, highValueMinor: null, oneTimeBuyerQuietDays: DEFAULT_RISK_POLICY.oneTimeBuyerQuietDays }),
  moments: z
    .object({
      birthday: z.boolean(),
      anniversary: z.boolean(),
      /** Percentage off of a single-use code attached to the moment's Flow trigger; 0 sends the trigger without a code. */
      rewardPercent: z.int().min(0).max(100),
    })
    .default({ birthday: false, anniversary: false, rewardPercent: 10 }),
});

export type ChurnSettings = z.output<typeof churnSettingsSchema>;

/** The shop's settings; anything missing (or stored by an older version and no longer valid) takes its default. */
export async function loadChurnSettings(database: Database, shopId: number): Promise<ChurnSettings> {
  const stored = await readChurnSettings(database, shopId);
  const parsed = churnSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : churnSettingsSchema.parse({});
}

export async function saveChurnSettings(database: Database, shopId: number, settings: ChurnSettings): Promise<void> {
  await writeChurnSettings(database, shopId, churnSettingsSchema.parse(settings));
}

export function riskPolicyOf(settings: ChurnSettings): RiskPolicy {
  return { ...settings.risk, highValueMinor: settings.risk.highValueMinor ?? Number.POSITIVE_INFINITY };
}
