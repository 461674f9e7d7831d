/** @jsxImportSource preact */
/**
 * Rewards at checkout (Plus stores: checkout UI extensions render in the information, shipping and payment steps
 * only on Shopify Plus). Shows the signed-in customer's balance and the rewards it covers; Redeem creates the code
 * through the app and applies it to this checkout. Guests, a switched-off program or an unreachable app show nothing.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { APP_URL } from "../../customer-account-rewards/src/app-url";
import { affordableRewards, createRewardsApi, minorToMajor, type CustomerRewards, type Program, type Reward } from "../../customer-account-rewards/src/rewards";
import { redeemAtCheckout, type CheckoutRedemption } from "./redeem-at-checkout";

export default async () => {
  render(<CheckoutRewards />, document.body);
};

const t = (key: string, replacements?: Record<string, string | number>) => String(shopify.i18n.translate(key, replacements));
const points = (n: number) => t("points", { count: n, value: shopify.i18n.formatNumber(n) });

function CheckoutRewards() {
  const api = useMemo(
    () => createRewardsApi({ appUrl: APP_URL, sessionToken: shopify.sessionToken, fetch: (input, init) => fetch(input, init) }),
    [],
  );
  const [loaded, setLoaded] = useState<{ program: Program; customer: CustomerRewards } | null>(null);
  const [redeeming, setRedeeming] = useState<string | null>(null);
  const [result, setResult] = useState<CheckoutRedemption | null>(null);

  useEffect(() => {
    api.program().then(
      ({ program, customer }) => program.enabled && customer && setLoaded({ program, customer }),
      () => setLoaded(null),
    );
  }, [api]);

  if (!loaded) return null;
  const { program, customer } = loaded;
  const canApplyCodes = shopify.instructions.value.discounts.canUpdateDiscountCodes;

  async function redeem(reward: Reward) {
    setRedeeming(reward.id);
    setResult(null);
    const outcome = await redeemAtCheckout(reward.id, {
      redeem: api.redeem,
      applyDiscountCode: (code) => shopify.applyDiscountCodeChange({ type: "addDiscountCode", code }),
    });
    if (outcome.outcome !== "refused") setLoaded({ program, customer: { ...customer, balance: outcome.balance } });
    setResult(outcome);
    setRedeeming(null);
  }

  const rewards = affordableRewards(program, customer);
  return (
    <s-stack gap="base">
      <s-heading>{t("heading")}</s-heading>
      <s-text>{t("balance", { points: points(customer.balance) })}</s-text>
      <Outcome result={result} currencyCode={program.currencyCode} />
      {!canApplyCodes ? (
        <s-text color="subdued">{t("cannot_apply_codes")}</s-text>
      ) : rewards.length === 0 ? (
        <s-text color="subdued">{t("no_rewards")}</s-text>
      ) : (
        rewards.map((reward) => (
          <s-stack key={reward.id} direction="inline" justifyContent="space-between" alignItems="center" gap="base">
            <s-stack gap="none">
              <s-text type="strong">{reward.title}</s-text>
              <s-text color="subdued">{points(reward.pointsCost)}</s-text>
            </s-stack>
            <s-button
              variant="secondary"
              onClick={() => redeem(reward)}
              loading={redeeming === reward.id}
              disabled={redeeming !== null && redeeming !== reward.id}
            >
              {t("redeem")}
            </s-button>
          </s-stack>
        ))
      )}
    </s-stack>
  );
}

function Outcome({ result, currencyCode }: { result: CheckoutRedemption | null; currencyCode: string }) {
  if (!result) return null;
  switch (result.outcome) {
    case "applied":
      return <s-banner tone="success">{t("applied", { title: result.title, code: result.code })}</s-banner>;
    case "issued_not_applied":
      return <s-banner tone="warning">{t("not_applied", { code: result.code })}</s-banner>;
    case "credited": {
      const amount = shopify.i18n.formatCurrency(minorToMajor(result.creditedMinor, currencyCode), { currency: currencyCode });
      return <s-banner tone="success">{t("credited", { amount })}</s-banner>;
    }
    case "refused":
      return <s-banner tone="critical">{result.message || t("redeem_failed")}</s-banner>;
  }
}
