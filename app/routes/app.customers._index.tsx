import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, IndexTable, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { EmptyCard, PageErrorBoundary } from "~/components/PageStates";
import { PageNumbers } from "~/components/PageNumbers";
import { formatMoney } from "~/components/format";
import { getDatabase } from "~/data/database.server";
import { CUSTOMER_SORTS, listCustomers } from "~/data/admin/customers.server";
import { adminContext } from "~/services/admin/context.server";
import { loadProgram } from "~/services/admin/program.server";

const PAGE_SIZE = 50;

const listQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(CUSTOMER_SORTS).catch("balance"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await adminContext(request);
  const params = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, program] = await Promise.all([
    listCustomers(getDatabase(), context.shopId, { search: params.q || null, sort: params.sort, direction: params.dir, page: params.page, pageSize: PAGE_SIZE }),
    loadProgram(getDatabase(), context.shopId),
  ]);
  const tierNames = Object.fromEntries(program.settings.tiers.levels.map((t) => [t.id, t.name]));
  return { ...list, params, pageSize: PAGE_SIZE, tierNames, currencyCode: program.currencyCode };
}

const SORT_COLUMNS = { 2: "balance", 4: "spend", 0: "name" } as const;
const RISK_TONE = { low: "success", medium: "warning", high: "critical" } as const;

export default function Customers() {
  const { rows, total, params, pageSize, tierNames, currencyCode } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const [search, setSearch] = useState(params.q ?? "");

  // Search as the merchant types, without a request per keystroke.
  useEffect(() => {
    if (search === (params.q ?? "")) return;
    const timer = setTimeout(() => update({ q: search || null, page: null }), 300);
    return () => clearTimeout(timer);
  }, [search]); // eslint-disable-line react-hooks/exhaustive-deps

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setSearchParams(next, { preventScrollReset: true });
  }

  const pages = Math.max(1, Math.ceil(total / pageSize));
  const sortIndex = Number(Object.entries(SORT_COLUMNS).find(([, sort]) => sort === params.sort)?.[0] ?? 2);
  return (
    <Page title="Customers" subtitle={total === 1 ? "1 customer" : `${total.toLocaleString("en-US")} customers`}>
      <BlockStack gap="400">
        <Card padding="0">
          <BlockStack>
            <div style={{ padding: "var(--p-space-300)" }}>
              <TextField label="Search customers" labelHidden placeholder="Search by name, email or Shopify id" value={search} onChange={setSearch} autoComplete="off" clearButton onClearButtonClick={() => setSearch("")} />
            </div>
            {rows.length === 0 ? (
              <EmptyCard heading={params.q ? "No customers match this search" : "No customers yet"}>
                <p>{params.q ? "Try a name, an email or part of one." : "Customers appear here with their first order or sign-up."}</p>
              </EmptyCard>
            ) : (
              <IndexTable
                resourceName={{ singular: "customer", plural: "customers" }}
                itemCount={rows.length}
                selectable={false}
                loading={loading}
                sortable={[true, false, true, false, true, false]}
                sortColumnIndex={sortIndex}
                sortDirection={params.dir === "asc" ? "ascending" : "descending"}
                onSort={(index, direction) => update({ sort: SORT_COLUMNS[index as keyof typeof SORT_COLUMNS] ?? "balance", dir: direction === "ascending" ? "asc" : "desc", page: null })}
                headings={[{ title: "Customer" }, { title: "Email" }, { title: "Points", alignment: "end" }, { title: "Tier" }, { title: "Lifetime spend", alignment: "end" }, { title: "Churn risk" }]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row id={row.id} key={row.id} position={index}>
                    <IndexTable.Cell>
                      <RemixLink to={`/app/customers/${row.id}`}>
                        <Text as="span" fontWeight="semibold">
                          {row.name ?? row.email ?? `Customer ${row.shopifyCustomerId}`}
                        </Text>
                      </RemixLink>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.email ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric tone={row.pointsBalance < 0 ? "critical" : undefined}>
                        {row.pointsBalance.toLocaleString("en-US")}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.tierId ? <Badge>{tierNames[row.tierId] ?? row.tierId}</Badge> : "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatMoney(row.lifetimeSpendMinor, currencyCode)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.churnRisk ? <Badge tone={RISK_TONE[row.churnRisk]}>{row.churnRisk}</Badge> : "—"}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
            <InlineStack align="center">
              <div style={{ padding: "var(--p-space-300)" }}>
                <PageNumbers page={params.page} pages={pages} onPage={(page) => update({ page: String(page) })} />
              </div>
            </InlineStack>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
