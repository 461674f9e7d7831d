import { redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, MaxPartSizeExceededError, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { invalidForm } from "~/components/forms.server";
import { useFieldErrors } from "~/components/forms";
import { PageErrorBoundary } from "~/components/PageStates";
import { RecordsTable, TitledCard } from "~/components/TitledCard";
import { ImportStatusBadge } from "~/components/ImportStatusBadge";
import { getDatabase } from "~/data/database.server";
import { recentImportJobs } from "~/data/admin/import-jobs.server";
import { FORMAT_LABELS, type ImportFormat } from "~/domain/import/formats";
import { adminContext } from "~/services/admin/context.server";
import { previewImport } from "~/services/admin/imports.server";
import { ExportButtons } from "~/components/ExportButtons";

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  return { imports: await recentImportJobs(getDatabase(), context.shopId) };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await adminContext(request);
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return invalidForm({ file: "The file is larger than 20 MB; split it into smaller files." });
    // Anything else here is a body that is not a readable upload (not multipart, no boundary, cut short).
    return invalidForm({ file: "The upload could not be read; choose the CSV file and import it again." });
  }
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return invalidForm({ file: "Choose a CSV file to import." });
  const preview = await previewImport({ database: getDatabase(), shopId: context.shopId, fileName: file.name, text: await file.text(), staffUserId: context.staffUserId, now: new Date() });
  if (!preview.ok) return invalidForm({ file: preview.error });
  return redirect(`/app/import/${preview.jobId}`);
}

export default function ImportExport() {
  const { imports } = useLoaderData<typeof loader>();
  const fieldError = useFieldErrors();
  const uploading = useNavigation().state === "submitting";
  return (
    <Page title="Import / Export">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <TitledCard title="Import points from a CSV file">
              <Text as="p">You will see every row checked before anything is written. Importing the same file again changes nothing.</Text>
              <Form method="post" encType="multipart/form-data">
                <BlockStack gap="200">
                  <label htmlFor="import-file">
                    <Text as="span" variant="bodyMd">
                      CSV file
                    </Text>
                  </label>
                  <input id="import-file" type="file" name="file" accept=".csv,text/csv" aria-invalid={Boolean(fieldError("file"))} aria-describedby="import-file-error" />
                  {fieldError("file") ? (
                    <div id="import-file-error">
                      <Text as="p" tone="critical">
                        {fieldError("file")}
                      </Text>
                    </div>
                  ) : null}
                  <InlineStack>
                    <Button submit variant="primary" loading={uploading}>
                      Check file
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </TitledCard>
            <TitledCard title="Recent imports">
              <RecordsTable
                empty="No imports yet."
                columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                headings={["File", "Format", "Status", "Rows", "Imported"]}
                rows={imports.map((job) => [
                  <RemixLink key={job.id} to={`/app/import/${job.id}`}>
                    {job.fileName}
                  </RemixLink>,
                  FORMAT_LABELS[job.format as ImportFormat] ?? job.format,
                  <ImportStatusBadge key="status" status={job.status} />,
                  job.totalRows.toLocaleString("en-US"),
                  job.importedRows.toLocaleString("en-US"),
                ])}
              />
            </TitledCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <TitledCard title="Accepted files" gap="200">
              <Text as="p" fontWeight="semibold">
                Retention Engine CSV
              </Text>
              <List>
                <List.Item>email or customer_id (Shopify customer id) — required</List.Item>
                <List.Item>points — a whole number; negative takes points away</List.Item>
                <List.Item>occurred_at — optional date, YYYY-MM-DD</List.Item>
                <List.Item>reason — optional, shown in the customer's history</List.Item>
                <List.Item>reference — optional id of yours, unique per row</List.Item>
              </List>
              <Text as="p" fontWeight="semibold">
                Smile.io
              </Text>
              <Text as="p">The points file (email, points) or the customer export (Email, Points Balance, …).</Text>
              <Text as="p" fontWeight="semibold">
                LoyaltyLion
              </Text>
              <Text as="p">The points import (customer id, email, points, enrolled) or the customer export (Points approved + Points pending, or Points total).</Text>
            </TitledCard>
            <ExportButtons />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
