/**
 * The cancel-save settings form ↔ the settings. Fields are posted under the settings' own paths
 * (`reasons[0].labels.en`, `rules[1].when.tenureDays.atLeast`, `offers[2].swaps[0].toUnitPrice.amountMinor`...), so
 * the domain schema's messages land next to the right field. Amounts are typed in currency units (9.50) and
 * stored in minor units; an offer keeps only the fields of its kind. Pure.
 */
import { cancelSaveSettingsSchema, type CancelSaveSettings, type CancelSaveSettingsInput, type SaveOffer } from "~/domain/cancel-save";
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import type { FieldErrors } from "~/components/forms";
import { fieldName } from "~/components/forms.server";

type Raw = Record<string, unknown>;

const rows = (value: unknown): Raw[] => (Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : []) as Raw[];
const values = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === "string" && value !== "" ? [value] : []);
const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const checked = (value: unknown) => value === "on" || value === "true";

class Reader {
  readonly errors: FieldErrors = {};
  constructor(readonly currencyCode: string) {}

  int(value: unknown, path: (string | number)[]): number | undefined {
    const raw = text(value);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) {
      this.errors[fieldName(path)] ??= "Enter a whole number";
      return undefined;
    }
    return Number(raw);
  }

  money(value: unknown, path: (string | number)[]): { amountMinor: number; currencyCode: string } | undefined {
    const raw = text(value);
    if (raw === undefined) return undefined;
    try {
      return { amountMinor: parseDecimalToMinor(raw, this.currencyCode), currencyCode: this.currencyCode };
    } catch {
      this.errors[fieldName([...path, "amountMinor"])] ??= "Enter an amount such as 9.50";
      return undefined;
    }
  }
}

function offerInput(raw: Raw, i: number, read: Reader): unknown {
  const base = { id: text(raw.id), kind: text(raw.kind) };
  const at = (...path: (string | number)[]) => ["offers", i, ...path];
  switch (base.kind) {
    case "pause":
      return { ...base, months: read.int(raw.months, at("months")) };
    case "change_frequency": {
      const frequency = (raw.frequency ?? {}) as Raw;
      return { ...base, frequency: { interval: text(frequency.interval), intervalCount: read.int(frequency.intervalCount, at("frequency", "intervalCount")) } };
    }
    case "swap_variant":
      return {
        ...base,
        swaps: rows(raw.swaps).map((swap, j) => ({
          fromVariantId: text(swap.fromVariantId),
          toVariantId: text(swap.toVariantId),
          toVariantTitle: text(swap.toVariantTitle),
          toUnitPrice: read.money(((swap.toUnitPrice ?? {}) as Raw).amountMinor, at("swaps", j, "toUnitPrice")),
        })),
      };
    case "discount":
      return { ...base, percent: read.int(raw.percent, at("percent")), orders: read.int(raw.orders, at("orders")) };
    case "bonus_points":
      return { ...base, points: read.int(raw.points, at("points")) };
    default:
      return base;
  }
}

function ruleInput(raw: Raw, i: number, read: Reader): unknown {
  const when = (raw.when ?? {}) as Raw;
  const at = (...path: (string | number)[]) => ["rules", i, "when", ...path];
  const tenure = (when.tenureDays ?? {}) as Raw;
  const ltv = (when.lifetimeValue ?? {}) as Raw;
  const tiers = (text(when.tiers) ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const range = <T>(atLeast: T | undefined, below: T | undefined) => (atLeast === undefined && below === undefined ? undefined : { atLeast, below });
  return {
    id: text(raw.id),
    // An empty choice is the explicit "no offer".
    offerId: text(raw.offerId) ?? null,
    when: {
      reasons: values(when.reasons).length > 0 ? values(when.reasons) : undefined,
      tenureDays: range(read.int(tenure.atLeast, at("tenureDays", "atLeast")), read.int(tenure.below, at("tenureDays", "below"))),
      lifetimeValue: range(
        read.money(((ltv.atLeast ?? {}) as Raw).amountMinor, at("lifetimeValue", "atLeast")),
        read.money(((ltv.below ?? {}) as Raw).amountMinor, at("lifetimeValue", "below")),
      ),
      tiers: tiers.length > 0 ? tiers : undefined,
      churnRisk: values(when.churnRisk).length > 0 ? values(when.churnRisk) : undefined,
    },
  };
}

export type SettingsFormResult = { ok: true; settings: CancelSaveSettings } | { ok: false; errors: FieldErrors };

/** The settings the form describes, or the messages by field; nothing is saved on any error. */
export function settingsFromForm(payload: Raw, currencyCode: string): SettingsFormResult {
  const read = new Reader(currencyCode);
  const pause = (payload.pause ?? {}) as Raw;
  const input = {
    enabled: checked(payload.enabled),
    cooldownDays: read.int(payload.cooldownDays, ["cooldownDays"]),
    pause: { reminderDaysBeforeResume: read.int(pause.reminderDaysBeforeResume, ["pause", "reminderDaysBeforeResume"]), maxMonths: read.int(pause.maxMonths, ["pause", "maxMonths"]) },
    reasons: rows(payload.reasons).map((reason) => {
      const labels = (reason.labels ?? {}) as Raw;
      return { code: text(reason.code), labels: { en: text(labels.en), pl: text(labels.pl), ru: text(labels.ru), fi: text(labels.fi) }, asksFreeText: checked(reason.asksFreeText) };
    }),
    offers: rows(payload.offers).map((offer, i) => offerInput(offer, i, read)),
    rules: rows(payload.rules).map((rule, i) => ruleInput(rule, i, read)),
  } as CancelSaveSettingsInput;
  const parsed = cancelSaveSettingsSchema.safeParse(input);
  const errors: FieldErrors = { ...read.errors };
  if (!parsed.success) for (const issue of parsed.error.issues) errors[fieldName(issue.path as (string | number)[]) || "form"] ??= issue.message;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings: parsed.data! };
}

