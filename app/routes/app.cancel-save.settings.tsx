/** Cancel-save settings: the flow switch and guards, the survey's reasons, the offer catalogue and the rules. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Button, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formPayload, invalidForm, newFormToken, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { adminContext } from "~/services/admin/context.server";
import { saveSettingsForm, settingsPage } from "~/services/cancel-save/admin.server";
import type { OfferFormValues, RuleFormValues, SettingsFormValues } from "~/services/cancel-save/settings-form";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const [{ form }, shop] = await Promise.all([settingsPage(database, context.shopId), findShop(database, context.shop)]);
  return { form, currencyCode: shop?.currencyCode ?? "USD", formToken: newFormToken() };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const payload = formPayload(await request.formData());
  const shop = await findShop(database, context.shop);
  const saved = await saveSettingsForm(database, context.shopId, payload, {
    formToken: String(payload.formToken ?? ""),
    staffUserId: context.staffUserId,
    now: new Date(),
    currencyCode: shop?.currencyCode ?? "USD",
  });
  return saved.ok ? savedForm(saved.message) : invalidForm(saved.errors);
}

const OFFER_KINDS: { label: string; value: OfferFormValues["kind"] }[] = [
  { label: "Pause", value: "pause" },
  { label: "Skip the next delivery", value: "skip_next_delivery" },
  { label: "Change frequency", value: "change_frequency" },
  { label: "Swap / downgrade the variant", value: "swap_variant" },
  { label: "Discount on the next orders", value: "discount" },
  { label: "Bonus loyalty points", value: "bonus_points" },
];
const INTERVALS = ["DAY", "WEEK", "MONTH", "YEAR"].map((value) => ({ label: value.toLowerCase(), value }));
const RISKS = ["low", "medium", "high"];
const LANGUAGES = [
  ["en", "English"],
  ["pl", "Polish"],
  ["ru", "Russian"],
  ["fi", "Finnish"],
] as const;

const blankOffer = (): OfferFormValues => ({
  id: "",
  kind: "pause",
  months: "1",
  percent: "",
  orders: "",
  points: "",
  interval: "MONTH",
  intervalCount: "",
  swaps: [{ fromVariantId: "", toVariantId: "", toVariantTitle: "", toUnitPrice: "" }],
});
const blankRule = (): RuleFormValues => ({ id: "", offerId: "", reasons: [], tenureAtLeast: "", tenureBelow: "", ltvAtLeast: "", ltvBelow: "", tiers: "", churnRisk: [] });

/** One list of rows the merchant can add to and remove from; rows are posted under `${name}[i]`. */
function useRows<T>(initial: T[]) {
  const [rows, setRows] = useState(initial);
  return {
    rows,
    set: (index: number, patch: Partial<T>) => setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row))),
    add: (row: T) => setRows((current) => [...current, row]),
    remove: (index: number) => setRows((current) => current.filter((_, i) => i !== index)),
  };
}

