import { tz } from "@date-fns/tz";
import { addDays, addMonths, addWeeks, addYears, differenceInDays } from "date-fns";
import type { Frequency } from "./types";

// Calendar arithmetic in UTC so the server's own time zone never moves a resume or billing date.
const inUtc = { in: tz("UTC") };

/** date-fns answers with its zoned Date subclass; the domain hands out plain Dates. */
function plain(date: Date): Date {
  return new Date(date.getTime());
}

export function addDaysUtc(date: Date, days: number): Date {
  return plain(addDays(date, days, inUtc));
}

/** Same day-of-month `months` later, clamped to the month's end (31 January + 1 month = 28/29 February). */
export function addMonthsUtc(date: Date, months: number): Date {
  return plain(addMonths(date, months, inUtc));
}

/** The date one billing or delivery interval after `date`. */
export function addFrequency(date: Date, frequency: Frequency): Date {
  const n = frequency.intervalCount;
  switch (frequency.interval) {
    case "DAY":
      return addDaysUtc(date, n);
    case "WEEK":
      return plain(addWeeks(date, n, inUtc));
    case "MONTH":
      return addMonthsUtc(date, n);
    case "YEAR":
      return plain(addYears(date, n, inUtc));
  }
}

/** Whole 24-hour days from `from` to `to` (negative when `to` is earlier). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return differenceInDays(to, from, inUtc);
}
