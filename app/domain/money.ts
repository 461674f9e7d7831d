/** Money is integer minor units with a currency code; never a float. */
export interface Money {
  amountMinor: number;
  currencyCode: string;
}

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyExponent(currencyCode: string): number {
  if (ZERO_DECIMAL.has(currencyCode)) return 0;
  if (THREE_DECIMAL.has(currencyCode)) return 3;
  return 2;
}

/** "404.95" in USD → 40495. Parses the decimal text itself, so no binary rounding can creep in. */
export function parseDecimalToMinor(amount: string | number, currencyCode: string): number {
  const text = typeof amount === "number" ? amount.toFixed(currencyExponent(currencyCode)) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = match;
  const exponent = currencyExponent(currencyCode);
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0");
  const dropped = fraction.slice(exponent);
  let minor = Number(whole) * 10 ** exponent + Number(kept || "0");
  if (dropped && Number(dropped[0]) >= 5) minor += 1; // half-up on the first dropped digit
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount too large: ${text}`);
  return sign ? -minor : minor;
}

/** 40495 in USD → "404.95". */
export function formatMinor(amountMinor: number, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  const sign = amountMinor < 0 ? "-" : "";
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, "0");
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
