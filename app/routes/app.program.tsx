import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { useState } from "react";
import { CheckboxInput, SelectInput, TextInput } from "~/components/fields";
import { formPayload, invalidForm, savedForm } from "~/components/forms.server";
import { fetcherFieldErrors, useFieldErrors, useSavedToast } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { markSectionReviewed } from "~/data/admin/program.server";
import { EARNING_ACTIONS, STOREFRONT_LANGUAGES, type ProgramSettings, type Tier } from "~/domain/loyalty";
import { formatMinor } from "~/domain/money";
import { adminContext } from "~/services/admin/context.server";
import { applySettingsForm, PROGRAM_SECTIONS, type ProgramSection } from "~/services/admin/program-form";
import { catalogue, loadProgram, previewTierRules, saveProgram, setRewardArchived } from "~/services/admin/program.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const [program, rewards] = await Promise.all([loadProgram(getDatabase(), context.shopId), catalogue(getDatabase(), context.shopId)]);
  return { settings: program.settings, currencyCode: program.currencyCode, rewards };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const database = getDatabase();
  const payload = formPayload(await request.formData());
  const intent = String(payload.intent ?? "");
  const now = new Date();
  if (intent === "archive-reward" || intent === "restore-reward") {
    const archived = intent === "archive-reward";
    const found = await setRewardArchived(database, context.shopId, String(payload.rewardId ?? ""), archived);
    if (!found) return invalidForm({ form: "That reward no longer exists." });
    return savedForm(archived ? "Reward archived" : "Reward offered again");
  }
  const section = intent.replace(/^preview-/, "") as ProgramSection;
  if (!PROGRAM_SECTIONS.includes(section)) return invalidForm({ form: "Unknown form" });
  const program = await loadProgram(database, context.shopId);
  const result = applySettingsForm(program.settings, program.currencyCode, section, payload, now);
  if (!result.ok) return invalidForm(result.errors);
  if (intent === "preview-tiers") {
    const preview = await previewTierRules(database, context.shopId, result.settings.tiers, now);
    return preview.ok ? { ok: "preview" as const, preview: preview.preview } : invalidForm(preview.errors);
  }
  await saveProgram(database, context.shopId, result.settings, now);
  await markSectionReviewed(database, context.shopId, section, context.staffUserId, now);
  return savedForm(SAVED[section]);
}

const SAVED: Record<ProgramSection, string> = {
  status: "Program status saved",
  earning: "Earning rules saved",
  actions: "Actions saved",
  tiers: "Tiers saved",
  referral: "Referral settings saved",
  texts: "Storefront texts saved",
};

const ACTION_LABELS: Record<(typeof EARNING_ACTIONS)[number], string> = {
  signup: "Account sign-up",
  birthday: "Birthday",
  review: "Product review",
  referral: "Referral (referrer, when the friend's first order is paid)",
  social_follow: "Social follow",
  survey: "Answering a survey",
};

const LANGUAGE_LABELS = { en: "English", pl: "Polski", ru: "Русский", fi: "Suomi" } as const;

type SettingsView = ProgramSettings;