export default function CancelSaveSettings() {
  const { form, currencyCode, formToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = useFieldErrors();
  const saving = useNavigation().state === "submitting";
  useSavedToast(result);
  const [flow, setFlow] = useState<Pick<SettingsFormValues, "enabled" | "cooldownDays" | "reminderDaysBeforeResume" | "maxMonths">>(form);
  const reasons = useRows(form.reasons);
  const offers = useRows(form.offers);
  const rules = useRows(form.rules);
  const refused = result && !result.ok;
  const flowField = (key: "cooldownDays" | "reminderDaysBeforeResume" | "maxMonths", name: string, label: string, helpText?: string) => (
    <TextField label={label} helpText={helpText} name={name} type="number" autoComplete="off" value={flow[key]} onChange={(value) => setFlow({ ...flow, [key]: value })} error={error(name)} />
  );

  return (
    <Page title="Offers & rules" subtitle="Cancelling always stays two steps away: these settings choose the one offer, never add steps">
      <Form method="post">
        <input type="hidden" name="formToken" value={formToken} />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {refused ? (
                <ErrorBanner title="The settings were not saved">
                  {error("form") ?? "Check the fields marked below."}
                </ErrorBanner>
              ) : null}
              <TitledCard title="The flow">
                <Checkbox
                  label="Make a save offer"
                  helpText="Off: subscribers still see the survey (you keep learning why they leave), but no offer is made."
                  name="enabled"
                  checked={flow.enabled}
                  onChange={(enabled) => setFlow({ ...flow, enabled })}
                />
                <FormLayout>
                  <FormLayout.Group>
                    {flowField("cooldownDays", "cooldownDays", "Cooldown (days)", "No offer to someone who accepted one within this many days.")}
                    {flowField("reminderDaysBeforeResume", "pause.reminderDaysBeforeResume", "Pause reminder (days before it ends)", "0 sends no reminder.")}
                    {flowField("maxMonths", "pause.maxMonths", "Longest pause (months)")}
                  </FormLayout.Group>
                </FormLayout>
              </TitledCard>

              <TitledCard title="Survey reasons">
                {error("reasons") ? <Text as="p" tone="critical">{error("reasons")}</Text> : null}
                {reasons.rows.map((reason, i) => (
                  <Box key={i} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
                    <BlockStack gap="200">
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                        <TextField label="Code" name={`reasons[${i}].code`} autoComplete="off" value={reason.code} onChange={(code) => reasons.set(i, { code })} error={error(`reasons[${i}].code`)} />
                        {LANGUAGES.map(([lang, name]) => (
                          <TextField
                            key={lang}
                            label={`${name}${lang === "en" ? "" : " (optional)"}`}
                            name={`reasons[${i}].labels.${lang}`}
                            autoComplete="off"
                            value={reason[lang]}
                            onChange={(value) => reasons.set(i, { [lang]: value })}
                            error={error(`reasons[${i}].labels.${lang}`)}
                          />
                        ))}
                      </InlineGrid>
                      <InlineStack align="space-between">
                        <Checkbox label="Ask for optional free text" name={`reasons[${i}].asksFreeText`} checked={reason.asksFreeText} onChange={(asksFreeText) => reasons.set(i, { asksFreeText })} />
                        <Button variant="plain" tone="critical" onClick={() => reasons.remove(i)}>
                          Remove reason
                        </Button>
                      </InlineStack>
                    </BlockStack>
                  </Box>
                ))}
                <InlineStack>
                  <Button onClick={() => reasons.add({ code: "", en: "", pl: "", ru: "", fi: "", asksFreeText: false })}>Add reason</Button>
                </InlineStack>
              </TitledCard>

              <TitledCard title="Offers">
                <Text as="p" tone="subdued">
                  Without a matching rule: “not using it” and “too much product” get the shortest pause (else a skip), “too expensive” a discount,
                  “moving” a pause; quality and other reasons get no offer.
                </Text>
                {offers.rows.map((offer, i) => (
                  <OfferRow key={i} index={i} offer={offer} currencyCode={currencyCode} error={error} onChange={(patch) => offers.set(i, patch)} onRemove={() => offers.remove(i)} />
                ))}
                <InlineStack>
                  <Button onClick={() => offers.add(blankOffer())}>Add offer</Button>
                </InlineStack>
              </TitledCard>

              <TitledCard title="Rules">
                <Text as="p" tone="subdued">
                  Tried in order; the first whose conditions all hold chooses the offer. Conditions left empty match everyone.
                </Text>
                {rules.rows.map((rule, i) => (
                  <RuleRow
                    key={i}
                    index={i}
                    rule={rule}
                    reasonCodes={reasons.rows.map((r) => r.code).filter(Boolean)}
                    offerIds={offers.rows.map((o) => o.id).filter(Boolean)}
                    currencyCode={currencyCode}
                    error={error}
                    onChange={(patch) => rules.set(i, patch)}
                    onRemove={() => rules.remove(i)}
                  />
                ))}
                <InlineStack>
                  <Button onClick={() => rules.add(blankRule())}>Add rule</Button>
                </InlineStack>
              </TitledCard>
              <InlineStack align="end">
                <Button submit variant="primary" loading={saving}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

type ErrorFor = (name: string) => string | undefined;

function OfferRow({
  index,
  offer,
  currencyCode,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  offer: OfferFormValues;
  currencyCode: string;
  error: ErrorFor;
  onChange: (patch: Partial<OfferFormValues>) => void;
  onRemove: () => void;
}) {
  const name = (field: string) => `offers[${index}].${field}`;
  const field = (label: string, key: "months" | "percent" | "orders" | "points" | "intervalCount", path = key as string) => (
    <TextField label={label} name={name(path)} type="number" autoComplete="off" value={offer[key]} onChange={(value) => onChange({ [key]: value })} error={error(name(path))} />
  );
  const swap = offer.swaps[0];
  const setSwap = (patch: Partial<typeof swap>) => onChange({ swaps: [{ ...swap, ...patch }] });
  return (
    <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
          <TextField label="Offer id" name={name("id")} autoComplete="off" value={offer.id} onChange={(id) => onChange({ id })} error={error(name("id"))} />
          <Select label="Kind" name={name("kind")} options={OFFER_KINDS} value={offer.kind} onChange={(kind) => onChange({ kind: kind as OfferFormValues["kind"] })} />
          {offer.kind === "pause" && field("Months (1–3)", "months")}
          {offer.kind === "discount" && field("Percent off", "percent")}
          {offer.kind === "discount" && field("Next orders", "orders")}
          {offer.kind === "bonus_points" && field("Points", "points")}
          {offer.kind === "change_frequency" && (
            <>
              <Select label="Every" name={name("frequency.interval")} options={INTERVALS} value={offer.interval} onChange={(interval) => onChange({ interval })} />
              {field("Count", "intervalCount", "frequency.intervalCount")}
            </>
          )}
        </InlineGrid>
        {offer.kind === "swap_variant" && (
          <InlineGrid columns={{ xs: 1, md: 4 }} gap="200">
            <TextField label="From variant id" name={name("swaps[0].fromVariantId")} autoComplete="off" value={swap.fromVariantId} onChange={(fromVariantId) => setSwap({ fromVariantId })} error={error(name("swaps[0].fromVariantId"))} />
            <TextField label="To variant id" name={name("swaps[0].toVariantId")} autoComplete="off" value={swap.toVariantId} onChange={(toVariantId) => setSwap({ toVariantId })} error={error(name("swaps[0].toVariantId"))} />
            <TextField label="Its title" name={name("swaps[0].toVariantTitle")} autoComplete="off" value={swap.toVariantTitle} onChange={(toVariantTitle) => setSwap({ toVariantTitle })} error={error(name("swaps[0].toVariantTitle"))} />
            <TextField
              label={`Its price (${currencyCode})`}
              name={name("swaps[0].toUnitPrice.amountMinor")}
              autoComplete="off"
              value={swap.toUnitPrice}
              onChange={(toUnitPrice) => setSwap({ toUnitPrice })}
              error={error(name("swaps[0].toUnitPrice.amountMinor")) ?? error(name("swaps[0].toUnitPrice"))}
            />
          </InlineGrid>
        )}
        {error(name("swaps")) ? <Text as="p" tone="critical">{error(name("swaps"))}</Text> : null}
        <InlineStack align="end">
          <Button variant="plain" tone="critical" onClick={onRemove}>
            Remove offer
          </Button>
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

function RuleRow({
  index,
  rule,
  reasonCodes,
  offerIds,
  currencyCode,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  rule: RuleFormValues;
  reasonCodes: string[];
  offerIds: string[];
  currencyCode: string;
  error: ErrorFor;
  onChange: (patch: Partial<RuleFormValues>) => void;
  onRemove: () => void;
}) {
  const name = (field: string) => `rules[${index}].${field}`;
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));
  return (
    <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="200">
          <TextField label="Rule id" name={name("id")} autoComplete="off" value={rule.id} onChange={(id) => onChange({ id })} error={error(name("id"))} />
          <Select
            label="Then offer"
            name={name("offerId")}
            options={[{ label: "No offer", value: "" }, ...offerIds.map((id) => ({ label: id, value: id }))]}
            value={rule.offerId}
            onChange={(offerId) => onChange({ offerId })}
            error={error(name("offerId"))}
          />
        </InlineGrid>
        <Text as="p" variant="bodySm" tone="subdued">
          When the reason is one of (none ticked: any reason)
        </Text>
        <InlineStack gap="300">
          {reasonCodes.map((code) => (
            <Checkbox
              key={code}
              label={code}
              name={name("when.reasons")}
              value={code}
              checked={rule.reasons.includes(code)}
              onChange={(on) => onChange({ reasons: toggle(rule.reasons, code, on) })}
            />
          ))}
        </InlineStack>
        {error(name("when.reasons")) ? <Text as="p" tone="critical">{error(name("when.reasons"))}</Text> : null}
        <InlineGrid columns={{ xs: 1, md: 4 }} gap="200">
          <TextField label="Tenure at least (days)" name={name("when.tenureDays.atLeast")} type="number" autoComplete="off" value={rule.tenureAtLeast} onChange={(tenureAtLeast) => onChange({ tenureAtLeast })} error={error(name("when.tenureDays.atLeast"))} />
          <TextField label="Tenure below (days)" name={name("when.tenureDays.below")} type="number" autoComplete="off" value={rule.tenureBelow} onChange={(tenureBelow) => onChange({ tenureBelow })} error={error(name("when.tenureDays.below"))} />
          <TextField
            label={`Lifetime value at least (${currencyCode})`}
            name={name("when.lifetimeValue.atLeast.amountMinor")}
            autoComplete="off"
            value={rule.ltvAtLeast}
            onChange={(ltvAtLeast) => onChange({ ltvAtLeast })}
            error={error(name("when.lifetimeValue.atLeast.amountMinor")) ?? error(name("when.lifetimeValue.atLeast"))}
          />
          <TextField
            label={`Lifetime value below (${currencyCode})`}
            name={name("when.lifetimeValue.below.amountMinor")}
            autoComplete="off"
            value={rule.ltvBelow}
            onChange={(ltvBelow) => onChange({ ltvBelow })}
            error={error(name("when.lifetimeValue.below.amountMinor")) ?? error(name("when.lifetimeValue.below"))}
          />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="200">
          <TextField label="Loyalty tiers (ids, comma-separated)" name={name("when.tiers")} autoComplete="off" value={rule.tiers} onChange={(tiers) => onChange({ tiers })} error={error(name("when.tiers"))} />
          <BlockStack gap="100">
            <Text as="p" variant="bodySm">
              Churn risk (none ticked: any)
            </Text>
            <InlineStack gap="300">
              {RISKS.map((risk) => (
                <Checkbox key={risk} label={risk} name={name("when.churnRisk")} value={risk} checked={rule.churnRisk.includes(risk)} onChange={(on) => onChange({ churnRisk: toggle(rule.churnRisk, risk, on) })} />
              ))}
            </InlineStack>
          </BlockStack>
        </InlineGrid>
        <InlineStack align="end">
          <Button variant="plain" tone="critical" onClick={onRemove}>
            Remove rule
          </Button>
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

export const ErrorBoundary = PageErrorBoundary;
