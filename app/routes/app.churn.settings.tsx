/** Churn radar settings: what "lost" means, the lifetime-value horizon, the risk thresholds, birthday and anniversary moments. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, FormLayout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { CheckboxInput, SelectInput, TextInput } from "~/components/fields";
import { invalidForm, parseForm, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import { adminContext } from "~/services/admin/context.server";
import { loadChurnSettings, saveChurnSettings, type ChurnSettings } from "~/services/churn/settings.server";

const percent = (label: string, min: number, max: number) =>
  z.number({ error: `Enter ${label}` }).min(min, `At least ${min} %`).max(max, `At most ${max} %`);

/** The form in the merchant's units (percentages, currency units); converted to the stored settings below. */
const settingsForm = z
  .object({
    lostKind: z.enum(["noOrderWithin", "probabilityAliveBelow"]),
    lostDays: z.number({ error: "Enter a number of days" }).int("Whole days").min(7, "At least 7 days").max(730, "At most 730 days"),
    lostThresholdPercent: percent("a percentage", 1, 99),
    horizonMonths: z.number({ error: "Enter a number of months" }).int("Whole months").min(1, "At least 1 month").max(60, "At most 60 months"),
    discountPercent: percent("a monthly rate", 0, 20),
    highBelowPercent: percent("a percentage", 1, 99),
    mediumBelowPercent: percent("a percentage", 1, 99),
    highValue: z.string().regex(/^\d{1,9}(\.\d+)?$/, "Enter an amount such as 500 or 500.00 (at most 999999999)").optional(),
    quietDays: z.number({ error: "Enter a number of days" }).int("Whole days").min(1, "At least 1 day").max(730, "At most 730 days"),
    birthday: z.boolean().optional(),
    anniversary: z.boolean().optional(),
    rewardPercent: z.number({ error: "Enter a percentage (0 for no code)" }).int("Whole percent").min(0, "At least 0 %").max(100, "At most 100 %"),
  })
  .refine((form) => form.highBelowPercent < form.mediumBelowPercent, { message: "Must be below the medium-risk threshold", path: ["highBelowPercent"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const [settings, shop] = await Promise.all([loadChurnSettings(getDatabase(), context.shopId), findShop(getDatabase(), context.shop)]);
  return { settings, currencyCode: shop?.currencyCode ?? "USD" };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const form = parseForm(await request.formData(), settingsForm);
  if (!form.ok) return invalidForm(form.errors);
  const shop = await findShop(getDatabase(), context.shop);
  const f = form.value;
  const settings: ChurnSettings = {
    lost: f.lostKind === "noOrderWithin" ? { kind: "noOrderWithin", days: f.lostDays } : { kind: "probabilityAliveBelow", threshold: f.lostThresholdPercent / 100 },
    lifetimeValue: { horizonMonths: f.horizonMonths, monthlyDiscountRate: f.discountPercent / 100 },
    risk: {
      highBelow: f.highBelowPercent / 100,
      mediumBelow: f.mediumBelowPercent / 100,
      highValueMinor: f.highValue ? parseDecimalToMinor(f.highValue, shop?.currencyCode ?? "USD") : null,
      oneTimeBuyerQuietDays: f.quietDays,
    },
    moments: { birthday: f.birthday ?? false, anniversary: f.anniversary ?? false, rewardPercent: f.rewardPercent },
  };
  await saveChurnSettings(getDatabase(), context.shopId, settings);
  return savedForm("Churn settings saved. They apply from the next refit.");
}

export default function ChurnSettingsPage() {
  const { settings, currencyCode } = useLoaderData<typeof loader>();
  const errorFor = useFieldErrors();
  useSavedToast(useActionData<typeof action>());
  const saving = useNavigation().state === "submitting";
  const [lostKind, setLostKind] = useState<string>(settings.lost.kind);
  return (
    <Page title="Churn radar settings" backAction={{ content: "Churn radar", url: "/app/churn" }}>
      <Form method="post">
        <BlockStack gap="400">
          <TitledCard title="When is a customer lost?">
            <Text as="p" tone="subdued">
              Without subscriptions nobody cancels, so churn is inferred. The definition is shown next to every churn figure.
            </Text>
            <FormLayout>
              <SelectInput
                name="lostKind"
                label="A customer is lost when"
                defaultValue={settings.lost.kind}
                onChange={setLostKind}
                options={[
                  { label: "they have not ordered for a number of days", value: "noOrderWithin" },
                  { label: "the model says they have probably stopped buying", value: "probabilityAliveBelow" },
                ]}
                errorFor={errorFor}
              />
              <FormLayout.Group>
                <TextInput
                  name="lostDays"
                  type="number"
                  label="Days without an order"
                  suffix="days"
                  defaultValue={settings.lost.kind === "noOrderWithin" ? settings.lost.days : 90}
                  helpText={lostKind === "noOrderWithin" ? "Used now" : "Used with the other definition"}
                  errorFor={errorFor}
                />
                <TextInput
                  name="lostThresholdPercent"
                  type="number"
                  label="Probability of still buying below"
                  suffix="%"
                  defaultValue={settings.lost.kind === "probabilityAliveBelow" ? Math.round(settings.lost.threshold * 100) : 30}
                  helpText={lostKind === "probabilityAliveBelow" ? "Used now (BG/NBD P(alive))" : "Used with the other definition"}
                  errorFor={errorFor}
                />
              </FormLayout.Group>
            </FormLayout>
          </TitledCard>
          <TitledCard title="Risk levels and customer value">
            <FormLayout>
              <FormLayout.Group>
                <TextInput name="highBelowPercent" type="number" label="High risk below" suffix="% P(alive)" defaultValue={Math.round(settings.risk.highBelow * 100)} errorFor={errorFor} />
                <TextInput name="mediumBelowPercent" type="number" label="Medium risk below" suffix="% P(alive)" defaultValue={Math.round(settings.risk.mediumBelow * 100)} errorFor={errorFor} />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextInput
                  name="highValue"
                  label="Customers who spent at least this are high risk instead of medium"
                  prefix={currencyCode}
                  placeholder="Nobody singled out"
                  defaultValue={settings.risk.highValueMinor === null ? "" : formatMinor(settings.risk.highValueMinor, currencyCode)}
                  errorFor={errorFor}
                />
                <TextInput
                  name="quietDays"
                  type="number"
                  label="One-time buyers are medium risk after"
                  suffix="days"
                  defaultValue={settings.risk.oneTimeBuyerQuietDays}
                  helpText="The model cannot tell whether someone who bought once has left, so time decides."
                  errorFor={errorFor}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextInput name="horizonMonths" type="number" label="Lifetime value over" suffix="months" defaultValue={settings.lifetimeValue.horizonMonths} errorFor={errorFor} />
                <TextInput
                  name="discountPercent"
                  type="number"
                  label="Discount rate"
                  suffix="% a month"
                  defaultValue={Math.round(settings.lifetimeValue.monthlyDiscountRate * 1000) / 10}
                  errorFor={errorFor}
                />
              </FormLayout.Group>
            </FormLayout>
          </TitledCard>
          <TitledCard title="Birthdays and anniversaries">
            <Text as="p" tone="subdued">
              On the day, a Shopify Flow trigger ("Customer birthday", "Customer first-order anniversary") carries a single-use code of the customer's own, for your
              email tool to send. Birthdays are the ones loyalty members gave.
            </Text>
            <FormLayout>
              <CheckboxInput name="birthday" label="Birthdays" defaultChecked={settings.moments.birthday} />
              <CheckboxInput name="anniversary" label="Anniversaries of the first order" defaultChecked={settings.moments.anniversary} />
              <TextInput name="rewardPercent" type="number" label="Code for" suffix="% off" defaultValue={settings.moments.rewardPercent} helpText="0 sends the trigger without a code." errorFor={errorFor} />
            </FormLayout>
          </TitledCard>
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </BlockStack>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
