/**
 * What a draft would have decided on recorded traffic: how many outcomes change, where they move
 * (recorded outcome → outcome under the draft), which rules fire, and examples to inspect.
 */
import type { BacktestView } from "@mimamori/contracts";
import { outcomeValues } from "@mimamori/contracts";
import { useId } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { useConsole } from "../console-context.ts";
import { nameOf } from "../messages.ts";
import { DataTable } from "./data-table.tsx";
import { TableScroll } from "./table-scroll.tsx";

/** The four outcomes in lattice order, then any other the server reports. */
function outcomesIn(matrix: BacktestView["matrix"]): string[] {
  const seen = new Set<string>(outcomeValues);
  for (const [recorded, row] of Object.entries(matrix)) {
    seen.add(recorded);
    for (const would of Object.keys(row)) {
      seen.add(would);
    }
  }
  return [...seen];
}

export function BacktestResult({ backtest }: { backtest: BacktestView }) {
  const { t, lang } = useConsole();
  const id = useId();
  const outcomes = outcomesIn(backtest.matrix);
  const ruleHits = Object.entries(backtest.ruleHits).sort((left, right) => right[1] - left[1]);
  return (
    <section className="backtest" data-testid="backtest-result" aria-labelledby={id}>
      <h3 id={id}>
        {t.backtest}: {formatTime(backtest.from, lang)} – {formatTime(backtest.to, lang)}
      </h3>
      <dl className="stat-row">
        <div>
          <dt>{t.decisions}</dt>
          <dd data-testid="backtest-decisions">{backtest.decisions}</dd>
        </div>
        <div>
          <dt>{t.changed}</dt>
          <dd data-testid="backtest-changed">{backtest.changed}</dd>
        </div>
      </dl>
      <TableScroll label={t.matrixTitle}>
        <table className="matrix">
          <caption>{t.matrixTitle}</caption>
          <thead>
            <tr>
              <th scope="col">
                {t.recorded} \ {t.would}
              </th>
              {outcomes.map((would) => (
                <th key={would} scope="col">
                  {nameOf(t.outcomes, would)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {outcomes.map((recorded) => (
              <tr key={recorded}>
                <th scope="row">{nameOf(t.outcomes, recorded)}</th>
                {outcomes.map((would) => {
                  const count = backtest.matrix[recorded]?.[would] ?? 0;
                  const isChange = recorded !== would && count > 0;
                  return (
                    <td key={would} className={isChange ? "numeric matrix-change" : "numeric"}>
                      {isChange ? <strong>{count} ▲</strong> : count}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h4>{t.ruleHits}</h4>
      {ruleHits.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <DataTable
          columns={[
            { key: "rule", header: t.rule, cell: ([ruleId]) => <code>{ruleId}</code> },
            { key: "hits", header: t.hits, isNumeric: true, cell: ([, count]) => count },
          ]}
          rows={ruleHits}
          rowKey={([ruleId]) => ruleId}
        />
      )}
      <h4>{t.examples}</h4>
      {backtest.examples.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <TableScroll label={t.examples}>
          <DataTable
            columns={[
              {
                key: "authorization",
                header: t.colAuthorization,
                cell: (example) => <code>{example.authorizationId}</code>,
              },
              {
                key: "occurred",
                header: t.colOccurred,
                cell: (example) => formatTime(example.occurredAt, lang),
              },
              {
                key: "recorded",
                header: t.recorded,
                cell: (example) => nameOf(t.outcomes, example.recorded),
              },
              {
                key: "would",
                header: t.would,
                cell: (example) => <strong>{nameOf(t.outcomes, example.would)}</strong>,
              },
              { key: "rules", header: t.colRulesFired, cell: (example) => example.rulesFired.join(", ") },
            ]}
            rows={backtest.examples}
            rowKey={(example) => example.authorizationId}
          />
        </TableScroll>
      )}
    </section>
  );
}
