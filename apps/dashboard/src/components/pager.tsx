import { Button } from "react-aria-components";

/** Previous / next over a paged list, and where we are. */
export function Pager({ page, totalPages, total, onPage }: { page: number; totalPages: number; total: number; onPage(page: number): void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <Button className="button secondary" isDisabled={page <= 1} onPress={() => onPage(page - 1)}>
        Previous page
      </Button>
      <span aria-live="polite">
        Page {page} of {totalPages} ({total} in all)
      </span>
      <Button className="button secondary" isDisabled={page >= totalPages} onPress={() => onPage(page + 1)}>
        Next page
      </Button>
    </nav>
  );
}
