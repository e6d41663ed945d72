/**
 * Time left until a queue item's SLA, ticking every second. Overdue is said in words and marked
 * with an icon as well as red, so it does not rest on colour alone.
 */

import { formatTime } from "../../shared/i18n.ts";
import { useNowMs } from "../clock.ts";
import { useConsole } from "../console-context.ts";
import { formatDuration } from "../format.ts";

export function SlaTimer({ dueAt }: { dueAt: string }) {
  const { t, lang } = useConsole();
  const nowMs = useNowMs();
  const leftMs = Date.parse(dueAt) - nowMs;
  const isOverdue = leftMs <= 0;
  return (
    <time
      dateTime={dueAt}
      title={formatTime(dueAt, lang)}
      className={isOverdue ? "sla sla-overdue" : "sla"}
      data-testid="sla-timer"
      data-overdue={isOverdue ? "true" : "false"}
    >
      {isOverdue ? <span aria-hidden="true">⚠ </span> : null}
      {isOverdue ? t.slaOverdue(formatDuration(-leftMs)) : t.slaLeft(formatDuration(leftMs))}
    </time>
  );
}
