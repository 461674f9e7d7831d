import { Pagination } from "@shopify/polaris";

/** Previous/next through numbered pages (1-based), labelled "Page 2 of 7". */
export function PageNumbers({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return <Pagination hasPrevious={page > 1} hasNext={page < pages} onPrevious={() => onPage(page - 1)} onNext={() => onPage(page + 1)} label={`Page ${page} of ${pages}`} />;
}
