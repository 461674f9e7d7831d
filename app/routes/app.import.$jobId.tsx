import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, DataTable, InlineStack, Page, ProgressBar, Text } from "@shopify/polaris";
import { Figure } from "~/components/Figure";
import { savedForm } from "~/components/forms.server";
import { useSavedToast } from "~/components/forms";
import { ImportStatusBadge } from "~/components/ImportStatusBadge";
import { ErrorBanner, PageErrorBoundary } from "~/components/PageStates";
import { TitledCard } from "~/components/TitledCard";
import { usePollWhile } from "~/components/usePollWhile";
import { getDatabase } from "~/data/database.server";
import { findImportJob } from "~/data/admin/import-jobs.server";
import { FORMAT_LABELS, type ImportFormat } from "~/domain/import/formats";
import { adminContext } from "~/services/admin/context.server";
import { startImport } from "~/services/admin/imports.server";
import { getQueue } from "~/runtime.server";

async function loadJob(request: Request, jobId: string | undefined) {
  const context = await adminContext(request);
  const job = jobId ? await findImportJob(getDatabase(), context.shopId, jobId) : null;
  if (!job) throw new Response("This import does not exist.", { status: 404 });
  return { context, job };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { job } = await loadJob(request, params.jobId);
  return { job };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { context, job } = await loadJob(request, params.jobId);
  const started = await startImport({ database: getDatabase(), queue: await getQueue(), shopId: context.shopId, jobId: job.id });
  return savedForm(started ? `Importing ${job.validRows.toLocaleString("en-US")} rows` : "This import has already started");
}

const POLL_MS = 1_000;

export default function ImportJobPage() {
  const { job } = useLoaderData<typeof loader>();
  const submitting = useNavigation().state === "submitting";
  const active = job.status === "queued" || job.status === "running";
  useSavedToast(useActionData<typeof action>());
  // The job runs in a worker: poll its progress while it runs.
  usePollWhile(active, POLL_MS);

  const progress = job.validRows === 0 ? 0 : Math.round((job.processedRows / job.validRows) * 100);
  return (
    <Page title={job.fileName} subtitle={FORMAT_LABELS[job.format as ImportFormat] ?? job.format} backAction={{ content: "Import / Export", url: "/app/import" }} titleMetadata={<ImportStatusBadge status={job.status} />}>
      <BlockStack gap="400">
        {job.status === "failed" ? <ErrorBanner title="The import stopped">{job.lastError ?? "An unexpected error stopped it."} Import the file again to continue; rows already imported are skipped.</ErrorBanner> : null}
        {job.status === "completed" ? (
          <Banner tone="success" title="Import finished">
            {`${job.importedRows.toLocaleString("en-US")} of ${job.validRows.toLocaleString("en-US")} rows added to the points ledger. Rows imported before and rows with errors are not added.`}
          </Banner>
        ) : null}
        <TitledCard title={job.status === "previewed" ? "Check before importing" : "Progress"}>
          <InlineStack gap="600">
            <Figure label="Rows in the file" value={job.totalRows} />
            <Figure label="Ready to import" value={job.validRows} />
            <Figure label="Rows with errors" value={job.errorRows} />
          </InlineStack>
          {job.status === "previewed" ? (
            <Form method="post">
              <InlineStack gap="200" blockAlign="center">
                <Button submit variant="primary" disabled={job.validRows === 0} loading={submitting}>
                  {`Import ${job.validRows.toLocaleString("en-US")} rows`}
                </Button>
                {job.errorRows > 0 ? <Text as="span" tone="subdued">Rows with errors are left out; fix them and import the file again.</Text> : null}
              </InlineStack>
            </Form>
          ) : (
            <BlockStack gap="100">
              <ProgressBar progress={progress} tone={job.status === "failed" ? "critical" : "primary"} ariaLabelledBy="import-progress" />
              <Text as="p" id="import-progress">{`${job.processedRows.toLocaleString("en-US")} of ${job.validRows.toLocaleString("en-US")} rows processed (${progress} %)`}</Text>
            </BlockStack>
          )}
        </TitledCard>
        {job.errors.length > 0 ? (
          <TitledCard title="Row errors">
            <DataTable
              columnContentTypes={["numeric", "text", "text"]}
              headings={["Row", "Column", "Problem"]}
              rows={job.errors.map((error) => [error.line, error.column ?? "—", error.message])}
              truncate
            />
            {job.errorRows > job.errors.length ? <Text as="p" tone="subdued">{`Showing the first ${job.errors.length} of ${job.errorRows} errors.`}</Text> : null}
          </TitledCard>
        ) : null}
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
