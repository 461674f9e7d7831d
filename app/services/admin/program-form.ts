/**
 * The Program page's forms ↔ the loyalty program settings. Each section posts its fields under the settings'
 * own paths (`earning.points`, `tiers.levels[1].threshold`...), so the domain schema's messages land next to
 * the right field. Amounts are typed in currency units (10.50) and stored in minor units; multipliers typed as
 * 1.25 are stored in basis points. Pure.
 */
import { programSettingsSchema, setProgramEnabled, type ProgramSettings } from "~/domain/loyalty";
import { parseDecimalToMinor } from "~/domain/money";
import type { FieldErrors } from "~/components/forms";
import { fieldName } from "~/components/forms.server";

export const PROGRAM_SECTIONS = ["status", "earning", "actions", "tiers", "referral", "texts"] as const;
export type ProgramSection = (typeof PROGRAM_SECTIONS)[number];

/** The settings keys each section's form edits; the rest of the settings are kept as they are. */
const SECTION_KEYS: Record<Exclude<ProgramSection, "status">, (keyof ProgramSettings)[]> = {
  earning: ["earning", "expiry"],
  actions: ["actions"],
  tiers: ["tiers"],
  referral: ["referral"],
  texts: ["texts"],
};

const MONEY_KEYS = new Set(["perAmountMinor", "amountMinor", "minimumOrderMinor", "maximumShippingMinor"]);
const BOOLEAN_KEYS = new Set(["enabled", "freeShipping", "archived"]);
const NULLABLE_KEYS = new Set(["capPerCustomer", "earlyAccessTag", "expiresAfterDays", "minimumTierId", "maximumShippingMinor"]);

interface Conversion {
  currencyCode: string;
  /** Thresholds are money on the spend basis, points otherwise. */
  thresholdIsMoney: boolean;
  errors: FieldErrors;
}

/** `inherit`: an absent field keeps the template's value; off inside lists, whose rows the form rewrites whole. */
function convert(template: unknown, raw: unknown, path: (string | number)[], context: Conversion, inherit = true): unknown {
  const key = String(path.at(-1));
  if (Array.isArray(raw) || Array.isArray(template)) {
    const items = Array.isArray(raw) ? raw : [];
    const templates = Array.isArray(template) ? template : [];
    return items.map((item, index) => convert(templates[index] ?? templates.at(-1), item, [...path, index], context, false));
  }
  if ((raw && typeof raw === "object") || (template && typeof template === "object" && !(template instanceof Date))) {
    const source = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const shape = (template && typeof template === "object" ? template : {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const name of new Set([...Object.keys(shape), ...Object.keys(source)])) {
      const value = convert(shape[name], source[name], [...path, name], context, inherit);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  // An unchecked checkbox is absent from the form, so absence means off; any other absent field is kept.
  if (BOOLEAN_KEYS.has(key) || typeof template === "boolean") return raw === "on" || raw === "true";
  if (raw === undefined) return inherit ? template : undefined;
  const text = typeof raw === "string" ? raw.trim() : undefined;
  if (text === undefined || text === "") return NULLABLE_KEYS.has(key) ? null : undefined;
  if (MONEY_KEYS.has(key) || (key === "threshold" && context.thresholdIsMoney)) {
    try {
      return parseDecimalToMinor(text, context.currencyCode);
    } catch {
      context.errors[fieldName(path)] = "Enter an amount such as 10.00";
      return undefined;
    }
  }
  if (key === "multiplierBps") {
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(text)) {
      context.errors[fieldName(path)] = "Enter a multiplier such as 1.25";
      return undefined;
    }
    return Math.round(Number(text) * 10_000);
  }
  if (typeof template === "number" || (template === null && key !== "earlyAccessTag" && key !== "minimumTierId")) {
    if (!/^-?\d+$/.test(text)) {
      context.errors[fieldName(path)] = "Enter a whole number";
      return undefined;
    }
    return Number(text);
  }
  return text;
}

/** A tier added in the editor gets its id from its name; existing tiers keep theirs through renames. */
function withTierIds(levels: unknown): unknown {
  if (!Array.isArray(levels)) return levels;
  return levels.map((level) => {
    const tier = level as { id?: unknown; name?: unknown };
    // A repeated field arrives as a list of texts: the schema refuses it, the slug must not throw first.
    const slug = (typeof tier.name === "string" ? tier.name : "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32);
    return tier.id ? tier : { ...tier, id: slug || "tier" };
  });
}

export type SettingsFormResult = { ok: true; settings: ProgramSettings } | { ok: false; errors: FieldErrors };

/** The settings after saving one section's form, or the field errors; nothing changes on any error. */
export function applySettingsForm(current: ProgramSettings, currencyCode: string, section: ProgramSection, payload: Record<string, unknown>, now: Date): SettingsFormResult {
  if (section === "status") return { ok: true, settings: setProgramEnabled(current, payload.enabled === "on" || payload.enabled === "true", now) };
  const tiersRaw = payload.tiers as { basis?: string } | undefined;
  const context: Conversion = { currencyCode, thresholdIsMoney: (tiersRaw?.basis ?? current.tiers.basis) === "spend", errors: {} };
  const candidate: Record<string, unknown> = { ...current };
  for (const key of SECTION_KEYS[section]) candidate[key] = convert(current[key], payload[key], [key], context);
  if (section === "tiers") {
    const tiers = candidate.tiers as { levels?: unknown };
    candidate.tiers = { ...tiers, levels: withTierIds(tiers.levels) };
  }
  const parsed = programSettingsSchema(currencyCode).safeParse(candidate);
  const errors: FieldErrors = { ...context.errors };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[fieldName(issue.path as (string | number)[]) || "form"] ??= issue.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings: parsed.data! };
}

/** A form's text values shaped like `template` (e.g. a reward), amounts in minor units; conversion errors by field. */
export function readFormValues(template: Record<string, unknown>, payload: Record<string, unknown>, currencyCode: string): { value: Record<string, unknown>; errors: FieldErrors } {
  const context: Conversion = { currencyCode, thresholdIsMoney: false, errors: {} };
  const value = {} as Record<string, unknown>;
  for (const key of new Set([...Object.keys(template), ...Object.keys(payload)])) {
    const converted = convert(template[key], payload[key], [key], context);
    if (converted !== undefined) value[key] = converted;
  }
  return { value, errors: context.errors };
}
