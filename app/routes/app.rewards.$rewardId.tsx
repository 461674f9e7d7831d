import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, FormLayout, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { CheckboxInput, SelectInput, TextInput } from "~/components/fields";
import { formPayload, invalidForm, newFormToken, savedForm } from "~/components/forms.server";
import { useFieldErrors, useSavedToast } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { getDatabase } from "~/data/database.server";
import type { Reward, RewardInput } from "~/domain/loyalty";
import { formatMinor } from "~/domain/money";
import { adminContext } from "~/services/admin/context.server";
import { readFormValues } from "~/services/admin/program-form";
import { findCatalogueReward, loadProgram, saveReward } from "~/services/admin/program.server";

const REWARD_TYPES = [
  { value: "fixed_amount", label: "Amount off the order" },
  { value: "percentage", label: "Percentage off the order" },
  { value: "free_shipping", label: "Free shipping" },
  { value: "free_product", label: "Free product" },
  { value: "store_credit", label: "Store credit" },
] as const;

const NEW_REWARD: Reward = { type: "fixed_amount", name: "", pointsCost: 500, amountMinor: 500, minimumOrderMinor: 0, minimumTierId: null, expiresAfterDays: 30, archived: false };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const program = await loadProgram(getDatabase(), context.shopId);
  const isNew = params.rewardId === "new";
  const reward = isNew ? { ...NEW_REWARD, id: null } : await findCatalogueReward(getDatabase(), context.shopId, params.rewardId ?? "");
  if (!reward) throw new Response("This reward does not exist.", { status: 404 });
  return { reward, tiers: program.settings.tiers.levels.map((t) => ({ id: t.id, name: t.name })), currencyCode: program.currencyCode, formToken: newFormToken() };
}

/** Every field any reward type has, so the form's text converts the same way whichever type is chosen. */
const FIELD_SHAPE = { name: "", pointsCost: 0, amountMinor: 0, percent: 0, maximumShippingMinor: null, productVariantId: "", minimumOrderMinor: 0, minimumTierId: null, expiresAfterDays: null, archived: false };

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await adminContext(request);
  const program = await loadProgram(getDatabase(), context.shopId);
  const payload = formPayload(await request.formData());
  const { value, errors } = readFormValues(FIELD_SHAPE, payload, program.currencyCode);
  if (Object.keys(errors).length > 0) return invalidForm(errors);
  const { token, ...reward } = value;
  const isNew = params.rewardId === "new";
  const result = await saveReward(getDatabase(), context.shopId, { rewardId: isNew ? null : params.rewardId ?? null, token: String(token ?? ""), reward: reward as RewardInput });
  if (!result.ok) {
    if ("notFound" in result) throw new Response("This reward does not exist.", { status: 404 });
    return invalidForm(result.errors);
  }
  return { ...savedForm(isNew ? "Reward created" : "Reward saved"), rewardId: result.rewardId };
}

export default function RewardPage() {
  const { reward, tiers, currencyCode, formToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorFor = useFieldErrors();
  const navigate = useNavigate();
  const saving = useNavigation().state === "submitting";
  useSavedToast(result);
  const [type, setType] = useState<Reward["type"]>(reward.type);
  const isNew = reward.id === null;

  useEffect(() => {
    if (isNew && result?.ok && "rewardId" in result) navigate(`/app/rewards/${result.rewardId}`, { replace: true });
  }, [isNew, result, navigate]);

  const money = (minor: number | null | undefined) => (minor === null || minor === undefined ? "" : formatMinor(minor, currencyCode));
  const field = <K extends string>(key: K) => (reward as Record<string, unknown>)[key] as never;
  return (
    <Page
      title={isNew ? "New reward" : reward.name}
      backAction={{ content: "Program", url: "/app/program#rewards" }}
      titleMetadata={!isNew && reward.archived ? <Badge>Archived</Badge> : undefined}
    >
      <Card>
        <Form method="post">
          <input type="hidden" name="token" value={formToken} />
          <BlockStack gap="400">
            <FormLayout>
              <SelectInput name="type" label="Type" defaultValue={reward.type} options={[...REWARD_TYPES]} onChange={(value) => setType(value as Reward["type"])} errorFor={errorFor} />
              <TextInput name="name" label="Name shown to customers" defaultValue={reward.name} errorFor={errorFor} placeholder="$5 off your next order" />
              <FormLayout.Group>
                <TextInput name="pointsCost" label="Points cost" type="number" defaultValue={reward.pointsCost} errorFor={errorFor} />
                {type === "fixed_amount" || type === "store_credit" ? (
                  <TextInput name="amountMinor" label={`Amount (${currencyCode})`} defaultValue={money(field("amountMinor"))} errorFor={errorFor} />
                ) : type === "percentage" ? (
                  <TextInput name="percent" label="Percent off" type="number" suffix="%" defaultValue={field("percent")} errorFor={errorFor} />
                ) : type === "free_shipping" ? (
                  <TextInput name="maximumShippingMinor" label={`Up to (${currencyCode})`} defaultValue={money(field("maximumShippingMinor"))} errorFor={errorFor} helpText="Empty: any shipping rate." />
                ) : (
                  <TextInput name="productVariantId" label="Product variant id" defaultValue={field("productVariantId")} errorFor={errorFor} placeholder="gid://shopify/ProductVariant/…" />
                )}
              </FormLayout.Group>
              <FormLayout.Group>
                {type === "store_credit" ? null : <TextInput name="minimumOrderMinor" label={`Minimum order (${currencyCode})`} defaultValue={money(field("minimumOrderMinor") ?? 0)} errorFor={errorFor} />}
                <TextInput name="expiresAfterDays" label="Code expires after (days)" type="number" defaultValue={reward.expiresAfterDays} errorFor={errorFor} helpText="Empty: never expires." />
              </FormLayout.Group>
              <SelectInput
                name="minimumTierId"
                label="Who can redeem"
                defaultValue={reward.minimumTierId ?? ""}
                options={[{ label: "Everyone", value: "" }, ...tiers.map((tier) => ({ label: `${tier.name} and above`, value: tier.id }))]}
                errorFor={errorFor}
              />
              {isNew ? null : <CheckboxInput name="archived" label="Archived (no longer offered; issued codes stay valid)" defaultChecked={reward.archived} />}
            </FormLayout>
            {errorFor("form") ? (
              <Text as="p" tone="critical">
                {errorFor("form")}
              </Text>
            ) : null}
            <InlineStack align="end">
              <Button submit variant="primary" loading={saving}>
                {isNew ? "Create reward" : "Save"}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
