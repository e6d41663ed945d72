/**
 * The work waiting for an analyst, most urgent first within each kind: holds the cardholder has
 * not answered yet, holds nobody answered (outbound calls to make), step-up codes reported as not
 * requested, and open cases. The queue refreshes on its own so a newly opened hold appears.
 */
import type { CaseSummaryView, QueueHoldView, QueueView, StepUpReportView } from "@mimamori/contracts";
import { type ReactNode, useEffect, useId } from "react";
import { formatMoney, formatTime } from "../../shared/i18n.ts";
import { CaseLink, SearchLink } from "../components/case-link.tsx";
import { HoldDecisionForm } from "../components/hold-actions.tsx";
import { LabelBadge } from "../components/label-badge.tsx";
import { ErrorNotice, LoadingNotice } from "../components/notice.tsx";
import { SlaTimer } from "../components/sla-timer.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { useConsole } from "../console-context.ts";
import { nameOf } from "../messages.ts";
import { useResource } from "../use-resource.ts";

const queueRefreshMs = 30_000;

function bySlaDue<T extends { slaDueAt: string }>(items: T[]): T[] {
  return [...items].sort((left, right) => Date.parse(left.slaDueAt) - Date.parse(right.slaDueAt));
}

export function QueuePage() {
  const { t, lang } = useConsole();
  const { resource, reload } = useResource<QueueView>("/v1/console/queue");

  useEffect(() => {
    const timer = setInterval(reload, queueRefreshMs);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <div data-testid="queue" className="page">
      <div className="page-heading">
        <h1>{t.queueTitle}</h1>
        <button type="button" className="secondary" onClick={reload}>
          {t.refresh}
        </button>
      </div>
      {resource.state === "loading" ? <LoadingNotice /> : null}
      {resource.state === "error" ? <ErrorNotice error={resource.error} onRetry={reload} /> : null}
      {resource.state === "ready" ? (
        <>
          <HoldSection
            title={t.pendingHolds}
            holds={bySlaDue(resource.value.pendingHolds)}
            onChanged={reload}
          />
          <HoldSection
            title={t.expiredHolds}
            hint={t.expiredHoldsHint}
            holds={bySlaDue(resource.value.expiredHolds)}
            onChanged={reload}
          />
          <StepUpSection reports={bySlaDue(resource.value.stepUpReports)} />
          <CaseSection cases={bySlaDue(resource.value.cases)} />
          <p className="muted" aria-live="off">
            {resource.isRefreshing ? t.loading : t.updatedAt(formatTime(new Date().toISOString(), lang))}
          </p>
        </>
      ) : null}
    </div>
  );
}

function QueueSection({
  title,
  count,
  hint,
  children,
}: {
  title: string;
  count: number;
  hint?: string;
  children: ReactNode;
}) {
  const { t } = useConsole();
  const id = useId();
  return (
    <section aria-labelledby={id} className="queue-section">
      <h2 id={id}>
        {title} <span className="count">{count}</span>
      </h2>
      {hint === undefined ? null : <p className="muted">{hint}</p>}
      {count === 0 ? <p className="muted">{t.empty}</p> : <TableScroll label={title}>{children}</TableScroll>}
    </section>
  );
}

/**
 * Holds awaiting an answer or unanswered. One with a case links to it; one without a case yet
 * (the cardholder has not answered) can be released or blocked from here after a call.
 */
function HoldSection({
  title,
  hint,
  holds,
  onChanged,
}: {
  title: string;
  hint?: string;
  holds: QueueHoldView[];
  onChanged: () => void;
}) {
  const { t, lang } = useConsole();
  return (
    <QueueSection title={title} count={holds.length} {...(hint === undefined ? {} : { hint })}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.colHold}</th>
            <th scope="col">{t.colCard}</th>
            <th scope="col">{t.colCardholder}</th>
            <th scope="col">{t.colMerchant}</th>
            <th scope="col">{t.colAmount}</th>
            <th scope="col">{t.colState}</th>
            <th scope="col">{t.colExpires}</th>
            <th scope="col">{t.colSla}</th>
          </tr>
        </thead>
        <tbody>
          {holds.map((hold) => (
            <tr key={hold.holdId}>
              <td>
                {hold.caseId === null ? (
                  <>
                    <code>{hold.holdId}</code>
                    <details className="queue-actions">
                      <summary>{t.holdActionsOpen}</summary>
                      <HoldDecisionForm
                        hold={{ id: hold.holdId, state: hold.state, expiresAt: hold.expiresAt }}
                        onChanged={onChanged}
                      />
                    </details>
                  </>
                ) : (
                  <CaseLink caseId={hold.caseId}>
                    {hold.holdId}
                    <span className="muted block">{hold.caseId}</span>
                  </CaseLink>
                )}
              </td>
              <td className="nowrap">•••• {hold.last4}</td>
              <td>{hold.cardholderName}</td>
              <td>{hold.merchantName}</td>
              <td className="numeric">{formatMoney(hold.amount, lang)}</td>
              <td>{nameOf(t.holdStates, hold.state)}</td>
              <td>{formatTime(hold.expiresAt, lang)}</td>
              <td>
                <SlaTimer dueAt={hold.slaDueAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </QueueSection>
  );
}

function StepUpSection({ reports }: { reports: StepUpReportView[] }) {
  const { t, lang } = useConsole();
  return (
    <QueueSection title={t.stepUpReports} count={reports.length}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.colCase}</th>
            <th scope="col">{t.colCard}</th>
            <th scope="col">{t.colCardholder}</th>
            <th scope="col">{t.colReported}</th>
            <th scope="col">{t.colSla}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((report) => (
            <tr key={report.challengeId}>
              <td>
                {report.caseId === null ? (
                  <SearchLink query={report.cardId}>{report.challengeId}</SearchLink>
                ) : (
                  <CaseLink caseId={report.caseId}>{report.caseId}</CaseLink>
                )}
              </td>
              <td className="nowrap">•••• {report.last4}</td>
              <td>{report.cardholderName}</td>
              <td>{formatTime(report.reportedAt, lang)}</td>
              <td>
                <SlaTimer dueAt={report.slaDueAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </QueueSection>
  );
}

function CaseSection({ cases }: { cases: CaseSummaryView[] }) {
  const { t } = useConsole();
  return (
    <QueueSection title={t.openCases} count={cases.length}>
      <CaseTable cases={cases} />
    </QueueSection>
  );
}

/** Cases as a table; shared by the queue and the case search. */
export function CaseTable({ cases }: { cases: CaseSummaryView[] }) {
  const { t, lang } = useConsole();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t.colCase}</th>
          <th scope="col">{t.colKind}</th>
          <th scope="col">{t.colState}</th>
          <th scope="col">{t.colCard}</th>
          <th scope="col">{t.colCardholder}</th>
          <th scope="col">{t.colOpened}</th>
          <th scope="col">{t.colLabel}</th>
          <th scope="col">{t.colSla}</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((summary) => (
          <tr key={summary.id}>
            <td>
              <CaseLink caseId={summary.id}>{summary.id}</CaseLink>
            </td>
            <td>{nameOf(t.caseKinds, summary.kind)}</td>
            <td>{nameOf(t.caseStates, summary.state)}</td>
            <td className="nowrap">•••• {summary.last4}</td>
            <td>{summary.cardholderName}</td>
            <td>{formatTime(summary.openedAt, lang)}</td>
            <td>
              <LabelBadge label={summary.label} />
            </td>
            <td>{summary.state === "closed" ? "—" : <SlaTimer dueAt={summary.slaDueAt} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
