import { describe, expect, it } from "vitest";
import { CANCEL_FLOW_LANGUAGES, cancelSaveSettingsSchema, reasonLabel, type CancelSaveSettingsInput } from "~/domain/cancel-save";

describe("cancel-save settings defaults", () => {
  const defaults = cancelSaveSettingsSchema.parse({});

  it("switch the flow on with a 100-day cooldown and a reminder 5 days before a pause ends", () => {
    expect(defaults.enabled).toBe(true);
    expect(defaults.cooldownDays).toBe(100);
    expect(defaults.pause).toStrictEqual({ reminderDaysBeforeResume: 5, maxMonths: 6 });
    expect(defaults.rules).toStrictEqual([]);
  });

  it("list the six reasons, each labelled in every storefront language, with free text only for 'other'", () => {
    expect(defaults.reasons.map((r) => r.code)).toStrictEqual(["too_expensive", "too_much_product", "not_using_it", "moving", "quality", "other"]);
    for (const reason of defaults.reasons) {
      for (const language of CANCEL_FLOW_LANGUAGES) expect(reason.labels[language], `${reason.code}/${language}`).toMatch(/\S/);
    }
    expect(defaults.reasons.filter((r) => r.asksFreeText).map((r) => r.code)).toStrictEqual(["other"]);
  });

  it("offer a one-month pause, a skip and a discount out of the box", () => {
    expect(defaults.offers).toStrictEqual([
      { id: "pause-1-month", kind: "pause", months: 1 },
      { id: "skip-next-delivery", kind: "skip_next_delivery" },
      { id: "discount-20-next-2", kind: "discount", percent: 20, orders: 2 },
    ]);
  });
});

describe("cancel-save settings refuse what would break the flow, naming the field", () => {
  const eur = (amountMinor: number) => ({ amountMinor, currencyCode: "EUR" });
  const cases: [string, CancelSaveSettingsInput, (string | number)[]][] = [
    ["a reason listed twice", { reasons: [{ code: "moving", labels: { en: "Moving" } }, { code: "moving", labels: { en: "Moving away" } }] }, ["reasons", 1, "code"]],
    ["an offer id used twice", { offers: [{ id: "p", kind: "pause", months: 1 }, { id: "p", kind: "skip_next_delivery" }] }, ["offers", 1, "id"]],
    ["a rule naming a missing offer", { rules: [{ id: "r", offerId: "nope" }] }, ["rules", 0, "offerId"]],
    ["a rule naming a missing reason", { rules: [{ id: "r", when: { reasons: ["bored"] }, offerId: "pause-1-month" }] }, ["rules", 0, "when", "reasons", 0]],
    ["an empty tenure range", { rules: [{ id: "r", when: { tenureDays: { atLeast: 90, below: 90 } }, offerId: null }] }, ["rules", 0, "when", "tenureDays", "below"]],
    ["a lifetime-value range in two currencies", { rules: [{ id: "r", when: { lifetimeValue: { atLeast: eur(1), below: { amountMinor: 9, currencyCode: "USD" } } }, offerId: null }] }, ["rules", 0, "when", "lifetimeValue", "below"]],
    ["an empty lifetime-value range", { rules: [{ id: "r", when: { lifetimeValue: { atLeast: eur(500), below: eur(100) } }, offerId: null }] }, ["rules", 0, "when", "lifetimeValue", "below"]],
    ["a pause of four months", { offers: [{ id: "p", kind: "pause", months: 4 }] }, ["offers", 0, "months"]],
    ["a pause longer than the longest allowed", { offers: [{ id: "p", kind: "pause", months: 3 }], pause: { maxMonths: 2 } }, ["offers", 0, "months"]],
    ["a discount above 100 %", { offers: [{ id: "d", kind: "discount", percent: 120, orders: 1 }] }, ["offers", 0, "percent"]],
    ["a reason code with spaces", { reasons: [{ code: "too expensive", labels: { en: "x" } }] }, ["reasons", 0, "code"]],
    ["a reason without an English label", { reasons: [{ code: "x", labels: { en: " ", pl: "Za drogo" } }] }, ["reasons", 0, "labels", "en"]],
    ["no reasons at all", { reasons: [] }, ["reasons"]],
  ];
  it.each(cases)("%s", (_name, input, path) => {
    const result = cancelSaveSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it("accept a merchant's own reason with an English label only, shown in English where no translation exists", () => {
    const settings = cancelSaveSettingsSchema.parse({ reasons: [{ code: "bored", labels: { en: "I got bored", fi: "Kyllästyin" } }] });
    const [bored] = settings.reasons;
    expect(reasonLabel(bored, "fi")).toBe("Kyllästyin");
    expect(reasonLabel(bored, "pl")).toBe("I got bored");
  });
});
