import { describe, expect, it } from "vitest";
import { defaultProgramSettings, formatPoints, programSettingsSchema, setProgramEnabled, type StorefrontLanguage } from "~/domain/loyalty";

describe("settings of a new shop", () => {
  it("earn 1 point per unit of the shop's currency on the subtotal after discounts, nothing pending, no expiry", () => {
    const settings = defaultProgramSettings("USD");
    expect(settings.enabled).toBe(false);
    expect(settings.startedAt).toBeNull();
    expect(settings.earning).toStrictEqual({
      points: 1,
      perAmountMinor: 100,
      base: "subtotal_after_discounts",
      rounding: "floor",
      pendingDays: 0,
    });
    expect(settings.expiry).toStrictEqual({ enabled: false, afterInactiveDays: 365, reminderDaysBefore: 30 });
  });

  it("has Silver, Gold and Platinum on 12-month spend, with rising perks", () => {
    const tiers = defaultProgramSettings("USD").tiers;
    expect({ basis: tiers.basis, window: tiers.window, retentionDays: tiers.retentionDays }).toStrictEqual({
      basis: "spend",
      window: "rolling_12_months",
      retentionDays: 90,
    });
    expect(tiers.levels).toStrictEqual([
      {
        id: "silver",
        name: "Silver",
        threshold: 10_000,
        perks: { multiplierBps: 10_000, freeShipping: false, earlyAccessTag: null, birthdayBonusPoints: 0 },
      },
      {
        id: "gold",
        name: "Gold",
        threshold: 50_000,
        perks: { multiplierBps: 12_500, freeShipping: false, earlyAccessTag: "vip-early-access", birthdayBonusPoints: 100 },
      },
      {
        id: "platinum",
        name: "Platinum",
        threshold: 100_000,
        perks: { multiplierBps: 15_000, freeShipping: true, earlyAccessTag: "vip-early-access", birthdayBonusPoints: 250 },
      },
    ]);
  });

  it("has every earning action configured, sign-up once per customer", () => {
    expect(defaultProgramSettings("USD").actions).toStrictEqual({
      signup: { enabled: true, points: 100, capPerCustomer: 1 },
      birthday: { enabled: true, points: 100, capPerCustomer: null },
      review: { enabled: false, points: 50, capPerCustomer: 10 },
      referral: { enabled: true, points: 500, capPerCustomer: null },
      social_follow: { enabled: false, points: 25, capPerCustomer: 3 },
      survey: { enabled: false, points: 50, capPerCustomer: null },
    });
    expect(defaultProgramSettings("USD").referral).toStrictEqual({
      friendDiscount: { value: { type: "percentage", percent: 10 }, minimumOrderMinor: 0, expiresAfterDays: 30 },
    });
  });

  it.each([
    { currency: "USD", unit: 100 },
    { currency: "EUR", unit: 100 },
    { currency: "JPY", unit: 1 },
    { currency: "KWD", unit: 1000 },
  ])("scales money defaults to the minor units of $currency", ({ currency, unit }) => {
    const settings = defaultProgramSettings(currency);
    expect(settings.earning.perAmountMinor).toBe(unit);
    expect(settings.tiers.levels.map((t) => t.threshold)).toStrictEqual([100 * unit, 500 * unit, 1000 * unit]);
  });

  it("has storefront texts in English, Polish, Russian and Finnish", () => {
    const texts = defaultProgramSettings("EUR").texts;
    expect(Object.keys(texts)).toStrictEqual(["en", "pl", "ru", "fi"]);
    expect([texts.en.launcherLabel, texts.pl.launcherLabel, texts.ru.launcherLabel, texts.fi.launcherLabel]).toStrictEqual([
      "Rewards",
      "Nagrody",
      "Бонусы",
      "Edut",
    ]);
  });
});

