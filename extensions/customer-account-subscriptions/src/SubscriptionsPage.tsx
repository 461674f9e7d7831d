/** @jsxImportSource preact */
/**
 * The "Subscriptions" page in customer accounts: each subscription with Cancel (and, when paused, Resume now and
 * Extend). Cancel opens the flow the app runs: a short survey with "Cancel subscription now", at most one offer
 * with "No thanks, cancel my subscription", and a confirmation only once the app says Shopify made the change.
 * A refused step stays on screen with the app's error and its Cancel button.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { APP_URL } from "../../customer-account-rewards/src/app-url";
import { minorToMajor } from "../../customer-account-rewards/src/rewards";
import { createSubscriptionsApi, SubscriptionsApiError, withSubscription, type Flow, type FlowEvent, type Frequency, type Offer, type Subscription } from "./subscriptions";

export default async () => {
  render(<SubscriptionsPage />, document.body);
};

const t = (key: string, replacements?: Record<string, string | number>) => String(shopify.i18n.translate(key, replacements));
const date = (iso: string | null) => (iso ? shopify.i18n.formatDate(new Date(iso), { dateStyle: "long" }) : "");
const price = (amountMinor: number, currencyCode: string) => shopify.i18n.formatCurrency(minorToMajor(amountMinor, currencyCode), { currency: currencyCode });
const every = (f: Frequency) => t(`every_${f.interval.toLowerCase()}`, { count: f.intervalCount });
const months = (n: number) => t("months", { count: n });
const orders = (n: number) => t("orders", { count: n });

/** The app's refusal in the customer's language when it is one this page knows, else the app's own words. */
function errorMessage(error: unknown): string {
  if (!(error instanceof SubscriptionsApiError)) return t("action_failed");
  const known = ["cancel_failed", "change_failed", "offer_unavailable", "busy", "unknown_reason", "resume_failed", "pause_too_long"];
  return known.includes(error.code) ? t(`error_${error.code}`) : error.message || t("action_failed");
}

function offerText(offer: Offer): string {
  switch (offer.kind) {
    case "pause":
      return t("offer_pause", { months: months(offer.months), date: date(offer.resumeOn) });
    case "skip_next_delivery":
      return t("offer_skip", { date: date(offer.skippedDate), next: date(offer.nextBillingDateAfterSkip) });
    case "change_frequency":
      return t("offer_frequency", { frequency: every(offer.frequency) });
    case "swap_variant":
      return t("offer_swap", { title: offer.toTitle, price: price(offer.toUnitPrice.amountMinor, offer.toUnitPrice.currencyCode) });
    case "discount":
      return t("offer_discount", { percent: offer.percent, orders: orders(offer.orders) });
    case "bonus_points":
      return t("offer_points", { points: shopify.i18n.formatNumber(offer.points) });
  }
}

function acceptedText(offer: Offer, subscription: Subscription): string {
  switch (offer.kind) {
    case "pause":
      return t("accepted_pause", { date: date(subscription.pause?.resumeOn ?? offer.resumeOn) });
    case "skip_next_delivery":
      return t("accepted_skip", { date: date(subscription.nextBillingDate) });
    case "change_frequency":
      return t("accepted_frequency", { frequency: every(offer.frequency) });
    case "swap_variant":
      return t("accepted_swap", { title: offer.toTitle });
    case "discount":
      return t("accepted_discount", { percent: offer.percent, orders: orders(offer.orders) });
    case "bonus_points":
      return t("accepted_points", { points: shopify.i18n.formatNumber(offer.points) });
  }
}

type Loaded = { status: "loading" } | { status: "failed" } | { status: "ready"; subscriptions: Subscription[] };

