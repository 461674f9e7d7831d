import { z } from "zod";

/** Languages the storefront texts ship in. */
export const STOREFRONT_LANGUAGES = ["en", "pl", "ru", "fi"] as const;
export type StorefrontLanguage = (typeof STOREFRONT_LANGUAGES)[number];

/** Actions that earn points besides orders. */
export const EARNING_ACTIONS = ["signup", "birthday", "review", "referral", "social_follow", "survey"] as const;
export type EarningAction = (typeof EARNING_ACTIONS)[number];

const points = z.int().min(0).max(1_000_000);
const minorUnits = z.int().min(0);
const days = z.int().min(0).max(3650);

function earningSchema(currencyUnitMinor: number) {
  return z.object({
    /** Earn `points` for every `perAmountMinor` minor units of the earning base. */
    points: z.int().min(0).max(10_000).default(1),
    perAmountMinor: z.int().min(1).max(10_000_000).default(currencyUnitMinor),
    /** subtotal_after_discounts leaves out shipping and tax; total is what the customer paid. */
    base: z.enum(["subtotal_after_discounts", "total"]).default("subtotal_after_discounts"),
    rounding: z.enum(["floor", "nearest"]).default("floor"),
    /** Points become spendable this many days after payment, so a quick refund cannot follow a spend. */
    pendingDays: z.int().min(0).max(365).default(0),
  });
}

const expirySchema = z
  .object({
    enabled: z.boolean().default(false),
    afterInactiveDays: z.int().min(1).max(3650).default(365),
    /** 0 sends no reminder. */
    reminderDaysBefore: days.default(30),
  })
  .refine((e) => e.reminderDaysBefore < e.afterInactiveDays, {
    message: "The reminder must come before the points expire",
    path: ["reminderDaysBefore"],
  });

function actionSchema(defaults: { enabled: boolean; points: number; capPerCustomer: number | null }) {
  return z.object({
    enabled: z.boolean().default(defaults.enabled),
    points: points.default(defaults.points),
    /** How many times one customer can be awarded for this action; null is no limit. */
    capPerCustomer: z.int().min(1).max(100_000).nullable().default(defaults.capPerCustomer),
  });
}

const actionsSchema = z.object({
  signup: actionSchema({ enabled: true, points: 100, capPerCustomer: 1 }).prefault({}),
  birthday: actionSchema({ enabled: true, points: 100, capPerCustomer: null }).prefault({}),
  review: actionSchema({ enabled: false, points: 50, capPerCustomer: 10 }).prefault({}),
  /** Points for the referrer when the referred friend's first order is paid. */
  referral: actionSchema({ enabled: true, points: 500, capPerCustomer: null }).prefault({}),
  social_follow: actionSchema({ enabled: false, points: 25, capPerCustomer: 3 }).prefault({}),
  survey: actionSchema({ enabled: false, points: 50, capPerCustomer: null }).prefault({}),
});

/** The value of a one-off discount code: a percentage or a fixed amount off the order. */
const discountValueSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("percentage"), percent: z.int().min(1).max(100) }),
  z.object({ type: z.literal("fixed_amount"), amountMinor: z.int().min(1) }),
]);
export type DiscountValue = z.output<typeof discountValueSchema>;

const referralSchema = z.object({
  /** What the referred friend gets: a single-use code for their first order. */
  friendDiscount: z
    .object({
      value: discountValueSchema.default({ type: "percentage", percent: 10 }),
      minimumOrderMinor: minorUnits.default(0),
      expiresAfterDays: z.int().min(1).max(3650).default(30),
    })
    .prefault({}),
});

const tierSchema = z.object({
  /** Stable id kept when the tier is renamed; customers' tiers refer to it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "Use lower-case letters, digits, - or _"),
  name: z.string().trim().min(1).max(40),
  /** Entry threshold: minor units spent, or points earned, depending on the rules' basis. */
  threshold: minorUnits,
  perks: z
    .object({
      /** Earning multiplier in basis points: 10000 is 1×, 12500 is 1.25×. */
      multiplierBps: z.int().min(0).max(100_000).default(10_000),
      freeShipping: z.boolean().default(false),
      /** Customer tag that opens early-access collections; null gives none. */
      earlyAccessTag: z.string().trim().min(1).max(40).nullable().default(null),
      birthdayBonusPoints: points.default(0),
    })
    .prefault({}),
});
export type Tier = z.output<typeof tierSchema>;