export default function Program() {
  const { settings, currencyCode, rewards } = useLoaderData<typeof loader>() as unknown as { settings: SettingsView; currencyCode: string; rewards: Awaited<ReturnType<typeof catalogue>> };
  const result = useActionData<typeof action>();
  const errorFor = useFieldErrors();
  useSavedToast(result);
  const money = (minor: number) => formatMinor(minor, currencyCode);

  return (
    <Page title="Program" subtitle="How customers earn and spend points">
      <BlockStack gap="500">
        <SectionCard id="status" title="Program status" description="When the program is on, paid orders and actions earn points.">
          <SectionForm intent="status">
            <CheckboxInput name="enabled" label="Program is on" defaultChecked={settings.enabled} helpText={settings.startedAt ? `Started ${new Date(settings.startedAt).toLocaleDateString("en-US")}; orders before then earn nothing.` : undefined} />
          </SectionForm>
        </SectionCard>

        <SectionCard id="earning" title="Earning rules" description="Points for every order, and when they expire.">
          <SectionForm intent="earning">
            <FormLayout>
              <FormLayout.Group>
                <TextInput name="earning.points" label="Points" type="number" defaultValue={settings.earning.points} errorFor={errorFor} />
                <TextInput name="earning.perAmountMinor" label={`For every (${currencyCode})`} defaultValue={money(settings.earning.perAmountMinor)} errorFor={errorFor} />
              </FormLayout.Group>
              <FormLayout.Group>
                <SelectInput name="earning.base" label="Counted on" defaultValue={settings.earning.base} errorFor={errorFor} options={[{ label: "Subtotal after discounts (no shipping, no tax)", value: "subtotal_after_discounts" }, { label: "Order total", value: "total" }]} />
                <SelectInput name="earning.rounding" label="Rounding" defaultValue={settings.earning.rounding} errorFor={errorFor} options={[{ label: "Round down", value: "floor" }, { label: "Round to nearest", value: "nearest" }]} />
              </FormLayout.Group>
              <TextInput name="earning.pendingDays" label="Pending period (days)" type="number" defaultValue={settings.earning.pendingDays} errorFor={errorFor} helpText="Points become spendable this many days after payment, so a quick refund cannot follow a spend." />
              <CheckboxInput name="expiry.enabled" label="Points expire after a period of inactivity" defaultChecked={settings.expiry.enabled} />
              <FormLayout.Group>
                <TextInput name="expiry.afterInactiveDays" label="Expire after (days inactive)" type="number" defaultValue={settings.expiry.afterInactiveDays} errorFor={errorFor} />
                <TextInput name="expiry.reminderDaysBefore" label="Remind (days before)" type="number" defaultValue={settings.expiry.reminderDaysBefore} errorFor={errorFor} />
              </FormLayout.Group>
            </FormLayout>
          </SectionForm>
        </SectionCard>

        <SectionCard id="actions" title="Ways to earn" description="Points for actions besides orders, each with a cap per customer (empty: no cap).">
          <SectionForm intent="actions">
            <BlockStack gap="300">
              {EARNING_ACTIONS.map((name) => (
                <InlineGrid key={name} columns={{ xs: 1, sm: ["twoThirds", "oneThird", "oneThird"] }} gap="300" alignItems="end">
                  <CheckboxInput name={`actions.${name}.enabled`} label={ACTION_LABELS[name]} defaultChecked={settings.actions[name].enabled} />
                  <TextInput name={`actions.${name}.points`} label="Points" type="number" defaultValue={settings.actions[name].points} errorFor={errorFor} />
                  <TextInput name={`actions.${name}.capPerCustomer`} label="Cap per customer" type="number" defaultValue={settings.actions[name].capPerCustomer} errorFor={errorFor} />
                </InlineGrid>
              ))}
            </BlockStack>
          </SectionForm>
        </SectionCard>

        <TiersCard settings={settings} currencyCode={currencyCode} />

        <SectionCard id="rewards" title="Rewards" description="What points buy. Archived rewards are no longer offered; codes already issued stay valid.">
          <BlockStack gap="300">
            <InlineStack>
              <RemixLink to="/app/rewards/new">
                <Button variant="primary">Create reward</Button>
              </RemixLink>
            </InlineStack>
            <RecordsTable
              empty="No rewards yet. Customers need at least one to spend points on."
              columnContentTypes={["text", "text", "numeric", "text", "text"]}
              headings={["Reward", "Type", "Points", "Status", ""]}
              rows={rewards.map((reward) => [
                <RemixLink key="name" to={`/app/rewards/${reward.id}`}>
                  {reward.name}
                </RemixLink>,
                REWARD_TYPE_LABELS[reward.type],
                reward.pointsCost.toLocaleString("en-US"),
                <Badge key="status" tone={reward.archived ? undefined : "success"}>
                  {reward.archived ? "Archived" : "Offered"}
                </Badge>,
                <ArchiveButton key="archive" rewardId={reward.id} archived={reward.archived} />,
              ])}
            />
          </BlockStack>
        </SectionCard>

        <SectionCard id="referral" title="Referrals" description="What a referred friend gets on their first order. The referrer's points are under Ways to earn.">
          <SectionForm intent="referral">
            <FormLayout>
              <FormLayout.Group>
                <SelectInput name="referral.friendDiscount.value.type" label="Friend's discount" defaultValue={settings.referral.friendDiscount.value.type} errorFor={errorFor} options={[{ label: "Percentage off", value: "percentage" }, { label: "Amount off", value: "fixed_amount" }]} />
                {settings.referral.friendDiscount.value.type === "percentage" ? (
                  <TextInput name="referral.friendDiscount.value.percent" label="Percent" type="number" suffix="%" defaultValue={settings.referral.friendDiscount.value.percent} errorFor={errorFor} />
                ) : (
                  <TextInput name="referral.friendDiscount.value.amountMinor" label={`Amount (${currencyCode})`} defaultValue={money(settings.referral.friendDiscount.value.amountMinor)} errorFor={errorFor} />
                )}
              </FormLayout.Group>
              <FormLayout.Group>
                <TextInput name="referral.friendDiscount.minimumOrderMinor" label={`Minimum order (${currencyCode})`} defaultValue={money(settings.referral.friendDiscount.minimumOrderMinor)} errorFor={errorFor} />
                <TextInput name="referral.friendDiscount.expiresAfterDays" label="Code valid for (days)" type="number" defaultValue={settings.referral.friendDiscount.expiresAfterDays} errorFor={errorFor} />
              </FormLayout.Group>
            </FormLayout>
          </SectionForm>
        </SectionCard>

        <TextsCard settings={settings} />
      </BlockStack>
    </Page>
  );
}

