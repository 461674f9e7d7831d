import { z } from "zod";
import { BILLING_INTERVALS, CHURN_RISK_LEVELS } from "./types";

/** Languages the cancel flow's texts ship in (the storefront's languages). */
export const CANCEL_FLOW_LANGUAGES = ["en", "pl", "ru", "fi"] as const;
export type CancelFlowLanguage = (typeof CANCEL_FLOW_LANGUAGES)[number];

/** The reasons shipped by default; the built-in offer defaults (chooseSaveOffer.ts) are keyed by them. */
export const DEFAULT_REASON_CODES = ["too_expensive", "too_much_product", "not_using_it", "moving", "quality", "other"] as const;
export type DefaultReasonCode = (typeof DEFAULT_REASON_CODES)[number];

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, "Use lower-case letters, digits, - or _");
const label = z.string().trim().min(1).max(80);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, "Use a three-letter currency code");
const money = z.object({ amountMinor: z.int().min(0), currencyCode });

const frequencySchema = z.object({
  interval: z.enum(BILLING_INTERVALS),
  intervalCount: z.int().min(1).max(52),
});

const reasonSchema = z.object({
  /** Stable code kept when the labels change; attempts and rules refer to it. */
  code: slug,
  /** English is required; another language without its own label shows the English one. */
  labels: z.object({ en: label, pl: label.optional(), ru: label.optional(), fi: label.optional() }),
  /** Show an optional text box. Never required: the survey must not stand between a subscriber and Cancel. */
  asksFreeText: z.boolean().default(false),
});
export type CancelReason = z.output<typeof reasonSchema>;

const offerSchema = z.discriminatedUnion("kind", [
  z.object({ id: slug, kind: z.literal("pause"), months: z.int().min(1).max(3) }),
  z.object({ id: slug, kind: z.literal("skip_next_delivery") }),
  /** Moves a pay-per-delivery contract to this billing and delivery frequency. */
  z.object({ id: slug, kind: z.literal("change_frequency"), frequency: frequencySchema }),
  /** The first swap whose `fromVariantId` is on the contract and whose price is not higher applies. */
  z.object({
    id: slug,
    kind: z.literal("swap_variant"),
    swaps: z
      .array(z.object({ fromVariantId: z.string().min(1), toVariantId: z.string().min(1), toVariantTitle: label, toUnitPrice: money }))
      .min(1),
  }),
  /** `percent` off each of the next `orders` orders. */
  z.object({ id: slug, kind: z.literal("discount"), percent: z.int().min(1).max(100), orders: z.int().min(1).max(12) }),
  z.object({ id: slug, kind: z.literal("bonus_points"), points: z.int().min(1).max(1_000_000) }),
]);
export type SaveOffer = z.output<typeof offerSchema>;
export type SaveOfferKind = SaveOffer["kind"];

const ruleSchema = z.object({
  id: slug,
  /** Every condition given must hold; a condition left out matches everyone. Ranges include `atLeast`, exclude `below`. */
  when: z
    .object({
      reasons: z.array(slug).min(1).optional(),
      tenureDays: z.object({ atLeast: z.int().min(0).optional(), below: z.int().min(1).optional() }).optional(),
      lifetimeValue: z.object({ atLeast: money.optional(), below: money.optional() }).optional(),
      tiers: z.array(z.string().min(1)).min(1).optional(),
      churnRisk: z.array(z.enum(CHURN_RISK_LEVELS)).min(1).optional(),
    })
    .prefault({}),
  /** Null makes "no offer" an explicit answer, so it also keeps the built-in defaults from applying. */
  offerId: slug.nullable(),
});
export type SaveRule = z.output<typeof ruleSchema>;

export const DEFAULT_REASONS: z.input<typeof reasonSchema>[] = [
  { code: "too_expensive", labels: { en: "It's too expensive", pl: "Za drogo", ru: "Слишком дорого", fi: "Liian kallis" } },
  {
    code: "too_much_product",
    labels: { en: "I have too much product", pl: "Mam za dużo produktu", ru: "У меня слишком много продукта", fi: "Minulla on liikaa tuotetta" },
  },
  { code: "not_using_it", labels: { en: "I'm not using it", pl: "Nie korzystam z tego", ru: "Я этим не пользуюсь", fi: "En käytä sitä" } },
  { code: "moving", labels: { en: "I'm moving", pl: "Przeprowadzam się", ru: "Я переезжаю", fi: "Olen muuttamassa" } },
  {
    code: "quality",
    labels: { en: "I'm not happy with the quality", pl: "Jakość mi nie odpowiada", ru: "Меня не устраивает качество", fi: "En ole tyytyväinen laatuun" },
  },
  { code: "other", labels: { en: "Something else", pl: "Inny powód", ru: "Другая причина", fi: "Jokin muu syy" }, asksFreeText: true },
];

