import { describe, expect, it } from "vitest";
import { RFM_SEGMENT_RULES, rfmScores, rfmSegment } from "~/domain/churn";

describe("rfmScores", () => {
  it("scores by quintile, recent, frequent and big spenders highest", () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({
      customerId: `c${i}`,
      daysSinceLastOrder: 10 * (i + 1),
      orders: 10 - i,
      spentMinor: 1000 * (i + 1),
    }));
    expect(rfmScores(customers).map(({ recency, frequency, monetary }) => [recency, frequency, monetary])).toStrictEqual([
      [5, 5, 1],
      [5, 5, 1],
      [4, 4, 2],
      [4, 4, 2],
      [3, 3, 3],
      [3, 3, 3],
      [2, 2, 4],
      [2, 2, 4],
      [1, 1, 5],
      [1, 1, 5],
    ]);
  });

  it("gives tied customers the same score, placed at the middle of their tie", () => {
    // Six of ten bought once: their mid-rank is 30 %, the second quintile.
    const orders = [1, 1, 1, 1, 1, 1, 2, 3, 4, 9];
    const scores = rfmScores(orders.map((n, i) => ({ customerId: `c${i}`, daysSinceLastOrder: 5, orders: n, spentMinor: 100 })));
    expect(scores.map((s) => s.frequency)).toStrictEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect(new Set(scores.map((s) => s.recency))).toStrictEqual(new Set([3]));
  });
});

describe("rfmSegment", () => {
  it.each([
    { scores: { recency: 5, frequency: 5, monetary: 5 }, segment: "champions" },
    { scores: { recency: 5, frequency: 1, monetary: 4 }, segment: "new" },
    { scores: { recency: 3, frequency: 4, monetary: 3 }, segment: "loyal" },
    { scores: { recency: 4, frequency: 2, monetary: 2 }, segment: "potential loyalists" },
    { scores: { recency: 4, frequency: 1, monetary: 1 }, segment: "promising" },
    { scores: { recency: 1, frequency: 5, monetary: 5 }, segment: "can't lose them" },
    { scores: { recency: 2, frequency: 3, monetary: 3 }, segment: "at risk" },
    { scores: { recency: 3, frequency: 1, monetary: 2 }, segment: "about to sleep" },
    { scores: { recency: 2, frequency: 1, monetary: 1 }, segment: "hibernating" },
    { scores: { recency: 1, frequency: 2, monetary: 1 }, segment: "lost" },
  ])("R$scores.recency F$scores.frequency M$scores.monetary is $segment", ({ scores, segment }) => {
    expect(rfmSegment(scores)).toBe(segment);
  });

  it("names every one of the 125 score combinations, using every segment", () => {
    const segments = new Set<string>();
    for (let recency = 1; recency <= 5; recency += 1)
      for (let frequency = 1; frequency <= 5; frequency += 1)
        for (let monetary = 1; monetary <= 5; monetary += 1) segments.add(rfmSegment({ recency, frequency, monetary }));
    expect([...segments].sort()).toStrictEqual(RFM_SEGMENT_RULES.map((rule) => rule.segment).sort());
  });

  it("rejects scores outside 1–5", () => {
    expect(() => rfmSegment({ recency: 0, frequency: 3, monetary: 3 })).toThrow(RangeError);
  });
});
