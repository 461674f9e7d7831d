import { describe, expect, it } from "vitest";
import {
  birthdaySchema,
  decideActionAward,
  decideBirthdayAward,
  decideReferrerAward,
  defaultProgramSettings,
  normalizeAddress,
  normalizeEmail,
  programSettingsSchema,
  referralRefusal,
  setProgramEnabled,
  type PostalAddress,
  type ReferralParty,
} from "~/domain/loyalty";

const start = new Date("2026-01-01T00:00:00Z");
const running = setProgramEnabled(defaultProgramSettings("USD"), true, start);
const withActions = (actions: object) => programSettingsSchema("USD").parse({ ...running, actions });

describe("decideActionAward", () => {
  it.each([
    {
      name: "sign-up, once",
      input: { customerId: "c1", occurrence: { action: "signup" as const }, awardsSoFar: 0 },
      program: running,
      expected: { award: true, points: 100, key: "signup:c1" },
    },
    {
      name: "a second sign-up award is over the cap",
      input: { customerId: "c1", occurrence: { action: "signup" as const }, awardsSoFar: 1 },
      program: running,
      expected: { award: false, reason: "cap_reached" },
    },
    {
      name: "reviews are off by default",
      input: { customerId: "c1", occurrence: { action: "review" as const, reviewId: "rv-9" }, awardsSoFar: 0 },
      program: running,
      expected: { award: false, reason: "action_disabled" },
    },
    {
      name: "a review once switched on, keyed by the review",
      input: { customerId: "c1", occurrence: { action: "review" as const, reviewId: "rv-9" }, awardsSoFar: 9 },
      program: withActions({ review: { enabled: true } }),
      expected: { award: true, points: 50, key: "review:rv-9" },
    },
    {
      name: "the eleventh review is over the default cap of ten",
      input: { customerId: "c1", occurrence: { action: "review" as const, reviewId: "rv-10" }, awardsSoFar: 10 },
      program: withActions({ review: { enabled: true } }),
      expected: { award: false, reason: "cap_reached" },
    },
    {
      name: "a social follow, one per network",
      input: { customerId: "c1", occurrence: { action: "social_follow" as const, network: "instagram" }, awardsSoFar: 0 },
      program: withActions({ social_follow: { enabled: true, points: 40 } }),
      expected: { award: true, points: 40, key: "social_follow:c1:instagram" },
    },
    {
      name: "a survey answer with no cap, once per survey",
      input: { customerId: "c1", occurrence: { action: "survey" as const, surveyId: "nps-2026-q1" }, awardsSoFar: 500 },
      program: withActions({ survey: { enabled: true } }),
      expected: { award: true, points: 50, key: "survey:nps-2026-q1:c1" },
    },
    {
      name: "nothing while the program is off",
      input: { customerId: "c1", occurrence: { action: "signup" as const }, awardsSoFar: 0 },
      program: defaultProgramSettings("USD"),
      expected: { award: false, reason: "program_off" },
    },
  ])("$name", ({ input, program, expected }) => {
    expect(decideActionAward(input, program)).toStrictEqual(expected);
  });
});

describe("decideBirthdayAward", () => {
  const input = { customerId: "c7", birthday: { month: 3, day: 15 }, tierId: null, awardsSoFar: 0, timeZone: "UTC" };
  it.each([
    {
      name: "not before the birthday",
      input,
      now: new Date("2026-03-14T12:00:00Z"),
      expected: { award: false, reason: "not_birthday_yet" },
    },
    {
      name: "on the birthday, keyed by the year",
      input,
      now: new Date("2026-03-15T00:00:00Z"),
      expected: { award: true, points: 100, key: "birthday:c7:2026" },
    },
    {
      name: "later in the year still (a new member)",
      input,
      now: new Date("2026-11-02T09:00:00Z"),
      expected: { award: true, points: 100, key: "birthday:c7:2026" },
    },
    {
      name: "early next year: not yet again",
      input,
      now: new Date("2027-01-05T09:00:00Z"),
      expected: { award: false, reason: "not_birthday_yet" },
    },
    {
      name: "on the shop's calendar: already 15 March in Helsinki",
      input: { ...input, timeZone: "Europe/Helsinki" },
      now: new Date("2026-03-14T22:30:00Z"),
      expected: { award: true, points: 100, key: "birthday:c7:2026" },
    },
    {
      name: "on the shop's calendar: still 14 March in Los Angeles",
      input: { ...input, timeZone: "America/Los_Angeles" },
      now: new Date("2026-03-15T05:00:00Z"),
      expected: { award: false, reason: "not_birthday_yet" },
    },
    {
      name: "29 February falls on 28 February in other years",
      input: { ...input, birthday: { month: 2, day: 29 } },
      now: new Date("2027-02-28T08:00:00Z"),
      expected: { award: true, points: 100, key: "birthday:c7:2027" },
    },
    {
      name: "29 February waits for the 29th in a leap year",
      input: { ...input, birthday: { month: 2, day: 29 } },
      now: new Date("2028-02-28T08:00:00Z"),
      expected: { award: false, reason: "not_birthday_yet" },
    },
    {
      name: "a Gold member gets the tier's birthday bonus on top",
      input: { ...input, tierId: "gold" },
      now: new Date("2026-03-15T08:00:00Z"),
      expected: { award: true, points: 200, key: "birthday:c7:2026" },
    },
    {
      name: "switched off",
      input,
      now: new Date("2026-03-15T08:00:00Z"),
      program: withActions({ birthday: { enabled: false } }),
      expected: { award: false, reason: "action_disabled" },
    },
  ])("$name", ({ input, now, expected, program = running }) => {
    expect(decideBirthdayAward(input, program, now)).toStrictEqual(expected);
  });

  it.each([
    { birthday: { month: 2, day: 29 }, valid: true },
    { birthday: { month: 2, day: 30 }, valid: false },
    { birthday: { month: 4, day: 31 }, valid: false },
    { birthday: { month: 12, day: 31 }, valid: true },
    { birthday: { month: 13, day: 1 }, valid: false },
  ])("birthday $birthday.month/$birthday.day valid: $valid", ({ birthday, valid }) => {
    expect(birthdaySchema.safeParse(birthday).success).toBe(valid);
  });
});

