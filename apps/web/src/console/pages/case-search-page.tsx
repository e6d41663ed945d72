/**
 * Case search. The query lives in the hash (`#/cases?query=…&state=open`) so a reload or a link
 * from the queue lands on the same results; typing searches once the analyst pauses.
 */
import type { CaseSummaryView } from "@mimamori/contracts";
import { type FormEvent, useEffect, useId, useState } from "react";
import { useHashRoute } from "../../shared/route.ts";
import { ResourceView } from "../components/notice.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { useConsole } from "../console-context.ts";
import { useResource } from "../use-resource.ts";
import { CaseTable } from "./queue-page.tsx";

const searchDelayMs = 300;

type CaseFilter = { query: string; state: "" | "open" | "closed" };

function readFilter(): CaseFilter {
  const search = window.location.hash.split("?")[1] ?? "";
  const params = new URLSearchParams(search);
  const state = params.get("state");
  return { query: params.get("query") ?? "", state: state === "open" || state === "closed" ? state : "" };
}

function filterParams(filter: CaseFilter): string {
  const params = new URLSearchParams();
  if (filter.query.trim() !== "") {
    params.set("query", filter.query.trim());
  }
  if (filter.state !== "") {
    params.set("state", filter.state);
  }
  return params.toString();
}

export function CaseSearchPage() {
  const { t } = useConsole();
  const parts = useHashRoute();
  const id = useId();
  const [draft, setDraft] = useState<CaseFilter>(readFilter);
  const [filter, setFilter] = useState<CaseFilter>(readFilter);

  // A link to another search (from the queue) while this page is open.
  const routeKey = parts.join("/");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is re-read from the URL whenever the route changes
  useEffect(() => {
    const next = readFilter();
    setDraft(next);
    setFilter(next);
  }, [routeKey]);

  useEffect(() => {
    const timer = setTimeout(() => setFilter(draft), searchDelayMs);
    return () => clearTimeout(timer);
  }, [draft]);

  const params = filterParams(filter);
  useEffect(() => {
    // replaceState does not fire hashchange, so the page is not re-read while typing.
    window.history.replaceState(null, "", params === "" ? "#/cases" : `#/cases?${params}`);
  }, [params]);

  const { resource, reload } = useResource<{ cases: CaseSummaryView[] }>(
    `/v1/console/cases${params === "" ? "" : `?${params}`}`,
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (filterParams(draft) === params) {
      reload();
    } else {
      setFilter(draft);
    }
  };

  return (
    <div className="page">
      <h1>{t.casesTitle}</h1>
      <search>
        <form className="search-form" onSubmit={submit}>
          <div className="field field-grow">
            <label htmlFor={`${id}-query`}>{t.searchLabel}</label>
            <input
              id={`${id}-query`}
              type="search"
              data-testid="case-search"
              aria-describedby={`${id}-hint`}
              value={draft.query}
              onChange={(event) => setDraft({ ...draft, query: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-state`}>{t.stateFilter}</label>
            <select
              id={`${id}-state`}
              value={draft.state}
              onChange={(event) => {
                const state = event.target.value;
                setDraft({ ...draft, state: state === "open" || state === "closed" ? state : "" });
              }}
            >
              <option value="">{t.stateAny}</option>
              <option value="open">{t.caseStates.open}</option>
              <option value="closed">{t.caseStates.closed}</option>
            </select>
          </div>
          <button type="submit">{t.search}</button>
        </form>
        <p id={`${id}-hint`} className="muted hint">
          {t.searchHint}
        </p>
      </search>
      <section aria-labelledby={`${id}-results`}>
        <ResourceView resource={resource} onRetry={reload}>
          {(value) => (
            <>
              <h2 id={`${id}-results`} aria-live="polite">
                {t.resultCount(value.cases.length)}
              </h2>
              {value.cases.length === 0 ? null : (
                <TableScroll label={t.casesTitle}>
                  <CaseTable cases={value.cases} />
                </TableScroll>
              )}
            </>
          )}
        </ResourceView>
      </section>
    </div>
  );
}
