/** @jsxImportSource preact */
/** A rewards summary on the customer's profile: balance and tier progress, with a link to the Rewards page. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { Balance, Loading, TierProgress, t, useRewards } from "./rewards-ui";

export default async () => {
  render(<ProfileBlock />, document.body);
};

function ProfileBlock() {
  const { loaded, reload } = useRewards();
  if (loaded.status !== "ready") {
    return (
      <s-section heading={t("summary_heading")}>
        <Loading loaded={loaded} reload={reload} />
      </s-section>
    );
  }
  const { program, customer } = loaded;
  if (!program.enabled || !customer) return null;
  return (
    <s-section heading={t("summary_heading")}>
      <s-stack gap="base">
        <Balance customer={customer} />
        <TierProgress program={program} customer={customer} />
        <s-link href="extension://rewards-page">{t("view_rewards")}</s-link>
      </s-stack>
    </s-section>
  );
}
