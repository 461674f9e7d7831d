/**
 * The cancel-save admin pages' use cases: the settings form, the subscribers overview (the contract mirror,
 * failing billing, protected prices, members), recording a price rise with grandfathering, and the paid
 * membership program.
 */
import { z } from "zod";
import { grandfatheringRuleSchema, type CancelSaveSettings } from "~/domain/cancel-save";
import { parseDecimalToMinor } from "~/domain/money";
import { customersAtBillingRisk } from "~/data/cancel-save/billing.server";
import { recentContracts } from "~/data/cancel-save/contracts.server";
import { protectedLines } from "~/data/cancel-save/price-rises.server";
import type { Database } from "~/data/db.server";
import type { SettingsSave } from "~/data/cancel-save/settings.server";
import type { FieldErrors } from "~/components/forms";
import { issuesToFieldErrors } from "~/components/forms.server";
import { loyaltyTierIds, membershipMembers } from "./membership.server";
import { protectPriceRise } from "./price-protection.server";
import { loadCancelSaveSettings, membershipProgramSchema, saveCancelSaveSettings, saveMembershipProgram } from "./settings.server";
import { settingsFromForm, settingsToForm, type SettingsFormValues } from "./settings-form";

export type FormOutcome = { ok: true; message: string } | { ok: false; errors: FieldErrors };

export async function settingsPage(database: Database, shopId: number): Promise<{ settings: CancelSaveSettings; form: SettingsFormValues }> {
  const settings = await loadCancelSaveSettings(database.pool, shopId);
  return { settings, form: settingsToForm(settings) };
}

export async function saveSettingsForm(database: Database, shopId: number, payload: Record<string, unknown>, save: SettingsSave & { currencyCode: string }): Promise<FormOutcome> {
  const parsed = settingsFromForm(payload, save.currencyCode);
  if (!parsed.ok) return parsed;
  await saveCancelSaveSettings(database, shopId, parsed.settings, save);
  return { ok: true, message: "Cancel-save settings saved" };
}

const CONTRACTS_SHOWN = 100;

export async function subscribersOverview(database: Database, shopId: number, now: Date) {
  const [contracts, atRisk, protectedPrices, membership] = await Promise.all([
    recentContracts(database, shopId, CONTRACTS_SHOWN),
    customersAtBillingRisk(database.pool, shopId),
    protectedLines(database.pool, shopId),
    membershipMembers(database.pool, shopId, now),
  ]);
  return { contracts, atRisk, protectedPrices, membership };
}

const variantId = z.string().trim().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "Use the variant's id, e.g. gid://shopify/ProductVariant/123");

const priceRiseForm = z.object({
  variantId,
  newPrice: z.string({ error: "Enter the new price" }).trim().regex(/^\d+(\.\d+)?$/, "Enter an amount such as 14.50"),
  effectiveOn: z.iso.date({ error: "Choose the day the new price starts" }),
  tenureDaysAtLeast: z.coerce.number({ error: "Enter a whole number of days" }).int("Enter a whole number of days").min(0).max(3650).optional(),
  tiers: z.string().optional(),
  protectForMonths: z.coerce.number({ error: "Enter a whole number of months" }).int().min(1, "At least 1 month").max(36, "At most 36 months"),
});

/** Records a price rise: who keeps the old price (tenure or tier) until when, and when each line moves. */
export async function recordPriceRiseForm(database: Database, shopId: number, form: unknown, save: SettingsSave & { currencyCode: string }): Promise<FormOutcome> {
  const parsed = priceRiseForm.safeParse(form);
  if (!parsed.success) return { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
  const tiers = (parsed.data.tiers ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const rule = grandfatheringRuleSchema.safeParse({ tenureDaysAtLeast: parsed.data.tenureDaysAtLeast ?? null, tiers, protectForMonths: parsed.data.protectForMonths });
  if (!rule.success) return { ok: false, errors: issuesToFieldErrors(rule.error.issues) };
  const result = await protectPriceRise(database, shopId, {
    rise: {
      variantId: parsed.data.variantId,
      newUnitPrice: { amountMinor: parseDecimalToMinor(parsed.data.newPrice, save.currencyCode), currencyCode: save.currencyCode },
      effectiveOn: new Date(`${parsed.data.effectiveOn}T00:00:00.000Z`),
    },
    rule: rule.data,
    staffUserId: save.staffUserId,
    now: save.now,
  });
  return { ok: true, message: `Price rise recorded: ${result.protectedSubscribers} protected, ${result.linesRepriced} lines scheduled` };
}

const membershipForm = z.object({
  variantId,
  grantsTier: z.string({ error: "Choose the tier members hold" }).trim().min(1, "Choose the tier members hold"),
  graceDays: z.coerce.number({ error: "Enter a whole number of days" }).int("Enter a whole number of days").min(0).max(60),
});

/**
 * Saves the membership program (its tier must be one of the loyalty program's tiers), or removes it with null.
 * The form shares its page with others, so its fields and errors are named `membership.*`.
 */
export async function saveMembershipForm(database: Database, shopId: number, form: unknown | null, save: SettingsSave): Promise<FormOutcome> {
  if (form === null) {
    await saveMembershipProgram(database, shopId, null, save);
    return { ok: true, message: "Paid membership removed" };
  }
  const parsed = membershipForm.safeParse(form);
  if (!parsed.success) return { ok: false, errors: issuesToFieldErrors(parsed.error.issues.map((issue) => ({ ...issue, path: ["membership", ...issue.path] }))) };
  const tiers = await loyaltyTierIds(database.pool, shopId);
  if (!tiers.includes(parsed.data.grantsTier)) return { ok: false, errors: { "membership.grantsTier": `Choose one of the loyalty tiers: ${tiers.join(", ")}` } };
  await saveMembershipProgram(database, shopId, membershipProgramSchema.parse(parsed.data), save);
  return { ok: true, message: "Paid membership saved" };
}
