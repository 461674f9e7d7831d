import { describe, expect, it } from "vitest";
import { DEFAULT_RISK_POLICY, describeDuration, riskLevel } from "~/domain/churn";

describe("describeDuration", () => {
  it.each([
    { days: 1, text: "1 day" },
    { days: 13, text: "13 days" },
    { days: 21, text: "3 weeks" },
    { days: 77, text: "11 weeks" },
    { days: 100, text: "3 months" },
    { days: 400, text: "13 months" },
  ])("$days days read as $text", ({ days, text }) => {
    expect(describeDuration(days)).toBe(text);
  });
});

describe("riskLevel", () => {
  const policy = { ...DEFAULT_RISK_POLICY, highValueMinor: 50_000 };

  it.each([
    {
      case: "a regular buyer gone quiet",
      input: { probabilityAlive: 0.2, history: { frequency: 3, recency: 9, T: 20 }, timeUnit: "weeks" as const, valueMinor: 10_000 },
      expected: { level: "high", reasons: ["usually buys every 3 weeks, last order 11 weeks ago", "20 % likely to still be a customer"] },
    },
    {
      case: "a slipping customer who matters",
      input: { probabilityAlive: 0.45, history: { frequency: 6, recency: 42, T: 70 }, timeUnit: "days" as const, valueMinor: 80_000 },
      expected: {
        level: "high",
        reasons: ["usually buys every 7 days, last order 4 weeks ago", "45 % likely to still be a customer", "high-value customer"],
      },
    },
    {
      case: "a slipping customer of ordinary value",
      input: { probabilityAlive: 0.45, history: { frequency: 6, recency: 42, T: 70 }, timeUnit: "days" as const, valueMinor: 8_000 },
      expected: { level: "medium", reasons: ["usually buys every 7 days, last order 4 weeks ago", "45 % likely to still be a customer"] },
    },
    {
      case: "a customer who just bought",
      input: { probabilityAlive: 0.97, history: { frequency: 4, recency: 4, T: 30 / 7 }, timeUnit: "weeks" as const, valueMinor: 8_000 },
      expected: { level: "low", reasons: ["usually buys every 7 days, last order 2 days ago", "97 % likely to still be a customer"] },
    },
    {
      case: "a daily buyer",
      input: { probabilityAlive: 0.9, history: { frequency: 10, recency: 10, T: 11 }, timeUnit: "days" as const, valueMinor: 8_000 },
      expected: { level: "low", reasons: ["usually buys every day, last order 1 day ago", "90 % likely to still be a customer"] },
    },
    {
      case: "a one-time buyer, recently",
      input: { probabilityAlive: 1, history: { frequency: 0, recency: 0, T: 30 }, timeUnit: "days" as const, valueMinor: 3_000 },
      expected: { level: "low", reasons: ["one order so far, 4 weeks ago"] },
    },
    {
      case: "a one-time buyer, long ago (P(alive) says 1, time says otherwise)",
      input: { probabilityAlive: 1, history: { frequency: 0, recency: 0, T: 26 }, timeUnit: "weeks" as const, valueMinor: 3_000 },
      expected: { level: "medium", reasons: ["one order so far, 6 months ago"] },
    },
  ])("$case", ({ input, expected }) => {
    expect(riskLevel(input, policy)).toStrictEqual(expected);
  });
});
