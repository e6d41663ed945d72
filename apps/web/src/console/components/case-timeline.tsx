/**
 * A case's history, oldest first: authorizations with their decision and explanation, holds,
 * messages, card events, contact records and labels. Each entry names its kind in words beside
 * an icon, and its details open on demand.
 */
import type { ExplanationNodeView, TimelineEntryView, TimelineKind } from "@mimamori/contracts";
import { useId } from "react";
import { formatMoney, formatTime, type Lang } from "../../shared/i18n.ts";
import { useConsole } from "../console-context.ts";
import { asArray, asNumber, asRecord, asString, formatValue } from "../format.ts";
import { nameOf } from "../messages.ts";
import { ExplanationTree } from "./explanation-tree.tsx";

// Symbols from the common text fonts rather than emoji, which many office desktops lack.
const kindIcons: Record<TimelineKind, string> = {
  authorization: "⇄",
  hold_opened: "◔",
  hold_resolved: "◉",
  notification: "✉",
  case_opened: "▣",
  card_event: "▭",
  account_update: "✎",
  dispute_flag: "⚑",
  contact_record: "☎",
  label: "✔",
};

export function CaseTimeline({ entries }: { entries: TimelineEntryView[] }) {
  const { t } = useConsole();
  const id = useId();
  const chronological = [...entries].sort((left, right) => Date.parse(left.at) - Date.parse(right.at));
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.timelineTitle}</h2>
      {chronological.length === 0 ? <p className="muted">{t.empty}</p> : null}
      <ol className="timeline" data-testid="timeline">
        {chronological.map((entry, index) => (
          // Entries have no id; time and position together are unique and stable per load.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <TimelineItem key={`${entry.at}-${index}`} entry={entry} />
        ))}
      </ol>
    </section>
  );
}

function TimelineItem({ entry }: { entry: TimelineEntryView }) {
  const { t, lang } = useConsole();
  const hasDetail = Object.keys(entry.detail).length > 0;
  return (
    <li
      className={`timeline-entry timeline-${entry.kind}`}
      data-testid="timeline-entry"
      data-kind={entry.kind}
    >
      <div className="timeline-head">
        <span className="timeline-icon" aria-hidden="true">
          {kindIcons[entry.kind] ?? "•"}
        </span>
        <strong className="timeline-kind">{nameOf(t.timelineKinds, entry.kind)}</strong>
        <time dateTime={entry.at} className="muted">
          {formatTime(entry.at, lang)}
        </time>
      </div>
      <p className="timeline-summary">{entry.summary}</p>
      {hasDetail ? (
        <details className="timeline-detail">
          <summary>{t.details}</summary>
          {entry.kind === "authorization" ? (
            <AuthorizationDetail detail={entry.detail} lang={lang} />
          ) : (
            <DetailList detail={entry.detail} />
          )}
        </details>
      ) : null}
    </li>
  );
}

/** Money as `{minor, currency}`, or a plain number as the server may send for the base currency. */
function formatAmount(value: unknown, lang: Lang): string {
  if (value === null || value === undefined) {
    return "—";
  }
  const money = asRecord(value);
  const minor = asNumber(money?.minor);
  const currency = asString(money?.currency);
  if (minor !== null && currency !== null) {
    return formatMoney({ minor, currency }, lang);
  }
  return formatValue(value);
}

function formatMerchant(value: unknown): string {
  if (value === null || value === undefined) {
    return "—";
  }
  const merchant = asRecord(value);
  if (merchant === null) {
    return formatValue(value);
  }
  const name = asString(merchant.name);
  const country = asString(merchant.country);
  return [name, country].filter((part) => part !== null).join(", ") || formatValue(value);
}

function isExplanationNode(value: unknown): value is ExplanationNodeView {
  const node = asRecord(value);
  return node !== null && typeof node.text === "string" && Array.isArray(node.children);
}

const authorizationFields = new Set(["outcome", "score", "amount", "merchant", "reasons", "explanation"]);

function AuthorizationDetail({ detail, lang }: { detail: Record<string, unknown>; lang: Lang }) {
  const { t } = useConsole();
  const outcome = asString(detail.outcome);
  const reasons = asArray(detail.reasons)
    .map(asRecord)
    .filter((reason) => reason !== null);
  const rules = asArray(asRecord(detail.explanation)?.rules)
    .map(asRecord)
    .filter((rule) => rule !== null);
  const rest = Object.fromEntries(Object.entries(detail).filter(([key]) => !authorizationFields.has(key)));
  return (
    <div className="authorization-detail">
      <dl className="facts">
        {outcome === null ? null : (
          <>
            <dt>{t.outcome}</dt>
            <dd>
              <span className={`badge badge-outcome-${outcome}`}>{nameOf(t.outcomes, outcome)}</span>
            </dd>
          </>
        )}
        {detail.score === undefined ? null : (
          <>
            <dt>{t.score}</dt>
            <dd>{formatValue(detail.score)}</dd>
          </>
        )}
        {detail.amount === undefined ? null : (
          <>
            <dt>{t.amount}</dt>
            <dd>{formatAmount(detail.amount, lang)}</dd>
          </>
        )}
        {detail.merchant === undefined ? null : (
          <>
            <dt>{t.merchant}</dt>
            <dd>{formatMerchant(detail.merchant)}</dd>
          </>
        )}
      </dl>
      {reasons.length === 0 ? null : (
        <>
          <h3>{t.reasons}</h3>
          <ul>
            {reasons.map((reason, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a reason code may repeat across rules
              <li key={index}>
                <code>{formatValue(reason.code)}</code> {formatValue(reason.message)}
                {reason.ruleId === undefined ? null : (
                  <span className="muted"> ({formatValue(reason.ruleId)})</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {rules.length === 0 ? null : (
        <>
          <h3>{t.explanation}</h3>
          <ul className="explanation-rules">
            {rules.map((rule, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rule ids are unique but may be absent
              <li key={index}>
                <details>
                  <summary>
                    {t.ruleLine(
                      formatValue(rule.ruleId),
                      typeof rule.outcome === "string" ? nameOf(t.outcomes, rule.outcome) : null,
                      formatValue(rule.score ?? 0),
                    )}
                  </summary>
                  {isExplanationNode(rule.tree) ? <ExplanationTree tree={rule.tree} /> : null}
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
      {Object.keys(rest).length === 0 ? null : <DetailList detail={rest} />}
    </div>
  );
}

function DetailList({ detail }: { detail: Record<string, unknown> }) {
  return (
    <dl className="facts">
      {Object.entries(detail).map(([key, value]) => (
        <div key={key} className="fact">
          <dt>{key}</dt>
          <dd>
            {value === null ? "—" : null}
            {typeof value === "object" && value !== null ? (
              <pre className="json">{JSON.stringify(value, null, 2)}</pre>
            ) : (
              formatValue(value)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
