/** @jsxImportSource preact */
/** The "Rewards" page in customer accounts: balance, tier progress, rewards to redeem, referral link and history. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { Balance, Loading, RedeemNotice, RewardList, TierProgress, t, useRewards } from "./rewards-ui";

export default async () => {
  render(<RewardsPage />, document.body);
};

function RewardsPage() {
  const { loaded, notice, redeeming, redeem, reload } = useRewards();
  if (loaded.status !== "ready") {
    return (
      <s-page heading={t("title")}>
        <Loading loaded={loaded} reload={reload} />
      </s-page>
    );
  }
  const { program, customer } = loaded;
  if (!program.enabled || !customer) {
    return (
      <s-page heading={t("title")}>
        <s-banner tone="info">{t("unavailable")}</s-banner>
      </s-page>
    );
  }
  return (
    <s-page heading={t("title")}>
      <s-section>
        <s-stack gap="large">
          <Balance customer={customer} />
          <TierProgress program={program} customer={customer} />
        </s-stack>
      </s-section>
      <s-section heading={t("rewards")}>
        <s-stack gap="base">
          <RedeemNotice notice={notice} currencyCode={program.currencyCode} />
          <RewardList program={program} customer={customer} redeeming={redeeming} onRedeem={redeem} />
        </s-stack>
      </s-section>
      {customer.rewardsIssued.some((issued) => issued.code !== null) && (
        <s-section heading={t("your_rewards")}>
          <s-stack gap="small">
            {customer.rewardsIssued.map(
              (issued) =>
                issued.code !== null && (
                  <s-stack key={issued.code} direction="inline" justifyContent="space-between">
                    <s-text>{issued.title}</s-text>
                    <s-text type="strong">{issued.code}</s-text>
                  </s-stack>
                ),
            )}
          </s-stack>
        </s-section>
      )}
      {customer.referralUrl && (
        <s-section heading={t("referral")}>
          <s-stack gap="base">
            <s-paragraph>{t("referral_text")}</s-paragraph>
            <s-text type="strong">{customer.referralUrl}</s-text>
            <s-clipboard-item id="referral-url" text={customer.referralUrl} />
            <s-button commandFor="referral-url" command="--copy" variant="secondary">
              {t("copy_link")}
            </s-button>
          </s-stack>
        </s-section>
      )}
      <s-section heading={t("history")}>
        {customer.history.length === 0 ? (
          <s-text color="subdued">{t("no_history")}</s-text>
        ) : (
          <s-stack gap="small">
            {customer.history.map((entry) => (
              <s-stack key={`${entry.at}-${entry.description}`} direction="inline" justifyContent="space-between">
                <s-stack gap="small-400">
                  <s-text>{entry.description}</s-text>
                  <s-text color="subdued">{shopify.i18n.formatDate(new Date(entry.at), { dateStyle: "medium" })}</s-text>
                </s-stack>
                <s-text type="strong">{`${entry.points > 0 ? "+" : ""}${shopify.i18n.formatNumber(entry.points)}`}</s-text>
              </s-stack>
            ))}
          </s-stack>
        )}
      </s-section>
    </s-page>
  );
}
