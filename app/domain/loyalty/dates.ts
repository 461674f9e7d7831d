const DAY_MS = 86_400_000;

/** Days are 24-hour spans on the instant line, so a period never shifts with daylight-saving changes. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Same instant one calendar year earlier (29 February falls on 1 March). */
export function oneYearBefore(date: Date): Date {
  const earlier = new Date(date.getTime());
  earlier.setUTCFullYear(earlier.getUTCFullYear() - 1);
  return earlier;
}

export type CalendarDate = { year: number; month: number; day: number };

/** The calendar date at `instant` on the shop's wall clock (an IANA time zone such as "Europe/Warsaw"). */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day") };
}
