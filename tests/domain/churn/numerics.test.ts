import { describe, expect, it } from "vitest";
import { logAddExp, logHypergeometric2F1, minimizeBfgs } from "~/domain/churn/numerics";

describe("logHypergeometric2F1", () => {
  it.each([
    { name: "2F1(1,1;2;z) = -ln(1-z)/z", a: 1, b: 1, c: 2, z: 0.5, logExpected: Math.log(-Math.log(0.5) / 0.5) },
    { name: "2F1(1,1;2;z) near 1", a: 1, b: 1, c: 2, z: 0.999, logExpected: Math.log(-Math.log(0.001) / 0.999) },
    { name: "2F1(a,b;b;z) = (1-z)^-a", a: 2.5, b: 3, c: 3, z: 0.3, logExpected: -2.5 * Math.log(0.7) },
    { name: "2F1(a,b;b;z) beyond the largest double", a: 2000, b: 3, c: 3, z: 0.9, logExpected: -2000 * Math.log(0.1) },
    { name: "z = 0", a: 0.3, b: 4, c: 1.5, z: 0, logExpected: 0 },
  ])("$name", ({ a, b, c, z, logExpected }) => {
    const log = logHypergeometric2F1(a, b, c, z);
    expect(Math.abs(log - logExpected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(logExpected)));
  });

  it("rejects arguments outside the series' region", () => {
    expect(() => logHypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => logHypergeometric2F1(1, 1, -0.5, 0.2)).toThrow(RangeError);
  });
});

describe("logAddExp", () => {
  it.each([
    { x: 0, y: 0, expected: Math.log(2) },
    { x: 1000, y: 1000, expected: 1000 + Math.log(2) },
    { x: -Infinity, y: 3, expected: 3 },
    { x: -800, y: -Infinity, expected: -800 },
  ])("ln(e^$x + e^$y)", ({ x, y, expected }) => {
    expect(logAddExp(x, y)).toBeCloseTo(expected, 12);
  });
});

describe("minimizeBfgs", () => {
  it("finds the minimum of the Rosenbrock valley", () => {
    const rosenbrock = ([x, y]: readonly number[]) => ({
      value: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      gradient: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    });
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 6);
    expect(minimum.point[1]).toBeCloseTo(1, 6);
  });

  it("backs off from steps that leave the objective's domain", () => {
    const logBarrier = ([x]: readonly number[]) => ({
      value: x > 0 ? x - Math.log(x) : Number.NaN,
      gradient: [1 - 1 / x],
    });
    expect(minimizeBfgs(logBarrier, [20]).point[0]).toBeCloseTo(1, 8);
  });
});
