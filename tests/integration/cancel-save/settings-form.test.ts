/**
 * The admin's settings form: posted fields (settings paths, amounts in currency units) become settings, every
 * refusal lands on its field, and saving the same form twice writes once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cancelSaveSettingsSchema } from "~/domain/cancel-save";
import { saveSettingsForm } from "~/services/cancel-save/admin.server";
import { settingsFromForm, settingsToForm } from "~/services/cancel-save/settings-form";
import { loadCancelSaveSettings } from "~/services/cancel-save/settings.server";
import { newShop, NOW, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** The payload the settings page posts for `settings` (as conform nests the field names). */
function payloadOf(values: ReturnType<typeof settingsToForm>) {
  return {
    enabled: values.enabled ? "on" : undefined,
    cooldownDays: values.cooldownDays,
    pause: { reminderDaysBeforeResume: values.reminderDaysBeforeResume, maxMonths: values.maxMonths },
    reasons: values.reasons.map((r) => ({ code: r.code, labels: { en: r.en, pl: r.pl, ru: r.ru, fi: r.fi }, asksFreeText: r.asksFreeText ? "on" : undefined })),
    offers: values.offers.map((o) => ({
      id: o.id,
      kind: o.kind,
      months: o.months,
      percent: o.percent,
      orders: o.orders,
      points: o.points,
      frequency: { interval: o.interval, intervalCount: o.intervalCount },
      swaps: o.swaps.map((s) => ({ ...s, toUnitPrice: { amountMinor: s.toUnitPrice } })),
    })),
    rules: values.rules.map((r) => ({
      id: r.id,
      offerId: r.offerId,
      when: {
        reasons: r.reasons,
        tenureDays: { atLeast: r.tenureAtLeast, below: r.tenureBelow },
        lifetimeValue: { atLeast: { amountMinor: r.ltvAtLeast }, below: { amountMinor: r.ltvBelow } },
        tiers: r.tiers,
        churnRisk: r.churnRisk,
      },
    })),
  };
}

const RICH = cancelSaveSettingsSchema.parse({
  cooldownDays: 60,
  offers: [
    { id: "pause-2", kind: "pause", months: 2 },
    { id: "every-2", kind: "change_frequency", frequency: { interval: "WEEK", intervalCount: 2 } },
    { id: "smaller", kind: "swap_variant", swaps: [{ fromVariantId: "gid://shopify/ProductVariant/1", toVariantId: "gid://shopify/ProductVariant/2", toVariantTitle: "500 g", toUnitPrice: { amountMinor: 950, currencyCode: "EUR" } }] },
    { id: "ten-off", kind: "discount", percent: 10, orders: 3 },
    { id: "points", kind: "bonus_points", points: 400 },
  ],
  rules: [
    { id: "vip", when: { reasons: ["too_expensive"], tiers: ["gold", "platinum"], lifetimeValue: { atLeast: { amountMinor: 50_000, currencyCode: "EUR" } } }, offerId: "ten-off" },
    { id: "new", when: { tenureDays: { below: 30 }, churnRisk: ["high"] }, offerId: null },
  ],
});

describe("the settings form", () => {
  test("the form's fields give back exactly the settings they show", () => {
    expect(settingsFromForm(payloadOf(settingsToForm(RICH)), "EUR")).toEqual({ ok: true, settings: RICH });
  });

  test.each([
    ["an amount that is not one", (p: any) => (p.rules[0].when.lifetimeValue.atLeast.amountMinor = "lots"), "rules[0].when.lifetimeValue.atLeast.amountMinor", "Enter an amount such as 9.50"],
    ["a count that is not whole", (p: any) => (p.offers[3].percent = "10.5"), "offers[3].percent", "Enter a whole number"],
    ["a rule naming no offer", (p: any) => (p.rules[0].offerId = "gone"), "rules[0].offerId", 'No offer has the id "gone"'],
    ["a pause longer than allowed", (p: any) => (p.pause.maxMonths = "1"), "offers[0].months", "The pause is longer than the longest pause allowed"],
    ["a reason listed twice", (p: any) => (p.reasons[1].code = p.reasons[0].code), "reasons[1].code", 'Reason "too_expensive" is listed twice'],
    ["a reason without English", (p: any) => (p.reasons[2].labels.en = ""), "reasons[2].labels.en", expect.any(String)],
  ])("%s is refused next to its field", (_, spoil, field, message) => {
    const payload = payloadOf(settingsToForm(RICH));
    spoil(payload);
    const result = settingsFromForm(payload, "EUR");
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toMatchObject({ [field]: message });
  });

  test("an unticked switch turns the flow off", () => {
    const payload = payloadOf(settingsToForm(RICH));
    delete payload.enabled;
    const result = settingsFromForm(payload, "EUR");
    expect(result.ok && result.settings.enabled).toBe(false);
  });

  test("saving the same form twice writes once; a later form's save replaces it", async () => {
    const shopId = await newShop(h);
    const token = randomUUID();
    const first = settingsToForm(RICH);
    expect(await saveSettingsForm(h.database, shopId, payloadOf(first), { formToken: token, staffUserId: "1", now: NOW, currencyCode: "EUR" })).toMatchObject({ ok: true });
    const replayed = payloadOf({ ...first, cooldownDays: "5" });
    await saveSettingsForm(h.database, shopId, replayed, { formToken: token, staffUserId: "1", now: NOW, currencyCode: "EUR" });
    expect((await loadCancelSaveSettings(h.database.pool, shopId)).cooldownDays).toBe(60);
    await saveSettingsForm(h.database, shopId, replayed, { formToken: randomUUID(), staffUserId: "1", now: NOW, currencyCode: "EUR" });
    expect((await loadCancelSaveSettings(h.database.pool, shopId)).cooldownDays).toBe(5);
  });

  test("an invalid form saves nothing", async () => {
    const shopId = await newShop(h);
    const payload = payloadOf(settingsToForm(RICH));
    payload.cooldownDays = "-3";
    expect(await saveSettingsForm(h.database, shopId, payload, { formToken: randomUUID(), staffUserId: null, now: NOW, currencyCode: "EUR" })).toMatchObject({ ok: false, errors: { cooldownDays: expect.any(String) } });
    expect(await loadCancelSaveSettings(h.database.pool, shopId)).toEqual(cancelSaveSettingsSchema.parse({}));
  });
});
