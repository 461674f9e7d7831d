import { describe, expect, it } from "vitest";
import { canPostEntry, canRedeem, pointsBalance, type LedgerEntry, type LedgerEntryKind, type PointsBalance } from "~/domain/loyalty";

const now = new Date("2026-05-01T12:00:00Z");
const before = new Date("2026-04-20T00:00:00Z");
const after = new Date("2026-05-10T00:00:00Z");
const row = (kind: LedgerEntryKind, points: number, availableAt: Date): LedgerEntry => ({ kind, points, availableAt });

describe("pointsBalance", () => {
  it.each([
    { name: "no rows, nothing", entries: [], expected: { available: 0, pending: 0 } },
    {
      name: "available rows are spendable, pending ones are only shown",
      entries: [row("order_earn", 120, before), row("action", 100, before), row("redemption", -150, before), row("order_earn", 80, after)],
      expected: { available: 70, pending: 80 },
    },
    {
      name: "a row becomes spendable at its availability instant",
      entries: [row("order_earn", 40, now)],
      expected: { available: 40, pending: 0 },
    },
    {
      name: "a claw-back after the points were spent leaves the balance negative",
      entries: [row("order_earn", 100, before), row("redemption", -100, before), row("order_refund", -60, now)],
      expected: { available: -60, pending: 0 },
    },
    {
      name: "a cancelled pending award nets out in pending",
      entries: [row("order_earn", 30, before), row("order_earn", 90, after), row("order_cancel", -90, after)],
      expected: { available: 30, pending: 0 },
    },
  ])("$name", ({ entries, expected }) => {
    expect(pointsBalance(entries, now)).toStrictEqual(expected);
  });
});

describe("who may take a balance below zero", () => {
  const balance: PointsBalance = { available: 100, pending: 500 };
  it.each<{ kind: LedgerEntryKind; points: number; allowed: boolean }>([
    { kind: "redemption", points: -100, allowed: true },
    { kind: "redemption", points: -101, allowed: false },
    { kind: "expiry", points: -101, allowed: false },
    { kind: "adjustment", points: -101, allowed: false },
    { kind: "adjustment", points: -40, allowed: true },
    { kind: "order_refund", points: -400, allowed: true },
    { kind: "order_cancel", points: -400, allowed: true },
    { kind: "adjustment", points: 250, allowed: true },
    { kind: "action", points: 2.5, allowed: false },
  ])("$kind of $points on 100 available → $allowed", ({ kind, points, allowed }) => {
    expect(canPostEntry(balance, kind, points)).toBe(allowed);
  });
});

describe("canRedeem", () => {
  it.each([
    { name: "exactly the balance", balance: { available: 500, pending: 0 }, cost: 500, allowed: true },
    { name: "one point short", balance: { available: 499, pending: 0 }, cost: 500, allowed: false },
    { name: "pending points cannot be spent", balance: { available: 200, pending: 1_000 }, cost: 500, allowed: false },
    { name: "a negative balance redeems nothing", balance: { available: -20, pending: 0 }, cost: 1, allowed: false },
    { name: "a free redemption is not a redemption", balance: { available: 500, pending: 0 }, cost: 0, allowed: false },
  ])("$name", ({ balance, cost, allowed }) => {
    expect(canRedeem(balance, cost)).toBe(allowed);
  });
});
