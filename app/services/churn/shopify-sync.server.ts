/**
 * Puts each customer's churn risk and RFM segment where email tools, Flow and Shopify's own segments can use
 * them: customer metafields (retention.churn_risk, retention.rfm_segment; 12 customers per metafieldsSet call),
 * tags (churn-risk-high, rfm-at-risk…), and a Flow trigger ("Customer churn risk changed") when a risk Shopify
 * already knew has changed. Only scores that differ from what Shopify last received are sent, page by page,
 * a few customers at a time; the client backs off when Shopify throttles. A customer Shopify refuses is skipped
 * (and tried again next time); an unreachable Shopify stops the pass, and the next one resumes where it stopped.
 */
import type { Database } from "~/data/db.server";
import { customerGid } from "~/services/loyalty/shopify-rewards.server";
import { countScoresAwaitingSync, markScoresSynced, scoresAwaitingSync, type ScoreToSync } from "~/data/churn/scores.server";
import { AdminApiError, assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as FlowTriggerReceive from "~/shopify/admin/operations/FlowTriggerReceive";
import * as MetafieldsSet from "~/shopify/admin/operations/MetafieldsSetMutation";
import * as TagsAdd from "~/shopify/admin/operations/TagsAdd";
import * as TagsRemove from "~/shopify/admin/operations/TagsRemove";

export const CHURN_METAFIELD_NAMESPACE = "retention";
export const RISK_CHANGED_TRIGGER = "customer-churn-risk-changed";
const METAFIELDS_PER_CALL = 25;
const METAFIELDS_PER_CUSTOMER = 2;
const CUSTOMERS_PER_METAFIELDS_CALL = Math.floor(METAFIELDS_PER_CALL / METAFIELDS_PER_CUSTOMER);
const PAGE = CUSTOMERS_PER_METAFIELDS_CALL * 10;
/** Customers whose tag and Flow calls run at the same time: Shopify's bucket refills at 100 points/s on Standard plans. */
const CONCURRENCY = 4;

/** "can't lose them" → "rfm-cant-lose-them". */
export function churnTags({ riskLevel, segment }: { riskLevel: string; segment: string }): string[] {
  const slug = segment.toLowerCase().replace(/'/g, "").replace(/[^a-z0-9]+/g, "-");
  return [`churn-risk-${riskLevel}`, `rfm-${slug}`];
}

export interface SyncOutcome {
  sent: number;
  refused: number;
  flowTriggers: number;
}

export async function syncScoresToShopify({
  database,
  admin,
  shopId,
  now,
  onProgress,
}: {
  database: Database;
  admin: AdminClient;
  shopId: number;
  now: Date;
  onProgress?: (done: number, total: number) => Promise<void>;
}): Promise<SyncOutcome> {
  const total = await countScoresAwaitingSync(database.pool, shopId);
  const outcome: SyncOutcome = { sent: 0, refused: 0, flowTriggers: 0 };
  let after = "";
  for (;;) {
    const page = await scoresAwaitingSync(database.pool, shopId, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].customerId;
    const refused = new Set<string>();
    for (let start = 0; start < page.length; start += CUSTOMERS_PER_METAFIELDS_CALL) {
      const chunk = page.slice(start, start + CUSTOMERS_PER_METAFIELDS_CALL);
      await refusable(() => setMetafields(admin, chunk), () => chunk.forEach((score) => refused.add(score.customerId)));
    }
    for (let start = 0; start < page.length; start += CONCURRENCY) {
      await Promise.all(
        page.slice(start, start + CONCURRENCY).map(async (score) => {
          if (refused.has(score.customerId)) return;
          await refusable(
            async () => {
              if (await syncTagsAndFlow(admin, score)) outcome.flowTriggers += 1;
            },
            () => refused.add(score.customerId),
          );
        }),
      );
    }
    const sent = page.filter((score) => !refused.has(score.customerId));
    await markScoresSynced(database.pool, shopId, sent, now);
    outcome.sent += sent.length;
    outcome.refused += refused.size;
    await onProgress?.(outcome.sent + outcome.refused, total);
  }
  return outcome;
}

/** Runs `call`; Shopify's refusal of this customer's data (userErrors) is noted, anything else stops the pass. */
async function refusable(call: () => Promise<void>, onRefused: () => void): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof AdminApiError && error.kind === "user_errors") onRefused();
    else throw error;
  }
}

async function setMetafields(admin: AdminClient, scores: readonly ScoreToSync[]): Promise<void> {
  const metafields: MetafieldsSet.MetafieldsSetInput[] = scores.flatMap((score) => [
    { ownerId: customerGid(score.customerId), namespace: CHURN_METAFIELD_NAMESPACE, key: "churn_risk", type: "single_line_text_field", value: score.riskLevel },
    { ownerId: customerGid(score.customerId), namespace: CHURN_METAFIELD_NAMESPACE, key: "rfm_segment", type: "single_line_text_field", value: score.segment },
  ]);
  const data = await admin<MetafieldsSet.MetafieldsSetData>(MetafieldsSet.document, { metafields });
  assertNoUserErrors("metafieldsSet", data.metafieldsSet);
}

/** Replaces the customer's churn tags and, when a risk Shopify knew has changed, fires the Flow trigger. */
async function syncTagsAndFlow(admin: AdminClient, score: ScoreToSync): Promise<boolean> {
  const id = customerGid(score.customerId);
  const wanted = churnTags(score);
  const stale = score.syncedRiskLevel && score.syncedSegment ? churnTags({ riskLevel: score.syncedRiskLevel, segment: score.syncedSegment }).filter((tag) => !wanted.includes(tag)) : [];
  if (stale.length > 0) {
    const removed = await admin<TagsRemove.TagsRemoveData>(TagsRemove.document, { id, tags: stale } satisfies TagsRemove.TagsRemoveVariables);
    assertNoUserErrors("tagsRemove", removed.tagsRemove);
  }
  const added = await admin<TagsAdd.TagsAddData>(TagsAdd.document, { id, tags: wanted } satisfies TagsAdd.TagsAddVariables);
  assertNoUserErrors("tagsAdd", added.tagsAdd);
  if (!score.syncedRiskLevel || score.syncedRiskLevel === score.riskLevel) return false;
  const triggered = await admin<FlowTriggerReceive.FlowTriggerReceiveData>(FlowTriggerReceive.document, {
    handle: RISK_CHANGED_TRIGGER,
    payload: {
      customer_id: Number(score.customerId),
      "Risk level": score.riskLevel,
      "Previous risk level": score.syncedRiskLevel,
      "RFM segment": score.segment,
      Reasons: score.riskReasons.join("; "),
      "Probability alive": Math.round(score.probabilityAlive * 1000) / 1000,
    },
  } satisfies FlowTriggerReceive.FlowTriggerReceiveVariables);
  assertNoUserErrors("flowTriggerReceive", triggered.flowTriggerReceive);
  return true;
}
