/**
 * A link to a case, the hook the end-to-end tests follow (`case-row`, `data-case-id`). An item
 * without a case yet links to the case search for its own id instead.
 */
import type { ReactNode } from "react";

export function CaseLink({ caseId, children }: { caseId: string; children: ReactNode }) {
  return (
    <a href={`#/cases/${encodeURIComponent(caseId)}`} data-testid="case-row" data-case-id={caseId}>
      {children}
    </a>
  );
}

export function SearchLink({ query, children }: { query: string; children: ReactNode }) {
  return <a href={`#/cases?${new URLSearchParams({ query }).toString()}`}>{children}</a>;
}
