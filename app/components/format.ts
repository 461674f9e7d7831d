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