function defaultTiers(currencyUnitMinor: number): z.input<typeof tierSchema>[] {
  return [
    { id: "silver", name: "Silver", threshold: 100 * currencyUnitMinor },
    {
      id: "gold",
      name: "Gold",
      threshold: 500 * currencyUnitMinor,
      perks: { multiplierBps: 12_500, earlyAccessTag: "vip-early-access", birthdayBonusPoints: 100 },
    },
    {
      id: "platinum",
      name: "Platinum",
      threshold: 1_000 * currencyUnitMinor,
      perks: { multiplierBps: 15_000, freeShipping: true, earlyAccessTag: "vip-early-access", birthdayBonusPoints: 250 },
    },
  ];
}

function tierRulesSchema(currencyUnitMinor: number) {
  return z
    .object({
      basis: z.enum(["spend", "points_earned"]).default("spend"),
      window: z.enum(["rolling_12_months", "lifetime"]).default("rolling_12_months"),
      /** A customer who stops qualifying keeps the tier this many days after last qualifying. */
      retentionDays: days.default(90),
      /** Lowest tier first. Below the first threshold a customer has no tier. */
      levels: z.array(tierSchema).max(10).prefault(defaultTiers(currencyUnitMinor)),
    })
    .check((ctx) => {
      const levels = ctx.value.levels;
      levels.forEach((tier, i) => {
        if (levels.findIndex((t) => t.id === tier.id) !== i) {
          ctx.issues.push({ code: "custom", message: `Tier id "${tier.id}" is used twice`, input: tier.id, path: ["levels", i, "id"] });
        }
        if (i > 0 && tier.threshold <= levels[i - 1].threshold) {
          ctx.issues.push({
            code: "custom",
            message: "Each tier needs a higher threshold than the one below it",
            input: tier.threshold,
            path: ["levels", i, "threshold"],
          });
        }
      });
    });
}

const text = z.string().trim().min(1).max(200);

type StorefrontTexts = {
  launcherLabel: string;
  guestTitle: string;
  guestBody: string;
  signUp: string;
  logIn: string;
  waysToEarnTitle: string;
  rewardsTitle: string;
  referralTitle: string;
  /** The word "points" in each CLDR plural category the language uses. */
  pointsUnit: { one: string; few?: string; many?: string; other: string };
};

const DEFAULT_TEXTS: Record<StorefrontLanguage, StorefrontTexts> = {
  en: {
    launcherLabel: "Rewards",
    guestTitle: "Join our rewards program",
    guestBody: "Earn points on every order and turn them into rewards.",
    signUp: "Create an account",
    logIn: "Log in",
    waysToEarnTitle: "Ways to earn",
    rewardsTitle: "Rewards",
    referralTitle: "Refer a friend",
    pointsUnit: { one: "point", other: "points" },
  },
  pl: {
    launcherLabel: "Nagrody",
    guestTitle: "Dołącz do programu lojalnościowego",
    guestBody: "Zbieraj punkty za każde zamówienie i wymieniaj je na nagrody.",
    signUp: "Załóż konto",
    logIn: "Zaloguj się",
    waysToEarnTitle: "Jak zdobywać punkty",
    rewardsTitle: "Nagrody",
    referralTitle: "Poleć znajomemu",
    pointsUnit: { one: "punkt", few: "punkty", many: "punktów", other: "punktu" },
  },
  ru: {
    launcherLabel: "Бонусы",
    guestTitle: "Вступайте в бонусную программу",
    guestBody: "Получайте баллы за каждый заказ и обменивайте их на награды.",
    signUp: "Создать аккаунт",
    logIn: "Войти",
    waysToEarnTitle: "Как получить баллы",
    rewardsTitle: "Награды",
    referralTitle: "Пригласите друга",
    pointsUnit: { one: "балл", few: "балла", many: "баллов", other: "балла" },
  },
  fi: {
    launcherLabel: "Edut",
    guestTitle: "Liity kanta-asiakasohjelmaan",
    guestBody: "Ansaitse pisteitä jokaisesta tilauksesta ja vaihda ne palkintoihin.",
    signUp: "Luo tili",
    logIn: "Kirjaudu sisään",
    waysToEarnTitle: "Näin ansaitset pisteitä",
    rewardsTitle: "Palkinnot",
    referralTitle: "Suosittele ystävälle",
    pointsUnit: { one: "piste", other: "pistettä" },
  },
};

