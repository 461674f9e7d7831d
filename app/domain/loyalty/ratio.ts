export type Rounding = "floor" | "nearest";

/**
 * value × numerator / denominator as an integer, for non-negative operands. BigInt because a large order
 * (minor units) times points times a multiplier in basis points can pass 2^53.
 */
export function scaleRounded(value: number, numerator: number, denominator: number, rounding: Rounding): number {
  const product = BigInt(value) * BigInt(numerator);
  const divisor = BigInt(denominator);
  const quotient = product / divisor;
  const remainder = product % divisor;
  return Number(rounding === "nearest" && remainder * 2n >= divisor ? quotient + 1n : quotient);
}