describe("normalizeEmail", () => {
  it.each([
    { email: "  Anna.Kowalska@Example.PL ", normalized: "anna.kowalska@example.pl" },
    { email: "anna+promo@example.pl", normalized: "anna@example.pl" },
    { email: "A.N.N.A+x@googlemail.com", normalized: "anna@gmail.com" },
    { email: "anna.k@gmail.com", normalized: "annak@gmail.com" },
  ])("$email → $normalized", ({ email, normalized }) => {
    expect(normalizeEmail(email)).toBe(normalized);
  });
});

describe("normalizeAddress", () => {
  const address = (fields: Partial<PostalAddress>): PostalAddress => ({
    address1: null,
    address2: null,
    city: null,
    zip: null,
    countryCode: null,
    ...fields,
  });
  it.each([
    {
      name: "case, accents, punctuation and spacing do not matter",
      a: address({ address1: "Mannerheimintie 12 B", city: "Helsinki", zip: "00100", countryCode: "FI" }),
      b: address({ address1: " mannerheimintie  12-b ", city: "HELSINKI", zip: "00 100", countryCode: "fi" }),
      same: true,
    },
    {
      name: "Polish letters and a flat written with a slash or a space",
      a: address({ address1: "ul. Żółta 5/3", city: "Łódź", zip: "90-001", countryCode: "PL" }),
      b: address({ address1: "UL ŻÓŁTA 5 3", city: "łódź", zip: "90001", countryCode: "pl" }),
      same: true,
    },
    {
      name: "a different flat is a different address",
      a: address({ address1: "Lenina 1", address2: "kv. 5", city: "Москва", zip: "101000", countryCode: "RU" }),
      b: address({ address1: "Lenina 1", address2: "kv. 6", city: "Москва", zip: "101000", countryCode: "RU" }),
      same: false,
    },
  ])("$name", ({ a, b, same }) => {
    expect(normalizeAddress(a) === normalizeAddress(b)).toBe(same);
  });

  it("has nothing to compare without a street line", () => {
    expect(normalizeAddress(address({ city: "Oulu", zip: "90100", countryCode: "FI" }))).toBeNull();
  });
});

describe("referrals", () => {
  const home: PostalAddress = { address1: "Piotrkowska 100", address2: null, city: "Łódź", zip: "90-004", countryCode: "PL" };
  const referrer: ReferralParty = { customerId: "c1", email: "ola@example.pl", addresses: [home] };
  const friend: ReferralParty = { customerId: "c2", email: "jan@example.pl", addresses: [] };

  it.each([
    { name: "a real friend", friend, refusal: null },
    { name: "referring yourself", friend: { ...friend, customerId: "c1" }, refusal: "self_referral" },
    { name: "your own mailbox under a +tag", friend: { ...friend, email: "OLA+2@example.pl" }, refusal: "same_email" },
    {
      name: "shipping to the referrer's address",
      friend: { ...friend, addresses: [{ ...home, address1: "PIOTRKOWSKA 100" }] },
      refusal: "same_address",
    },
    { name: "a friend without an email yet", friend: { ...friend, email: null }, refusal: null },
  ])("$name → $refusal", ({ friend, refusal }) => {
    expect(referralRefusal(referrer, friend)).toBe(refusal);
  });

  it.each([
    {
      name: "the referrer earns when the friend's first order is paid, once per friend",
      input: { referrer, friend, friendPriorPaidOrders: 0, referrerAwardsSoFar: 3 },
      program: running,
      expected: { award: true, points: 500, key: "referral:c2" },
    },
    {
      name: "not for the friend's later orders",
      input: { referrer, friend, friendPriorPaidOrders: 1, referrerAwardsSoFar: 0 },
      program: running,
      expected: { award: false, reason: "not_first_order" },
    },
    {
      name: "refused when the first order ships to the referrer's address",
      input: { referrer, friend: { ...friend, addresses: [home] }, friendPriorPaidOrders: 0, referrerAwardsSoFar: 0 },
      program: running,
      expected: { award: false, reason: "same_address" },
    },
    {
      name: "the referrer's cap holds",
      input: { referrer, friend, friendPriorPaidOrders: 0, referrerAwardsSoFar: 5 },
      program: withActions({ referral: { capPerCustomer: 5 } }),
      expected: { award: false, reason: "cap_reached" },
    },
  ])("$name", ({ input, program, expected }) => {
    expect(decideReferrerAward(input, program)).toStrictEqual(expected);
  });
});
