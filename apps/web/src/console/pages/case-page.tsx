/**
 * One case: who and which card, how long is left on its SLA, what happened (timeline), who spoke
 * with the cardholder (contact log), and the analyst's actions. An action shows its result at
 * once and then reloads the case quietly, so the timeline picks up what the server recorded.
 */
import type { CaseDetailView } from "@mimamori/contracts";
import { useId } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { CaseTimeline } from "../components/case-timeline.tsx";
import { ContactLog } from "../components/contact-log.tsx";
import { HoldActions } from "../components/hold-actions.tsx";
import { LabelBadge } from "../components/label-badge.tsx";
import { LabelPanel } from "../components/label-form.tsx";
import { ResourceView } from "../components/notice.tsx";
import { SlaTimer } from "../components/sla-timer.tsx";
import { useConsole } from "../console-context.ts";
import { nameOf } from "../messages.ts";
import { useResource } from "../use-resource.ts";

export function CasePage({ caseId }: { caseId: string }) {
  const { resource, reload, update } = useResource<CaseDetailView>(
    `/v1/console/cases/${encodeURIComponent(caseId)}`,
  );
  return (
    <div className="page" data-testid="case-page">
      <ResourceView resource={resource} onRetry={reload}>
        {(detail) => (
          <>
            <CaseHeader detail={detail} />
            <div className="case-columns">
              <div className="case-main">
                <CaseTimeline entries={detail.timeline} />
                <ContactLog
                  caseId={detail.case.id}
                  records={detail.contactLog}
                  onAdded={(record) => {
                    update((value) => ({ ...value, contactLog: [...value.contactLog, record] }));
                    reload();
                  }}
                />
              </div>
              <div className="case-side">
                <HoldActions
                  holds={detail.holds}
                  onChanged={(hold) => {
                    update((value) => ({
                      ...value,
                      holds: value.holds.map((current) =>
                        current.id === hold.id ? { ...current, ...hold } : current,
                      ),
                    }));
                    reload();
                  }}
                />
                <LabelPanel
                  caseId={detail.case.id}
                  labels={detail.labels}
                  onLabelled={(label) => {
                    update((value) => ({
                      ...value,
                      case: { ...value.case, label: label.label },
                      labels: [...value.labels, label],
                    }));
                    reload();
                  }}
                />
                <CardList cards={detail.cards} />
              </div>
            </div>
          </>
        )}
      </ResourceView>
    </div>
  );
}

function CaseHeader({ detail }: { detail: CaseDetailView }) {
  const { t, lang } = useConsole();
  const summary = detail.case;
  return (
    <header className="case-header">
      <h1>{t.caseTitle(summary.id)}</h1>
      <dl className="case-facts">
        <div>
          <dt>{t.kind}</dt>
          <dd>{nameOf(t.caseKinds, summary.kind)}</dd>
        </div>
        <div>
          <dt>{t.state}</dt>
          <dd>{nameOf(t.caseStates, summary.state)}</dd>
        </div>
        <div>
          <dt>{t.card}</dt>
          <dd className="nowrap">•••• {summary.last4}</dd>
        </div>
        <div>
          <dt>{t.cardholder}</dt>
          <dd>
            {detail.cardholder.name}
            <span className="block muted">
              {detail.cardholder.phoneMasked} · {detail.cardholder.emailMasked}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t.opened}</dt>
          <dd>{formatTime(summary.openedAt, lang)}</dd>
        </div>
        <div>
          <dt>{t.sla}</dt>
          <dd>{summary.state === "closed" ? "—" : <SlaTimer dueAt={summary.slaDueAt} />}</dd>
        </div>
        <div>
          <dt>{t.label}</dt>
          <dd>
            <LabelBadge label={summary.label} isTestHook />
          </dd>
        </div>
      </dl>
    </header>
  );
}

function CardList({ cards }: { cards: CaseDetailView["cards"] }) {
  const { t } = useConsole();
  const id = useId();
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.cards}</h2>
      <ul className="plain-list">
        {cards.map((card) => (
          <li key={card.id}>
            <span className="nowrap">{card.panMasked}</span> — {nameOf(t.cardStates, card.state)}
            <span className="block muted">
              <code>{card.id}</code>
              {card.replaces === null ? null : <> · {t.replaces(card.replaces)}</>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