/** The form's rows as text, for the settings page's editor (amounts in currency units). */
export interface SettingsFormValues {
  enabled: boolean;
  cooldownDays: string;
  reminderDaysBeforeResume: string;
  maxMonths: string;
  reasons: { code: string; en: string; pl: string; ru: string; fi: string; asksFreeText: boolean }[];
  offers: OfferFormValues[];
  rules: RuleFormValues[];
}

export interface OfferFormValues {
  id: string;
  kind: SaveOffer["kind"];
  months: string;
  percent: string;
  orders: string;
  points: string;
  interval: string;
  intervalCount: string;
  swaps: { fromVariantId: string; toVariantId: string; toVariantTitle: string; toUnitPrice: string }[];
}

export interface RuleFormValues {
  id: string;
  offerId: string;
  reasons: string[];
  tenureAtLeast: string;
  tenureBelow: string;
  ltvAtLeast: string;
  ltvBelow: string;
  tiers: string;
  churnRisk: string[];
}

const str = (value: number | undefined) => (value === undefined ? "" : String(value));
const amount = (money: { amountMinor: number; currencyCode: string } | undefined) => (money ? formatMinor(money.amountMinor, money.currencyCode) : "");

export function settingsToForm(settings: CancelSaveSettings): SettingsFormValues {
  return {
    enabled: settings.enabled,
    cooldownDays: String(settings.cooldownDays),
    reminderDaysBeforeResume: String(settings.pause.reminderDaysBeforeResume),
    maxMonths: String(settings.pause.maxMonths),
    reasons: settings.reasons.map((r) => ({ code: r.code, en: r.labels.en, pl: r.labels.pl ?? "", ru: r.labels.ru ?? "", fi: r.labels.fi ?? "", asksFreeText: r.asksFreeText })),
    offers: settings.offers.map((o) => ({
      id: o.id,
      kind: o.kind,
      months: o.kind === "pause" ? String(o.months) : "1",
      percent: o.kind === "discount" ? String(o.percent) : "",
      orders: o.kind === "discount" ? String(o.orders) : "",
      points: o.kind === "bonus_points" ? String(o.points) : "",
      interval: o.kind === "change_frequency" ? o.frequency.interval : "MONTH",
      intervalCount: o.kind === "change_frequency" ? String(o.frequency.intervalCount) : "",
      swaps:
        o.kind === "swap_variant"
          ? o.swaps.map((s) => ({ fromVariantId: s.fromVariantId, toVariantId: s.toVariantId, toVariantTitle: s.toVariantTitle, toUnitPrice: amount(s.toUnitPrice) }))
          : [{ fromVariantId: "", toVariantId: "", toVariantTitle: "", toUnitPrice: "" }],
    })),
    rules: settings.rules.map((r) => ({
      id: r.id,
      offerId: r.offerId ?? "",
      reasons: r.when.reasons ?? [],
      tenureAtLeast: str(r.when.tenureDays?.atLeast),
      tenureBelow: str(r.when.tenureDays?.below),
      ltvAtLeast: amount(r.when.lifetimeValue?.atLeast),
      ltvBelow: amount(r.when.lifetimeValue?.below),
      tiers: (r.when.tiers ?? []).join(", "),
      churnRisk: r.when.churnRisk ?? [],
    })),
  };
}