function SubscriptionsPage() {
  const api = useMemo(
    () =>
      createSubscriptionsApi({
        appUrl: APP_URL,
        sessionToken: shopify.sessionToken,
        fetch: (input, init) => fetch(input, init),
        language: shopify.localization.language.value.isoCode,
      }),
    [],
  );
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [flow, setFlow] = useState<Flow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const reload = useCallback(() => {
    setLoaded({ status: "loading" });
    api.list().then(
      (subscriptions) => setLoaded({ status: "ready", subscriptions }),
      () => setLoaded({ status: "failed" }),
    );
  }, [api]);
  useEffect(reload, [reload]);

  /** Runs one request; a refusal keeps the screen (and the step the app says the subscriber is on) with the error. */
  async function run<T>(request: () => Promise<T>, done: (result: T) => void) {
    setWorking(true);
    setError(null);
    try {
      done(await request());
    } catch (failure) {
      if (failure instanceof SubscriptionsApiError && failure.flow) setFlow(failure.flow);
      setError(errorMessage(failure));
    } finally {
      setWorking(false);
    }
  }

  const showFlow = (next: Flow) => {
    setFlow(next);
    setLoaded((current) => (current.status === "ready" ? { ...current, subscriptions: withSubscription(current.subscriptions, next.subscription) } : current));
  };
  const updateSubscription = (updated: Subscription) =>
    setLoaded((current) => (current.status === "ready" ? { ...current, subscriptions: withSubscription(current.subscriptions, updated) } : current));

  if (loaded.status !== "ready") {
    return (
      <s-page heading={t("title")}>
        {loaded.status === "failed" ? (
          <s-banner tone="critical" heading={t("load_error")}>
            <s-button onClick={reload}>{t("retry")}</s-button>
          </s-banner>
        ) : (
          <s-spinner accessibilityLabel={t("loading")} />
        )}
      </s-page>
    );
  }

  if (flow) {
    return (
      <s-page heading={t("title")}>
        <CancelFlow
          flow={flow}
          error={error}
          working={working}
          onEvent={(event) => run(() => api.answer(flow.attemptId, event), showFlow)}
          onBack={() => {
            setFlow(null);
            setError(null);
          }}
        />
      </s-page>
    );
  }

  return (
    <s-page heading={t("title")}>
      {error && <s-banner tone="critical">{error}</s-banner>}
      {loaded.subscriptions.length === 0 ? (
        <s-section>
          <s-text color="subdued">{t("none")}</s-text>
        </s-section>
      ) : (
        loaded.subscriptions.map((subscription) => (
          <SubscriptionCard
            key={subscription.id}
            subscription={subscription}
            working={working}
            onCancel={() => run(() => api.pressCancel(subscription.id), showFlow)}
            onResume={() => run(() => api.resume(subscription.id), updateSubscription)}
            onExtend={(by) => run(() => api.extendPause(subscription.id, by), updateSubscription)}
          />
        ))
      )}
    </s-page>
  );
}

function Summary({ subscription }: { subscription: Subscription }) {
  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="base" alignItems="center">
        <s-text type="strong">{subscription.title}</s-text>
        <s-badge tone={subscription.status === "FAILED" ? "critical" : "neutral"}>{t(`status_${subscription.status}`)}</s-badge>
      </s-stack>
      <s-text>{t("price_every", { price: price(subscription.pricePerCycle.amountMinor, subscription.pricePerCycle.currencyCode), frequency: every(subscription.billing) })}</s-text>
      {subscription.pause ? (
        <s-text color="subdued">{t("paused_until", { date: date(subscription.pause.resumeOn) })}</s-text>
      ) : subscription.status === "ACTIVE" && subscription.nextBillingDate ? (
        <s-text color="subdued">{t("next_order", { date: date(subscription.nextBillingDate) })}</s-text>
      ) : null}
    </s-stack>
  );
}

