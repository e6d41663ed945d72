/**
 * The development outbox: every SMS, e-mail and push the platform "sent", so a developer or a
 * tester can read the confirmation message a cardholder would have received.
 */
import { formatTime } from "../../shared/i18n.ts";
import { ResourceView } from "../components/notice.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { useConsole } from "../console-context.ts";
import type { OutboxMessageView } from "../types.ts";
import { useResource } from "../use-resource.ts";

export function OutboxPage() {
  const { t, lang } = useConsole();
  const { resource, reload } = useResource<{ messages: OutboxMessageView[] }>("/v1/console/outbox");
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t.outboxTitle}</h1>
        <button type="button" className="secondary" onClick={reload}>
          {t.refresh}
        </button>
      </div>
      <p className="muted">{t.outboxHint}</p>
      <ResourceView resource={resource} onRetry={reload}>
        {(value) =>
          value.messages.length === 0 ? (
            <p className="muted">{t.empty}</p>
          ) : (
            <TableScroll label={t.outboxTitle}>
              <table data-testid="outbox">
                <thead>
                  <tr>
                    <th scope="col">{t.colCreated}</th>
                    <th scope="col">{t.colChannel}</th>
                    <th scope="col">{t.colTo}</th>
                    <th scope="col">{t.colState}</th>
                    <th scope="col">{t.colTemplate}</th>
                    <th scope="col">{t.colBody}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...value.messages]
                    .sort((left, right) => Date.parse(right.createdAt) - Date.parse(left.createdAt))
                    .map((message) => (
                      <tr key={message.id} data-testid="outbox-message">
                        <td className="nowrap">{formatTime(message.createdAt, lang)}</td>
                        <td>{message.channel}</td>
                        <td className="nowrap">{message.to}</td>
                        <td>{message.state}</td>
                        <td>
                          <code>{message.purpose ?? message.template ?? "—"}</code>
                        </td>
                        <td className="prose">
                          {message.subject === undefined || message.subject === null ? null : (
                            <strong className="block">{message.subject}</strong>
                          )}
                          <span className="message-body">{message.body}</span>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </ResourceView>
    </div>
  );
}
