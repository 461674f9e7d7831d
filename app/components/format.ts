/** Display formats shared by the admin pages. Money arrives as integer minor units with its currency. */
import { currencyExponent } from "~/domain/money";

export function formatMoney(amountMinor: number, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(amountMinor / 10 ** exponent);
}

export function formatDate(value: string | Date): string {
  return new Date(value).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${(ratio * 100).toFixed(1)} %`;
}

/** A "YYYY-MM" month as a short label, e.g. "2025-03" → "Mar 25". */
export function formatMonth(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });
}
