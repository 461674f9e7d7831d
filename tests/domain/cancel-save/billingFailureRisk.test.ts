import { describe, expect, it } from "vitest";
import { billingFailureRisk, type BillingAttempt, type BillingFailureRisk } from "~/domain/cancel-save";

const day = (n: number) => new Date(Date.UTC(2025, 5, n, 9));
const ok = (id: string, n: number): BillingAttempt => ({ id, at: day(n), outcome: "success", errorCode: null });
const failed = (id: string, n: number, errorCode = "INSUFFICIENT_FUNDS"): BillingAttempt => ({ id, at: day(n), outcome: "failure", errorCode });
const notAtRisk: BillingFailureRisk = { atRisk: false, level: null, consecutiveFailures: 0, failingSince: null };

describe("billingFailureRisk: involuntary churn from billing attempts", () => {
  const cases: [string, BillingAttempt[], BillingFailureRisk][] = [
    ["no attempts", [], notAtRisk],
    ["only successes", [ok("a", 1), ok("b", 2)], notAtRisk],
    ["one failure flags the subscriber", [ok("a", 1), failed("b", 2)], { atRisk: true, level: "medium", consecutiveFailures: 1, failingSince: day(2) }],
    ["two failures in a row raise it", [ok("a", 1), failed("b", 2), failed("c", 3, "EXPIRED_PAYMENT_METHOD")], { atRisk: true, level: "high", consecutiveFailures: 2, failingSince: day(2) }],
    ["four in a row stay high, counted", [failed("a", 1), failed("b", 2), failed("c", 3), failed("d", 4)], { atRisk: true, level: "high", consecutiveFailures: 4, failingSince: day(1) }],
    ["a success clears it", [failed("a", 1), failed("b", 2), ok("c", 3)], notAtRisk],
    ["a failure after a success starts a new run", [failed("a", 1), ok("b", 2), failed("c", 3)], { atRisk: true, level: "medium", consecutiveFailures: 1, failingSince: day(3) }],
    ["deliveries out of order are put in order", [failed("c", 3), ok("b", 2), failed("a", 1)], { atRisk: true, level: "medium", consecutiveFailures: 1, failingSince: day(3) }],
    ["a late success for an earlier attempt does not clear a later failure", [failed("b", 2), ok("a", 1)], { atRisk: true, level: "medium", consecutiveFailures: 1, failingSince: day(2) }],
    ["the same delivery twice counts once", [failed("a", 1), failed("a", 1)], { atRisk: true, level: "medium", consecutiveFailures: 1, failingSince: day(1) }],
    ["out of stock is the shop's failure, not the subscriber's", [ok("a", 1), failed("b", 2, "INSUFFICIENT_INVENTORY")], notAtRisk],
    ["out of stock neither clears nor adds to a run", [failed("a", 1), failed("b", 2, "INSUFFICIENT_INVENTORY"), failed("c", 3)], { atRisk: true, level: "high", consecutiveFailures: 2, failingSince: day(1) }],
  ];
  it.each(cases)("%s", (_name, attempts, expected) => {
    expect(billingFailureRisk(attempts)).toStrictEqual(expected);
  });
});