export const DEFAULT_OFFERS: z.input<typeof offerSchema>[] = [
  { id: "pause-1-month", kind: "pause", months: 1 },
  { id: "skip-next-delivery", kind: "skip_next_delivery" },
  { id: "discount-20-next-2", kind: "discount", percent: 20, orders: 2 },
];

function duplicates(values: string[]): Set<number> {
  return new Set(values.flatMap((v, i) => (values.indexOf(v) !== i ? [i] : [])));
}

/** A shop's cancel-save settings. Parse with `cancelSaveSettingsSchema.parse({})` for the defaults. */
export const cancelSaveSettingsSchema = z
  .object({
    /** Off: the survey still shows (and Cancel is still one press away), but no offer is made. */
    enabled: z.boolean().default(true),
    reasons: z.array(reasonSchema).min(1).max(12).prefault(DEFAULT_REASONS),
    offers: z.array(offerSchema).max(30).prefault(DEFAULT_OFFERS),
    /** Tried in order; the first that matches and whose offer passes the guards wins. */
    rules: z.array(ruleSchema).max(50).default([]),
    /** No offer to someone who accepted one less than this many days ago. */
    cooldownDays: z.int().min(0).max(3650).default(100),
    pause: z
      .object({
        /** The "your pause ends soon" reminder goes out this many days before the resume date; 0 sends none. */
        reminderDaysBeforeResume: z.int().min(0).max(21).default(5),
        /** Longest a pause may last from its start, extensions included. */
        maxMonths: z.int().min(1).max(12).default(6),
      })
      .prefault({}),
  })
  .superRefine((settings, ctx) => {
    const issue = (message: string, path: (string | number)[], input: unknown) => ctx.issues.push({ code: "custom", message, path, input });
    const reasonCodes = settings.reasons.map((r) => r.code);
    const offerIds = settings.offers.map((o) => o.id);
    for (const i of duplicates(reasonCodes)) issue(`Reason "${reasonCodes[i]}" is listed twice`, ["reasons", i, "code"], reasonCodes[i]);
    for (const i of duplicates(offerIds)) issue(`Offer id "${offerIds[i]}" is used twice`, ["offers", i, "id"], offerIds[i]);
    for (const i of duplicates(settings.rules.map((r) => r.id))) issue("Rule id is used twice", ["rules", i, "id"], settings.rules[i].id);
    settings.offers.forEach((offer, i) => {
      if (offer.kind === "pause" && offer.months > settings.pause.maxMonths) {
        issue("The pause is longer than the longest pause allowed", ["offers", i, "months"], offer.months);
      }
    });
    settings.rules.forEach((rule, i) => {
      if (rule.offerId !== null && !offerIds.includes(rule.offerId)) issue(`No offer has the id "${rule.offerId}"`, ["rules", i, "offerId"], rule.offerId);
      rule.when.reasons?.forEach((code, j) => {
        if (!reasonCodes.includes(code)) issue(`No reason has the code "${code}"`, ["rules", i, "when", "reasons", j], code);
      });
      const { tenureDays, lifetimeValue } = rule.when;
      if (tenureDays?.atLeast !== undefined && tenureDays.below !== undefined && tenureDays.atLeast >= tenureDays.below) {
        issue("The range is empty", ["rules", i, "when", "tenureDays", "below"], tenureDays.below);
      }
      const { atLeast, below } = lifetimeValue ?? {};
      if (atLeast && below) {
        if (atLeast.currencyCode !== below.currencyCode) issue("Use one currency for both ends", ["rules", i, "when", "lifetimeValue", "below"], below);
        else if (atLeast.amountMinor >= below.amountMinor) issue("The range is empty", ["rules", i, "when", "lifetimeValue", "below"], below);
      }
    });
  });

export type CancelSaveSettings = z.output<typeof cancelSaveSettingsSchema>;
export type CancelSaveSettingsInput = z.input<typeof cancelSaveSettingsSchema>;

/** The reason's text in `language`, or its English text when the merchant gave none for that language. */
export function reasonLabel(reason: CancelReason, language: CancelFlowLanguage): string {
  return reason.labels[language] ?? reason.labels.en;
}