function textsSchema(defaults: StorefrontTexts) {
  return z.object({
    launcherLabel: text.default(defaults.launcherLabel),
    guestTitle: text.default(defaults.guestTitle),
    guestBody: text.default(defaults.guestBody),
    signUp: text.default(defaults.signUp),
    logIn: text.default(defaults.logIn),
    waysToEarnTitle: text.default(defaults.waysToEarnTitle),
    rewardsTitle: text.default(defaults.rewardsTitle),
    referralTitle: text.default(defaults.referralTitle),
    pointsUnit: z.object({ one: text, few: text.optional(), many: text.optional(), other: text }).default(defaults.pointsUnit),
  });
}

const storefrontTextsSchema = z.object({
  en: textsSchema(DEFAULT_TEXTS.en).prefault({}),
  pl: textsSchema(DEFAULT_TEXTS.pl).prefault({}),
  ru: textsSchema(DEFAULT_TEXTS.ru).prefault({}),
  fi: textsSchema(DEFAULT_TEXTS.fi).prefault({}),
});

function buildProgramSettingsSchema(currencyUnitMinor: number) {
  return z
    .object({
      enabled: z.boolean().default(false),
      /** When the program was first switched on; orders created before it earn nothing. */
      startedAt: z.coerce.date().nullable().default(null),
      earning: earningSchema(currencyUnitMinor).prefault({}),
      expiry: expirySchema.prefault({}),
      actions: actionsSchema.prefault({}),
      referral: referralSchema.prefault({}),
      tiers: tierRulesSchema(currencyUnitMinor).prefault({}),
      texts: storefrontTextsSchema.prefault({}),
    })
    .refine((s) => !s.enabled || s.startedAt !== null, { message: "A running program has a start date", path: ["startedAt"] });
}

/** Minor units in one unit of the currency: 100 for EUR, 1 for JPY, 1000 for KWD. */
export function currencyUnitMinor(currencyCode: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

const schemaByCurrency = new Map<string, ReturnType<typeof buildProgramSettingsSchema>>();

/**
 * The program settings schema for a shop's currency. Every field has a default, so `{}` parses to the
 * settings of a new shop (1 point per unit of its currency, tier thresholds of 100/500/1000 units), and
 * settings stored by an older version gain the fields added since.
 */
export function programSettingsSchema(currencyCode: string) {
  let schema = schemaByCurrency.get(currencyCode);
  if (!schema) {
    schema = buildProgramSettingsSchema(currencyUnitMinor(currencyCode));
    schemaByCurrency.set(currencyCode, schema);
  }
  return schema;
}

export type ProgramSettings = z.output<ReturnType<typeof programSettingsSchema>>;
export type ProgramSettingsInput = z.input<ReturnType<typeof programSettingsSchema>>;
export type EarningSettings = ProgramSettings["earning"];
export type ExpirySettings = ProgramSettings["expiry"];
export type ActionSettings = ProgramSettings["actions"][EarningAction];
export type ReferralSettings = ProgramSettings["referral"];
export type TierRules = ProgramSettings["tiers"];
export type TierPerks = Tier["perks"];
export type StorefrontTextSet = ProgramSettings["texts"][StorefrontLanguage];

/** The settings a newly installed shop starts with. */
export function defaultProgramSettings(currencyCode: string): ProgramSettings {
  return programSettingsSchema(currencyCode).parse({});
}

/** Switches the program on or off; the first switch-on fixes the start date. */
export function setProgramEnabled(settings: ProgramSettings, enabled: boolean, now: Date): ProgramSettings {
  return { ...settings, enabled, startedAt: settings.startedAt ?? (enabled ? now : null) };
}

/** "1 250 баллов": the number in the language's digits grouping and the right plural of "points". */
export function formatPoints(count: number, language: StorefrontLanguage, texts: StorefrontTextSet): string {
  const forms = texts.pointsUnit;
  const category = new Intl.PluralRules(language).select(count);
  const unit = category === "one" ? forms.one : category === "few" || category === "many" ? forms[category] ?? forms.other : forms.other;
  return `${new Intl.NumberFormat(language).format(count)} ${unit}`;
}
