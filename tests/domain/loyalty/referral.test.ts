import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultProgramSettings, describeReferralDiscount, parseReferralCode, programSettingsSchema, referralCode } from "~/domain/loyalty";

const hmacUnder = (secret: string) => (message: string) => createHmac("sha256", secret).update(message).digest();

describe("referralCode", () => {
  const keyed = hmacUnder("app-secret");

  it("is 12 unambiguous characters, the same every time for one customer", () => {
    const code = referralCode("gid://shopify/Customer/1001", keyed);
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(referralCode("gid://shopify/Customer/1001", keyed)).toBe(code);
  });

  it("differs between customers, and cannot be derived without the secret", () => {
    const codes = new Set(Array.from({ length: 1_000 }, (_, i) => referralCode(`gid://shopify/Customer/${i}`, keyed)));
    expect(codes.size).toBe(1_000);
    expect(referralCode("gid://shopify/Customer/1001", hmacUnder("another-secret"))).not.toBe(
      referralCode("gid://shopify/Customer/1001", keyed)
    );
  });

  it("refuses a hash too short to fill the code", () => {
    expect(() => referralCode("c1", () => new Uint8Array(8))).toThrow(/12 bytes/);
  });
});

describe("parseReferralCode", () => {
  it.each([
    { input: "7KQM2XPDAB4T", code: "7KQM2XPDAB4T" },
    { input: " 7kqm-2xpd-ab4t ", code: "7KQM2XPDAB4T" },
    { input: "7KQM 2XPD AB4T", code: "7KQM2XPDAB4T" },
    { input: "7KQM2XPDAB4", code: null },
    { input: "7KQM2XPDAB4O", code: null },
    { input: "7KQM2XPDAB41", code: null },
    { input: "", code: null },
  ])("$input → $code", ({ input, code }) => {
    expect(parseReferralCode(input)).toBe(code);
  });

  it("reads back every code it hands out", () => {
    const code = referralCode("gid://shopify/Customer/55", hmacUnder("s"));
    expect(parseReferralCode(code.toLowerCase())).toBe(code);
  });
});

describe("describeReferralDiscount", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const context = { customerId: "gid://shopify/Customer/2", currencyCode: "EUR", now, newCode: () => "RE-FRND-CODE" };
  const terms = {
    title: "Referral discount",
    code: "RE-FRND-CODE",
    customerId: "gid://shopify/Customer/2",
    usageLimit: 1,
    appliesOncePerCustomer: true,
    startsAt: now,
    endsAt: new Date("2026-07-01T12:00:00Z"),
  };

  it.each([
    {
      name: "the default: 10 % off the friend's first order",
      referral: defaultProgramSettings("EUR").referral,
      expected: { kind: "basic_discount_code", value: { type: "percentage", percent: 10 }, ...terms, minimumSubtotal: null },
    },
    {
      name: "a fixed amount with a minimum order",
      referral: programSettingsSchema("EUR").parse({
        referral: { friendDiscount: { value: { type: "fixed_amount", amountMinor: 1_000 }, minimumOrderMinor: 5_000 } },
      }).referral,
      expected: {
        kind: "basic_discount_code",
        value: { type: "fixed_amount", amount: { amountMinor: 1_000, currencyCode: "EUR" } },
        ...terms,
        minimumSubtotal: { amountMinor: 5_000, currencyCode: "EUR" },
      },
    },
  ])("$name", ({ referral, expected }) => {
    expect(describeReferralDiscount(referral, context)).toStrictEqual(expected);
  });
});