const REWARD_TYPE_LABELS = { fixed_amount: "Amount off", percentage: "Percentage off", free_shipping: "Free shipping", free_product: "Free product", store_credit: "Store credit" } as const;

function SectionCard({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <Layout>
      <Layout.AnnotatedSection id={id} title={title} description={description}>
        <Card>{children}</Card>
      </Layout.AnnotatedSection>
    </Layout>
  );
}

function SectionForm({ intent, children, extraButton }: { intent: string; children: React.ReactNode; extraButton?: React.ReactNode }) {
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" aria-label={intent}>
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="400">
        {children}
        <InlineStack gap="200" align="end">
          {extraButton}
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function ArchiveButton({ rewardId, archived }: { rewardId: string; archived: boolean }) {
  const fetcher = useFetcher<typeof action>();
  useSavedToast(fetcher.data);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={archived ? "restore-reward" : "archive-reward"} />
      <input type="hidden" name="rewardId" value={rewardId} />
      <Button submit variant="plain" loading={fetcher.state !== "idle"}>
        {archived ? "Offer again" : "Archive"}
      </Button>
    </fetcher.Form>
  );
}

type TierRow = { key: string; id: string; name: string; threshold: string; multiplier: string; freeShipping: boolean; birthdayBonusPoints: string; earlyAccessTag: string };

