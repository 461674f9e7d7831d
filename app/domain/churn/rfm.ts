/**
 * RFM: each customer scored 1–5 on recency, frequency and monetary value by quintile within the shop,
 * then named by the first matching rule of RFM_SEGMENT_RULES.
 */

export interface RfmInput {
  customerId: string;
  daysSinceLastOrder: number;
  orders: number;
  spentMinor: number;
}

export interface RfmScore {
  customerId: string;
  /** 5 = bought most recently. */
  recency: number;
  frequency: number;
  monetary: number;
}

/**
 * Quintile of each value by mid-rank: ties share a score, and a value shared by everyone lands in the
 * middle (3) instead of at the bottom — it matters when most customers have bought exactly once.
 */
function quintileScores(values: readonly number[]): number[] {
  const sorted = [...values].sort((x, y) => x - y);
  const firstIndex = new Map<number, number>();
  const pastLastIndex = new Map<number, number>();
  sorted.forEach((value, i) => {
    if (!firstIndex.has(value)) firstIndex.set(value, i);
    pastLastIndex.set(value, i + 1);
  });
  return values.map((value) => {
    const midRank = (firstIndex.get(value)! + pastLastIndex.get(value)!) / 2 / sorted.length;
    return Math.min(5, 1 + Math.floor(5 * midRank));
  });
}

export function rfmScores(customers: readonly RfmInput[]): RfmScore[] {
  const recency = quintileScores(customers.map((c) => -c.daysSinceLastOrder));
  const frequency = quintileScores(customers.map((c) => c.orders));
  const monetary = quintileScores(customers.map((c) => c.spentMinor));
  return customers.map((c, i) => ({ customerId: c.customerId, recency: recency[i], frequency: frequency[i], monetary: monetary[i] }));
}

export type RfmSegment =
  | "champions"
  | "loyal"
  | "new"
  | "potential loyalists"
  | "promising"
  | "can't lose them"
  | "at risk"
  | "about to sleep"
  | "hibernating"
  | "lost";

/** Ranges on R (recency score) and FM (the mean of F and M, rounded half up); the first match wins. */
export const RFM_SEGMENT_RULES: readonly {
  segment: RfmSegment;
  recency: [number, number];
  frequencyMonetary: [number, number];
  frequency?: [number, number];
  description: string;
}[] = [
  { segment: "new", recency: [5, 5], frequencyMonetary: [1, 5], frequency: [1, 1], description: "bought very recently, for the first time" },
  { segment: "champions", recency: [4, 5], frequencyMonetary: [4, 5], description: "bought recently, buy often and spend the most" },
  { segment: "loyal", recency: [3, 5], frequencyMonetary: [3, 5], description: "buy regularly and spend well" },
  { segment: "potential loyalists", recency: [4, 5], frequencyMonetary: [2, 2], description: "recent customers with a few orders" },
  { segment: "promising", recency: [4, 5], frequencyMonetary: [1, 1], description: "recent, but little spend so far" },
  { segment: "can't lose them", recency: [1, 2], frequencyMonetary: [4, 5], description: "used to buy often and spend the most, long ago" },
  { segment: "at risk", recency: [1, 2], frequencyMonetary: [3, 3], description: "good customers who have not bought for a while" },
  { segment: "about to sleep", recency: [3, 3], frequencyMonetary: [1, 2], description: "below average recency and spend" },
  { segment: "hibernating", recency: [2, 2], frequencyMonetary: [1, 2], description: "last order long ago, few orders, low spend" },
  { segment: "lost", recency: [1, 1], frequencyMonetary: [1, 2], description: "lowest recency, frequency and spend" },
];

const within = (value: number, [low, high]: [number, number]) => value >= low && value <= high;

export function rfmSegment({ recency, frequency, monetary }: Omit<RfmScore, "customerId">): RfmSegment {
  const frequencyMonetary = Math.floor((frequency + monetary) / 2 + 0.5);
  const rule = RFM_SEGMENT_RULES.find(
    (r) =>
      within(recency, r.recency) &&
      within(frequencyMonetary, r.frequencyMonetary) &&
      (r.frequency === undefined || within(frequency, r.frequency)),
  );
  if (!rule) throw new RangeError(`RFM scores must be whole numbers 1–5, got ${recency}/${frequency}/${monetary}`);
  return rule.segment;
}
