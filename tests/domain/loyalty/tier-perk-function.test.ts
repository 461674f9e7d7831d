import { describe, expect, it } from "vitest";
import { defaultProgramSettings, programSettingsSchema, tierPerkFunctionConfiguration, type TierPerkFunctionConfiguration } from "~/domain/loyalty";

const tier = (id: string, name: string, threshold: number, freeShipping: boolean) => ({ id, name, threshold, perks: { freeShipping } });
const program = (levels: object[], enabled = true) => ({ ...programSettingsSchema("USD").parse({ tiers: { levels } }), enabled });

describe("the tier-perks Function's configuration", () => {
  it.each<{ name: string; levels: object[]; configuration: TierPerkFunctionConfiguration }>([
    { name: "no tiers", levels: [], configuration: { tiers: [] } },
    { name: "no tier with free shipping", levels: [tier("silver", "Silver", 100, false), tier("gold", "Gold", 500, false)], configuration: { tiers: [] } },
    {
      name: "the tiers with free shipping, by name",
      levels: [tier("silver", "Silver", 100, false), tier("gold", "Gold", 500, true), tier("platinum", "Platinum", 1000, true)],
      configuration: { tiers: [{ name: "Gold", shippingPercentOff: 100 }, { name: "Platinum", shippingPercentOff: 100 }] },
    },
    {
      name: "two tiers of one name, both with free shipping, once",
      levels: [tier("vip-1", "VIP", 100, true), tier("vip-2", "VIP", 500, true)],
      configuration: { tiers: [{ name: "VIP", shippingPercentOff: 100 }] },
    },
    {
      name: "not a name a tier without the perk also has",
      levels: [tier("vip-1", "VIP", 100, false), tier("vip-2", "VIP", 500, true), tier("elite", "Elite", 1000, true)],
      configuration: { tiers: [{ name: "Elite", shippingPercentOff: 100 }] },
    },
  ])("$name", ({ levels, configuration }) => {
    expect(tierPerkFunctionConfiguration(program(levels))).toStrictEqual(configuration);
  });

  it("gives the default program's Platinum tier free shipping", () => {
    expect(tierPerkFunctionConfiguration({ ...defaultProgramSettings("EUR"), enabled: true })).toStrictEqual({ tiers: [{ name: "Platinum", shippingPercentOff: 100 }] });
  });

  it("gives no perks while the program is switched off", () => {
    expect(tierPerkFunctionConfiguration(program([tier("platinum", "Platinum", 1000, true)], false))).toStrictEqual({ tiers: [] });
  });
});
