/** The Program page's section forms → program settings: conversions, field-keyed errors, nothing else touched. */
import { describe, expect, test } from "vitest";
import { defaultProgramSettings } from "~/domain/loyalty";
import { applySettingsForm, readFormValues } from "~/services/admin/program-form";

const NOW = new Date("2026-11-20T12:00:00Z");
const current = defaultProgramSettings("USD");

describe("saving a section", () => {
  test("earning: amounts typed in currency units are stored in minor units; other sections are kept", () => {
    const result = applySettingsForm(current, "USD", "earning", {
      earning: { points: "2", perAmountMinor: "1.50", base: "total", rounding: "nearest", pendingDays: "14" },
      expiry: { enabled: "on", afterInactiveDays: "365", reminderDaysBefore: "30" },
    }, NOW);
    expect(result.ok && result.settings.earning).toEqual({ points: 2, perAmountMinor: 150, base: "total", rounding: "nearest", pendingDays: 14 });
    expect(result.ok && result.settings.expiry.enabled).toBe(true);
    expect(result.ok && result.settings.tiers).toEqual(current.tiers);
  });

  test("an unchecked checkbox (absent from the form) switches the setting off", () => {
    const result = applySettingsForm({ ...current, expiry: { ...current.expiry, enabled: true } }, "USD", "earning", {
      earning: { points: "1", perAmountMinor: "1.00", base: "total", rounding: "floor", pendingDays: "0" },
      expiry: { afterInactiveDays: "365", reminderDaysBefore: "30" },
    }, NOW);
    expect(result.ok && result.settings.expiry.enabled).toBe(false);
  });

  test.each([
    [{ earning: { points: "-1", perAmountMinor: "1.00" } }, "earning.points"],
    [{ earning: { points: "x", perAmountMinor: "1.00" } }, "earning.points"],
    [{ earning: { points: "1", perAmountMinor: "ten" } }, "earning.perAmountMinor"],
    [{ earning: { points: "1", perAmountMinor: "1.00" }, expiry: { enabled: "on", afterInactiveDays: "30", reminderDaysBefore: "60" } }, "expiry.reminderDaysBefore"],
  ])("%j is refused with an error on %s", (payload, field) => {
    const result = applySettingsForm(current, "USD", "earning", payload, NOW);
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors)).toContain(field);
  });

  test("tiers: thresholds in money on the spend basis, multipliers as 1.25, a new tier's id from its name", () => {
    const result = applySettingsForm(current, "USD", "tiers", {
      tiers: {
        basis: "spend",
        window: "lifetime",
        retentionDays: "90",
        levels: [
          { id: "silver", name: "Silver", threshold: "50", perks: { multiplierBps: "1", birthdayBonusPoints: "0" } },
          { name: "Rose Gold", threshold: "250.00", perks: { multiplierBps: "1.25", freeShipping: "on", birthdayBonusPoints: "50" } },
        ],
      },
    }, NOW);
    expect(result.ok).toBe(true);
    expect(result.ok && result.settings.tiers.levels).toMatchObject([
      { id: "silver", threshold: 5_000, perks: { multiplierBps: 10_000, freeShipping: false } },
      { id: "rose-gold", name: "Rose Gold", threshold: 25_000, perks: { multiplierBps: 12_500, freeShipping: true, birthdayBonusPoints: 50 } },
    ]);
  });

  test("tiers whose thresholds do not rise are refused on the offending row", () => {
    const result = applySettingsForm(current, "USD", "tiers", {
      tiers: { basis: "spend", window: "lifetime", retentionDays: "90", levels: [{ id: "a", name: "A", threshold: "100" }, { id: "b", name: "B", threshold: "100" }] },
    }, NOW);
    expect(result).toEqual({ ok: false, errors: { "tiers.levels[1].threshold": "Each tier needs a higher threshold than the one below it" } });
  });

  test("switching the program on fixes its start date once", () => {
    const on = applySettingsForm(current, "USD", "status", { enabled: "on" }, NOW);
    expect(on.ok && on.settings).toMatchObject({ enabled: true, startedAt: NOW });
    const off = applySettingsForm(on.ok ? on.settings : current, "USD", "status", {}, new Date("2026-12-01T00:00:00Z"));
    expect(off.ok && off.settings).toMatchObject({ enabled: false, startedAt: NOW });
  });

  test("an emptied storefront text falls back to the language's default", () => {
    const result = applySettingsForm(current, "USD", "texts", { texts: { pl: { launcherLabel: "", rewardsTitle: "Prezenty" } } }, NOW);
    expect(result.ok && result.settings.texts.pl).toMatchObject({ launcherLabel: "Nagrody", rewardsTitle: "Prezenty" });
  });
});

test("other forms read with the same conversions", () => {
  expect(readFormValues({ amountMinor: 0, expiresAfterDays: null, archived: false }, { type: "fixed_amount", amountMinor: "5.00", expiresAfterDays: "" }, "USD")).toEqual({
    value: { amountMinor: 500, expiresAfterDays: null, archived: false, type: "fixed_amount" },
    errors: {},
  });
});
