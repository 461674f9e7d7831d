/** GET /app/export/customers and /app/export/ledger: CSV downloads, streamed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/data/database.server";
import { EXPORT_QUERIES, type ExportKind } from "~/data/admin/exports.server";
import { adminContext } from "~/services/admin/context.server";
import { exportCsvStream } from "~/services/admin/exports.server";
import { loadProgram } from "~/services/admin/program.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const kind = params.kind as ExportKind;
  if (!Object.hasOwn(EXPORT_QUERIES, kind)) throw new Response("Unknown export", { status: 404 });
  const { currencyCode } = await loadProgram(getDatabase(), context.shopId);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(exportCsvStream(getDatabase(), context.shopId, kind, currencyCode), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${kind}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