describe("parsing stored or submitted settings", () => {
  const schema = programSettingsSchema("USD");

  it("fills what is missing from the defaults and keeps what is given", () => {
    const settings = schema.parse({ earning: { points: 2 }, texts: { pl: { launcherLabel: "Punkty" } } });
    expect(settings.earning).toStrictEqual({
      points: 2,
      perAmountMinor: 100,
      base: "subtotal_after_discounts",
      rounding: "floor",
      pendingDays: 0,
    });
    expect(settings.texts.pl.launcherLabel).toBe("Punkty");
    expect(settings.texts.pl.rewardsTitle).toBe("Nagrody");
  });

  it("reads back what was stored as JSON", () => {
    const stored = setProgramEnabled(defaultProgramSettings("USD"), true, new Date("2026-03-01T10:00:00Z"));
    expect(schema.parse(JSON.parse(JSON.stringify(stored)))).toStrictEqual(stored);
  });

  it.each([
    { name: "fractional points", input: { earning: { points: 1.5 } }, path: ["earning", "points"] },
    { name: "zero amount per point", input: { earning: { perAmountMinor: 0 } }, path: ["earning", "perAmountMinor"] },
    { name: "unknown earning base", input: { earning: { base: "gross" } }, path: ["earning", "base"] },
    {
      name: "reminder not before expiry",
      input: { expiry: { afterInactiveDays: 30, reminderDaysBefore: 30 } },
      path: ["expiry", "reminderDaysBefore"],
    },
    { name: "running program without a start date", input: { enabled: true }, path: ["startedAt"] },
    { name: "negative action points", input: { actions: { review: { points: -5 } } }, path: ["actions", "review", "points"] },
    {
      name: "tier thresholds not rising",
      input: {
        tiers: {
          levels: [
            { id: "a", name: "A", threshold: 500 },
            { id: "b", name: "B", threshold: 500 },
          ],
        },
      },
      path: ["tiers", "levels", 1, "threshold"],
    },
    {
      name: "a tier id used twice",
      input: {
        tiers: {
          levels: [
            { id: "a", name: "A", threshold: 100 },
            { id: "a", name: "B", threshold: 500 },
          ],
        },
      },
      path: ["tiers", "levels", 1, "id"],
    },
    {
      name: "multiplier as a float",
      input: { tiers: { levels: [{ id: "a", name: "A", threshold: 1, perks: { multiplierBps: 1.25 } }] } },
      path: ["tiers", "levels", 0, "perks", "multiplierBps"],
    },
    { name: "an empty storefront text", input: { texts: { fi: { logIn: "  " } } }, path: ["texts", "fi", "logIn"] },
  ])("refuses $name, naming the field", ({ input, path }) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe("switching the program on and off", () => {
  const first = new Date("2026-01-10T09:00:00Z");
  const later = new Date("2026-06-10T09:00:00Z");

  it("fixes the start date at the first switch-on and keeps it through later switches", () => {
    const on = setProgramEnabled(defaultProgramSettings("USD"), true, first);
    const off = setProgramEnabled(on, false, later);
    const onAgain = setProgramEnabled(off, true, later);
    expect([on.enabled, on.startedAt]).toStrictEqual([true, first]);
    expect([off.enabled, off.startedAt]).toStrictEqual([false, first]);
    expect([onAgain.enabled, onAgain.startedAt]).toStrictEqual([true, first]);
  });

  it("does not start a program that is switched off", () => {
    expect(setProgramEnabled(defaultProgramSettings("USD"), false, first).startedAt).toBeNull();
  });
});

describe("formatPoints", () => {
  const texts = defaultProgramSettings("EUR").texts;
  it.each<{ language: StorefrontLanguage; count: number; text: string }>([
    { language: "en", count: 1, text: "1 point" },
    { language: "en", count: 0, text: "0 points" },
    { language: "en", count: 1250, text: "1,250 points" },
    { language: "pl", count: 1, text: "1 punkt" },
    { language: "pl", count: 3, text: "3 punkty" },
    { language: "pl", count: 5, text: "5 punktów" },
    { language: "pl", count: 22, text: "22 punkty" },
    { language: "ru", count: 1, text: "1 балл" },
    { language: "ru", count: 21, text: "21 балл" },
    { language: "ru", count: 4, text: "4 балла" },
    { language: "ru", count: 11, text: "11 баллов" },
    { language: "fi", count: 1, text: "1 piste" },
    { language: "fi", count: 7, text: "7 pistettä" },
  ])("$language $count → $text", ({ language, count, text }) => {
    expect(formatPoints(count, language, texts[language])).toBe(text);
  });

  it("uses the merchant's word for points, falling back to the general form for categories left out", () => {
    const custom = programSettingsSchema("EUR").parse({ texts: { pl: { pointsUnit: { one: "gwiazdka", other: "gwiazdek" } } } }).texts.pl;
    expect([formatPoints(1, "pl", custom), formatPoints(3, "pl", custom)]).toStrictEqual(["1 gwiazdka", "3 gwiazdek"]);
  });
});