function SubscriptionCard({
  subscription,
  working,
  onCancel,
  onResume,
  onExtend,
}: {
  subscription: Subscription;
  working: boolean;
  onCancel: () => void;
  onResume: () => void;
  onExtend: (months: number) => void;
}) {
  const extendable = subscription.pause?.extendableByMonths ?? [];
  const [extendBy, setExtendBy] = useState(extendable[0] ?? 1);
  return (
    <s-section>
      <s-stack gap="base">
        <Summary subscription={subscription} />
        <s-stack direction="inline" gap="base" alignItems="end">
          {subscription.canResume && (
            <s-button onClick={onResume} disabled={working}>
              {t("resume")}
            </s-button>
          )}
          {extendable.length > 0 && (
            <>
              <s-select label={t("extend_by")} value={String(extendBy)} onChange={(event) => setExtendBy(Number((event.currentTarget as HTMLElementTagNameMap["s-select"]).value))}>
                {extendable.map((m) => (
                  <s-option key={m} value={String(m)}>
                    {months(m)}
                  </s-option>
                ))}
              </s-select>
              <s-button variant="secondary" onClick={() => onExtend(extendBy)} disabled={working}>
                {t("extend")}
              </s-button>
            </>
          )}
          {subscription.canCancel && (
            <s-button variant="secondary" onClick={onCancel} disabled={working}>
              {t("cancel")}
            </s-button>
          )}
        </s-stack>
      </s-stack>
    </s-section>
  );
}

function CancelFlow({ flow, error, working, onEvent, onBack }: { flow: Flow; error: string | null; working: boolean; onEvent: (event: FlowEvent) => void; onBack: () => void }) {
  const [reason, setReason] = useState<string | null>(flow.reason);
  const [freeText, setFreeText] = useState("");
  const asksFreeText = flow.reasons.find((r) => r.code === reason)?.asksFreeText ?? false;
  const errorBanner = error && <s-banner tone="critical">{error}</s-banner>;

  if (flow.step === "survey") {
    return (
      <s-section heading={t("survey_heading")}>
        <s-stack gap="base">
          <Summary subscription={flow.subscription} />
          {errorBanner}
          <s-choice-list label={t("reason_label")} name="reason" values={reason ? [reason] : []} onChange={(event) => setReason((event.currentTarget as HTMLElementTagNameMap["s-choice-list"]).values?.[0] ?? null)}>
            {flow.reasons.map((r) => (
              <s-choice key={r.code} value={r.code}>
                {r.label}
              </s-choice>
            ))}
          </s-choice-list>
          {asksFreeText && <s-text-area label={t("free_text")} value={freeText} maxLength={500} onInput={(event) => setFreeText((event.currentTarget as HTMLElementTagNameMap["s-text-area"]).value ?? "")} />}
          <s-stack direction="inline" gap="base">
            <s-button variant="primary" disabled={working || reason === null} onClick={() => reason && onEvent({ type: "give_reason", reason, freeText: asksFreeText ? freeText : null })}>
              {t("continue")}
            </s-button>
            <s-button variant="secondary" loading={working} onClick={() => onEvent({ type: "cancel_now" })}>
              {t("cancel_now")}
            </s-button>
          </s-stack>
        </s-stack>
      </s-section>
    );
  }

  if (flow.step === "offer" && flow.offer) {
    return (
      <s-section heading={t("offer_heading")}>
        <s-stack gap="base">
          <Summary subscription={flow.subscription} />
          {errorBanner}
          <s-paragraph>{offerText(flow.offer)}</s-paragraph>
          <s-stack direction="inline" gap="base">
            <s-button variant="primary" disabled={working} onClick={() => onEvent({ type: "accept_offer" })}>
              {t("accept")}
            </s-button>
            <s-button variant="secondary" disabled={working} onClick={() => onEvent({ type: "decline_offer" })}>
              {t("decline")}
            </s-button>
          </s-stack>
        </s-stack>
      </s-section>
    );
  }

  const accepted = flow.step === "accepted" && flow.offer;
  return (
    <s-section>
      <s-stack gap="base">
        <s-banner tone="success" heading={accepted ? t("accepted_heading") : t("cancelled_heading")}>
          {accepted ? acceptedText(flow.offer!, flow.subscription) : t("cancelled_text")}
        </s-banner>
        <Summary subscription={flow.subscription} />
        <s-button variant="secondary" onClick={onBack}>
          {t("back")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