function TiersCard({ settings, currencyCode }: { settings: SettingsView; currencyCode: string }) {
  const errorFor = useFieldErrors();
  const preview = useFetcher<typeof action>();
  const previewErrors = fetcherFieldErrors(preview);
  const [basis, setBasis] = useState(settings.tiers.basis);
  const toRow = (tier: Tier, index: number): TierRow => ({
    key: `${tier.id}-${index}`,
    id: tier.id,
    name: tier.name,
    threshold: settings.tiers.basis === "spend" ? formatMinor(tier.threshold, currencyCode) : String(tier.threshold),
    multiplier: String(tier.perks.multiplierBps / 10_000),
    freeShipping: tier.perks.freeShipping,
    birthdayBonusPoints: String(tier.perks.birthdayBonusPoints),
    earlyAccessTag: tier.perks.earlyAccessTag ?? "",
  });
  const [rows, setRows] = useState<TierRow[]>(() => settings.tiers.levels.map(toRow));
  const shownError = (name: string) => errorFor(name) ?? previewErrors(name);
  const data = preview.data && "preview" in preview.data ? preview.data.preview : null;

  return (
    <SectionCard id="tiers" title="VIP tiers" description="Tiers by spend or points earned, lowest first. Preview who would move before you save.">
      <SectionForm
        intent="tiers"
        extraButton={
          <Button
            onClick={() => {
              const form = document.querySelector<HTMLFormElement>('form[aria-label="tiers"]');
              if (!form) return;
              const formData = new FormData(form);
              formData.set("intent", "preview-tiers");
              preview.submit(formData, { method: "post" });
            }}
            loading={preview.state !== "idle"}
          >
            Preview changes
          </Button>
        }
      >
        <FormLayout>
          <FormLayout.Group>
            <SelectInput name="tiers.basis" label="Qualify by" defaultValue={settings.tiers.basis} onChange={(value) => setBasis(value as typeof basis)} errorFor={shownError} options={[{ label: `Money spent (${currencyCode})`, value: "spend" }, { label: "Points earned", value: "points_earned" }]} />
            <SelectInput name="tiers.window" label="Counted over" defaultValue={settings.tiers.window} errorFor={shownError} options={[{ label: "The last 12 months", value: "rolling_12_months" }, { label: "All time", value: "lifetime" }]} />
            <TextInput name="tiers.retentionDays" label="Keep a tier after qualifying (days)" type="number" defaultValue={settings.tiers.retentionDays} errorFor={shownError} />
          </FormLayout.Group>
          {rows.map((row, index) => (
            <Box key={row.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="300">
                {row.id ? <input type="hidden" name={`tiers.levels[${index}].id`} value={row.id} /> : null}
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                  <TextInput name={`tiers.levels[${index}].name`} label="Name" defaultValue={row.name} errorFor={shownError} />
                  <TextInput name={`tiers.levels[${index}].threshold`} label={basis === "spend" ? `From (${currencyCode})` : "From (points)"} defaultValue={row.threshold} errorFor={shownError} />
                  <TextInput name={`tiers.levels[${index}].perks.multiplierBps`} label="Earning multiplier" suffix="×" defaultValue={row.multiplier} errorFor={shownError} />
                </InlineGrid>
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300" alignItems="end">
                  <TextInput name={`tiers.levels[${index}].perks.birthdayBonusPoints`} label="Birthday bonus (points)" type="number" defaultValue={row.birthdayBonusPoints} errorFor={shownError} />
                  <TextInput name={`tiers.levels[${index}].perks.earlyAccessTag`} label="Early-access tag" defaultValue={row.earlyAccessTag} errorFor={shownError} placeholder="none" />
                  <CheckboxInput name={`tiers.levels[${index}].perks.freeShipping`} label="Free shipping" defaultChecked={row.freeShipping} />
                </InlineGrid>
                <InlineStack align="end">
                  <Button variant="plain" tone="critical" onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                    Remove tier
                  </Button>
                </InlineStack>
              </BlockStack>
            </Box>
          ))}
          <InlineStack>
            <Button onClick={() => setRows([...rows, { key: `new-${Date.now()}`, id: "", name: "", threshold: "", multiplier: "1", freeShipping: false, birthdayBonusPoints: "0", earlyAccessTag: "" }])}>Add tier</Button>
          </InlineStack>
          {data ? (
            <Box padding="300" background="bg-surface-secondary" borderRadius="200">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {`With these rules: ${data.movingUp.toLocaleString("en-US")} customers move up, ${data.movingDown.toLocaleString("en-US")} move down, ${data.unchanged.toLocaleString("en-US")} stay.`}
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Tier", "Now", "After", "Moving up into it", "Moving down into it"]}
                  rows={data.byTier.map((tier) => [tier.name ?? "No tier", tier.before.toLocaleString("en-US"), tier.after.toLocaleString("en-US"), tier.movingUp.toLocaleString("en-US"), tier.movingDown.toLocaleString("en-US")])}
                />
                <Text as="p" tone="subdued" variant="bodySm">
                  Moves down still wait for the retention period. Nothing changes until you save.
                </Text>
              </BlockStack>
            </Box>
          ) : null}
        </FormLayout>
      </SectionForm>
    </SectionCard>
  );
}

function TextsCard({ settings }: { settings: SettingsView }) {
  const errorFor = useFieldErrors();
  const [selected, setSelected] = useState(0);
  const fields = [
    ["launcherLabel", "Launcher button"],
    ["guestTitle", "Title for guests"],
    ["guestBody", "Text for guests"],
    ["signUp", "Sign-up link"],
    ["logIn", "Log-in link"],
    ["waysToEarnTitle", "Ways to earn title"],
    ["rewardsTitle", "Rewards title"],
    ["referralTitle", "Referral title"],
  ] as const;
  return (
    <SectionCard id="texts" title="Storefront texts" description="What the widget says, per language. An emptied field goes back to the default.">
      <SectionForm intent="texts">
        <Tabs tabs={STOREFRONT_LANGUAGES.map((language) => ({ id: `texts-${language}`, content: LANGUAGE_LABELS[language] }))} selected={selected} onSelect={setSelected}>
          {STOREFRONT_LANGUAGES.map((language, index) => (
            // Every language stays in the form (hidden when not selected), so one save keeps them all.
            <div key={language} hidden={index !== selected}>
              <Box paddingBlockStart="300">
                <FormLayout>
                  {fields.map(([key, label]) => (
                    <TextInput key={key} name={`texts.${language}.${key}`} label={label} defaultValue={settings.texts[language][key]} errorFor={errorFor} multiline={key === "guestBody"} />
                  ))}
                  <FormLayout.Group>
                    <TextInput name={`texts.${language}.pointsUnit.one`} label='"points" — one' defaultValue={settings.texts[language].pointsUnit.one} errorFor={errorFor} />
                    <TextInput name={`texts.${language}.pointsUnit.other`} label='"points" — other' defaultValue={settings.texts[language].pointsUnit.other} errorFor={errorFor} />
                    {language === "pl" || language === "ru" ? (
                      <>
                        <TextInput name={`texts.${language}.pointsUnit.few`} label='"points" — few' defaultValue={settings.texts[language].pointsUnit.few} errorFor={errorFor} />
                        <TextInput name={`texts.${language}.pointsUnit.many`} label='"points" — many' defaultValue={settings.texts[language].pointsUnit.many} errorFor={errorFor} />
                      </>
                    ) : null}
                  </FormLayout.Group>
                </FormLayout>
              </Box>
            </div>
          ))}
        </Tabs>
      </SectionForm>
    </SectionCard>
  );
}

export const ErrorBoundary = PageErrorBoundary;
