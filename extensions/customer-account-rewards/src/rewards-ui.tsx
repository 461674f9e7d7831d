/** @jsxImportSource preact */
/**
 * What the rewards page and the profile block share: loading the program from the app, redeeming, and the pieces
 * that show a balance, tier progress and the reward list. The rules live in ./rewards.ts.
 */
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { APP_URL } from "./app-url";
import {
  createRewardsApi,
  distanceToNextTier,
  minorToMajor,
  progressPercent,
  RewardsApiError,
  rewardStatus,
  withRedemption,
  type CustomerRewards,
  type Program,
  type Redemption,
  type Reward,
} from "./rewards";

export const t = (key: string, replacements?: Record<string, string | number>) => String(shopify.i18n.translate(key, replacements));
export const points = (n: number) => t("points", { count: n, value: shopify.i18n.formatNumber(n) });
export const money = (amountMinor: number, currencyCode: string) =>
  shopify.i18n.formatCurrency(minorToMajor(amountMinor, currencyCode), { currency: currencyCode });

type Loaded = { status: "loading" } | { status: "failed" } | { status: "ready"; program: Program; customer: CustomerRewards | null };
export type Notice = { tone: "success"; redemption: Redemption } | { tone: "critical"; message: string };

export function useRewards() {
  const api = useMemo(
    () => createRewardsApi({ appUrl: APP_URL, sessionToken: shopify.sessionToken, fetch: (input, init) => fetch(input, init) }),
    [],
  );
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [redeeming, setRedeeming] = useState<string | null>(null);

  const reload = useCallback(() => {
    setLoaded({ status: "loading" });
    api.program().then(
      ({ program, customer }) => setLoaded({ status: "ready", program, customer }),
      () => setLoaded({ status: "failed" }),
    );
  }, [api]);
  useEffect(reload, [reload]);

  async function redeem(reward: Reward) {
    setRedeeming(reward.id);
    setNotice(null);
    try {
      const redemption = await api.redeem(reward.id);
      setLoaded((current) =>
        current.status === "ready" && current.customer ? { ...current, customer: withRedemption(current.customer, redemption, new Date()) } : current,
      );
      setNotice({ tone: "success", redemption });
    } catch (error) {
      // The app's message is written for the customer; without one, say it plainly.
      setNotice({ tone: "critical", message: error instanceof RewardsApiError && error.message ? error.message : t("redeem_failed") });
    } finally {
      setRedeeming(null);
    }
  }

  return { loaded, notice, redeeming, redeem, reload };
}

export function Loading({ loaded, reload }: { loaded: Loaded; reload: () => void }) {
  if (loaded.status === "failed") {
    return (
      <s-banner tone="critical" heading={t("load_error")}>
        <s-button onClick={reload}>{t("retry")}</s-button>
      </s-banner>
    );
  }
  return <s-spinner accessibilityLabel={t("loading")} />;
}

export function Balance({ customer }: { customer: CustomerRewards }) {
  return (
    <s-stack gap="small-200">
      <s-text color="subdued">{t("balance")}</s-text>
      <s-heading>{points(customer.balance)}</s-heading>
      {customer.pending > 0 && <s-text color="subdued">{t("pending", { points: points(customer.pending) })}</s-text>}
    </s-stack>
  );
}

export function TierProgress({ program, customer }: { program: Program; customer: CustomerRewards }) {
  const distance = distanceToNextTier(program, customer);
  if (!customer.tier && !distance) return null;
  const remaining = distance && (distance.unit === "money" ? money(distance.amountMinor, distance.currencyCode) : points(distance.points));
  const label = customer.nextTier && remaining ? t("next_tier", { remaining, tier: customer.nextTier.name }) : t("top_tier");
  return (
    <s-stack gap="small-200">
      {customer.tier && <s-text>{t("tier", { tier: customer.tier.name })}</s-text>}
      {customer.nextTier && <s-progress value={progressPercent(customer.nextTier.progress)} max={100} accessibilityLabel={label} />}
      <s-text color="subdued">{label}</s-text>
    </s-stack>
  );
}

export function RedeemNotice({ notice, currencyCode }: { notice: Notice | null; currencyCode: string }) {
  if (!notice) return null;
  if (notice.tone === "critical") return <s-banner tone="critical">{notice.message}</s-banner>;
  const { redemption } = notice;
  if (redemption.code === null) {
    return <s-banner tone="success">{t("credit_added", { amount: money(redemption.creditedMinor ?? 0, currencyCode) })}</s-banner>;
  }
  return (
    <s-banner tone="success">
      <s-stack direction="inline" gap="base" alignItems="center">
        <s-text>{t("code_ready", { code: redemption.code })}</s-text>
        <s-clipboard-item id="redeemed-code" text={redemption.code} />
        <s-button commandFor="redeemed-code" command="--copy" variant="secondary">
          {t("copy_code")}
        </s-button>
      </s-stack>
    </s-banner>
  );
}

export function RewardList({
  program,
  customer,
  redeeming,
  onRedeem,
}: {
  program: Program;
  customer: CustomerRewards;
  redeeming: string | null;
  onRedeem: (reward: Reward) => void;
}) {
  return (
    <s-stack gap="base">
      {program.rewards.map((reward) => {
        const status = rewardStatus(program, customer, reward);
        return (
          <s-stack key={reward.id} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
            <s-stack gap="small-300">
              <s-text type="strong">{reward.title}</s-text>
              <s-text color="subdued">
                {[points(reward.pointsCost), reward.minimumOrderMinor > 0 && t("min_order", { amount: money(reward.minimumOrderMinor, program.currencyCode) })]
                  .filter(Boolean)
                  .join(" · ")}
              </s-text>
            </s-stack>
            {status.state === "redeemable" && (
              <s-button onClick={() => onRedeem(reward)} loading={redeeming === reward.id} disabled={redeeming !== null && redeeming !== reward.id}>
                {t("redeem")}
              </s-button>
            )}
            {status.state === "short" && <s-text color="subdued">{t("needs_more", { points: points(status.pointsNeeded) })}</s-text>}
            {status.state === "tier_locked" && <s-badge>{t("tier_only", { tier: status.tierName })}</s-badge>}
          </s-stack>
        );
      })}
    </s-stack>
  );
}
