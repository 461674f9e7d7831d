import { describe, expect, it } from "vitest";
import { checkExpiry, defaultProgramSettings, expiryEntryKey, type ExpirySettings } from "~/domain/loyalty";

const lastActivityAt = new Date("2025-06-01T10:00:00Z");
const dueAt = new Date("2026-06-01T10:00:00Z"); // 365 days of inactivity
const reminderAt = new Date("2026-05-02T10:00:00Z"); // 30 days before
const on: ExpirySettings = { ...defaultProgramSettings("USD").expiry, enabled: true };
const balance = { available: 750, pending: 0 };
const customer = { lastActivityAt, balance, lastReminderAt: null };

describe("checkExpiry", () => {
  it.each([
    { name: "expiry switched off", customer, expiry: defaultProgramSettings("USD").expiry, now: dueAt, expected: null },
    { name: "no activity yet", customer: { ...customer, lastActivityAt: null }, expiry: on, now: dueAt, expected: null },
    {
      name: "nothing positive to expire",
      customer: { ...customer, balance: { available: -40, pending: 0 } },
      expiry: on,
      now: dueAt,
      expected: null,
    },
    {
      name: "before the reminder window nothing is due",
      customer,
      expiry: on,
      now: new Date("2026-04-01T00:00:00Z"),
      expected: { dueAt, expiresAt: dueAt, reminderDue: false, expiryDue: false, points: 750 },
    },
    {
      name: "the reminder is due when the window opens",
      customer,
      expiry: on,
      now: reminderAt,
      expected: { dueAt, expiresAt: dueAt, reminderDue: true, expiryDue: false, points: 750 },
    },
    {
      name: "a reminder already sent in this period is not sent again",
      customer: { ...customer, lastReminderAt: reminderAt },
      expiry: on,
      now: new Date("2026-05-20T00:00:00Z"),
      expected: { dueAt, expiresAt: dueAt, reminderDue: false, expiryDue: false, points: 750 },
    },
    {
      name: "the whole spendable balance expires at the due date after the reminder",
      customer: { ...customer, balance: { available: 750, pending: 60 }, lastReminderAt: reminderAt },
      expiry: on,
      now: dueAt,
      expected: { dueAt, expiresAt: dueAt, reminderDue: false, expiryDue: true, points: 750 },
    },
    {
      name: "a reminder from an earlier inactivity period does not count",
      customer: { ...customer, lastReminderAt: new Date("2025-05-01T00:00:00Z") },
      expiry: on,
      now: new Date("2026-05-10T10:00:00Z"),
      expected: { dueAt, expiresAt: new Date("2026-06-09T10:00:00Z"), reminderDue: true, expiryDue: false, points: 750 },
    },
    {
      name: "long inactive when expiry is switched on: reminded first, expired only after the full notice",
      customer: { ...customer, lastActivityAt: new Date("2023-01-01T00:00:00Z") },
      expiry: on,
      now: new Date("2026-07-01T00:00:00Z"),
      expected: {
        dueAt: new Date("2024-01-01T00:00:00Z"),
        expiresAt: new Date("2026-07-31T00:00:00Z"),
        reminderDue: true,
        expiryDue: false,
        points: 750,
      },
    },
    {
      name: "a late reminder moves the expiry with it",
      customer: { ...customer, lastReminderAt: new Date("2026-05-20T00:00:00Z") },
      expiry: on,
      now: dueAt,
      expected: { dueAt, expiresAt: new Date("2026-06-19T00:00:00Z"), reminderDue: false, expiryDue: false, points: 750 },
    },
    {
      name: "with no reminder configured, points expire at the due date",
      customer,
      expiry: { ...on, reminderDaysBefore: 0 },
      now: dueAt,
      expected: { dueAt, expiresAt: dueAt, reminderDue: false, expiryDue: true, points: 750 },
    },
  ])("$name", ({ customer, expiry, now, expected }) => {
    expect(checkExpiry(customer, expiry, now)).toStrictEqual(expected);
  });

  it("keys the expiry row by customer and inactivity period", () => {
    expect(expiryEntryKey("c42", dueAt)).toBe("expiry:c42:2026-06-01T10:00:00.000Z");
  });
});
