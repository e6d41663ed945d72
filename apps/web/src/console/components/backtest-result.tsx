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
      <div className="table-scroll">
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
      </div>
      <h4>{t.ruleHits}</h4>
      {ruleHits.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.rule}</th>
              <th scope="col" className="numeric">
                {t.hits}
              </th>
            </tr>
          </thead>
          <tbody>
            {ruleHits.map(([ruleId, count]) => (
              <tr key={ruleId}>
                <td>
                  <code>{ruleId}</code>
                </td>
                <td className="numeric">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>{t.examples}</h4>
      {backtest.examples.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.colAuthorization}</th>
                <th scope="col">{t.colOccurred}</th>
                <th scope="col">{t.recorded}</th>
                <th scope="col">{t.would}</th>
                <th scope="col">{t.colRulesFired}</th>
              </tr>
            </thead>
            <tbody>
              {backtest.examples.map((example) => (
                <tr key={example.authorizationId}>
                  <td>
                    <code>{example.authorizationId}</code>
                  </td>
                  <td>{formatTime(example.occurredAt, lang)}</td>
                  <td>{nameOf(t.outcomes, example.recorded)}</td>
                  <td>
                    <strong>{nameOf(t.outcomes, example.would)}</strong>
                  </td>
                  <td>{example.rulesFired.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
