/**
 * How the platform is deciding: the decision mix per day, the share of decisions held, how long
 * cardholders take to answer a hold, and how often each rule fires. Every chart has its numbers
 * in a table below it, for screen readers and for anyone who wants the exact values.
 */
import type { StatsView } from "@mimamori/contracts";
import { type ReactNode, useId, useState } from "react";
import { type BarSeries, LineChart, StackedBarChart } from "../components/charts.tsx";
import { ResourceView } from "../components/notice.tsx";
import { useConsole } from "../console-context.ts";
import type { Messages } from "../messages.ts";
import { useResource } from "../use-resource.ts";

const dayChoices = [7, 14, 30] as const;

/** The colours come from the base palette's hues and meet 3:1 against white for graphics. */
const outcomeStyles = {
  approve: { fill: "#1b6e2e", pattern: "solid" },
  step_up: { fill: "#0b4f8a", pattern: "stripes" },
  hold: { fill: "#8a5a00", pattern: "dots" },
  decline: { fill: "#b00020", pattern: "cross" },
} as const;

function shortDate(date: string): string {
  // "2025-04-01" → "04-01": the year is the same across a chart's two weeks.
  return date.length >= 10 ? date.slice(5, 10) : date;
}

function formatPercent(value: number): string {
  return `${(value * 100).toFixed(value < 0.1 && value > 0 ? 1 : 0)}%`;
}

function formatMinutes(t: Messages) {
  return (valueMs: number) => `${(valueMs / 60_000).toFixed(valueMs < 600_000 ? 1 : 0)} ${t.minutes}`;
}

export function StatsPage() {
  const { t } = useConsole();
  const id = useId();
  const [days, setDays] = useState<number>(14);
  const { resource, reload } = useResource<StatsView>(`/v1/console/stats?days=${days}`);
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t.statsTitle}</h1>
        <div className="field inline-field">
          <label htmlFor={`${id}-days`}>{t.daysLabel}</label>
          <select id={`${id}-days`} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {dayChoices.map((choice) => (
              <option key={choice} value={choice}>
                {t.daysOption(choice)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ResourceView resource={resource} onRetry={reload}>
        {(stats) =>
          stats.days.length === 0 ? <p className="muted">{t.noData}</p> : <StatsCharts stats={stats} />
        }
      </ResourceView>
    </div>
  );
}

function ChartFigure({
  title,
  chart,
  table,
  level = 2,
}: {
  title: string;
  chart: ReactNode;
  table: ReactNode;
  level?: 2 | 3;
}) {
  const { t } = useConsole();
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <section className={level === 2 ? "panel chart-panel" : "chart-small"}>
      <Heading>{title}</Heading>
      <figure>
        {chart}
        <figcaption>
          <details>
            <summary>{t.showNumbers}</summary>
            <div className="table-scroll">{table}</div>
          </details>
        </figcaption>
      </figure>
    </section>
  );
}

function StatsCharts({ stats }: { stats: StatsView }) {
  const { t } = useConsole();
  const labels = stats.days.map((day) => shortDate(day.date));
  const outcomes = ["approve", "step_up", "hold", "decline"] as const;
  const barSeries: BarSeries[] = outcomes.map((outcome) => ({
    name: t.outcomes[outcome],
    values: stats.days.map((day) => day[outcome]),
    ...outcomeStyles[outcome],
  }));
  const minutes = formatMinutes(t);
  const confirmationLabels = stats.confirmationTimes.map((day) => shortDate(day.date));
  const decisionsByDate = new Map(
    stats.days.map((day) => [day.date, day.approve + day.step_up + day.hold + day.decline]),
  );

  return (
    <div className="charts">
      <ChartFigure
        title={t.decisionMix}
        chart={<StackedBarChart title={t.decisionMix} labels={labels} series={barSeries} />}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t.colDate}</th>
                {outcomes.map((outcome) => (
                  <th key={outcome} scope="col" className="numeric">
                    {t.outcomes[outcome]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {stats.days.map((day) => (
                <tr key={day.date}>
                  <th scope="row">{day.date}</th>
                  {outcomes.map((outcome) => (
                    <td key={outcome} className="numeric">
                      {day[outcome]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartFigure
        title={t.holdRate}
        chart={
          <LineChart
            title={t.holdRate}
            labels={labels}
            formatY={formatPercent}
            yMaxAtLeast={0.01}
            series={[
              {
                name: t.holdRate,
                values: stats.days.map((day) => day.holdRate),
                stroke: "#8a5a00",
                dash: "",
                marker: "circle",
              },
            ]}
          />
        }
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t.colDate}</th>
                <th scope="col" className="numeric">
                  {t.holdRate}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.days.map((day) => (
                <tr key={day.date}>
                  <th scope="row">{day.date}</th>
                  <td className="numeric">{formatPercent(day.holdRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartFigure
        title={t.confirmationTime}
        chart={
          <LineChart
            title={t.confirmationTime}
            labels={confirmationLabels}
            formatY={minutes}
            yMaxAtLeast={60_000}
            series={[
              {
                name: t.median,
                values: stats.confirmationTimes.map((day) => day.medianMs),
                stroke: "#0b4f8a",
                dash: "",
                marker: "circle",
              },
              {
                name: t.p90,
                values: stats.confirmationTimes.map((day) => day.p90Ms),
                stroke: "#b00020",
                dash: "6 4",
                marker: "square",
              },
            ]}
          />
        }
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t.colDate}</th>
                <th scope="col" className="numeric">
                  {t.answered}
                </th>
                <th scope="col" className="numeric">
                  {t.median}
                </th>
                <th scope="col" className="numeric">
                  {t.p90}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.confirmationTimes.map((day) => (
                <tr key={day.date}>
                  <th scope="row">{day.date}</th>
                  <td className="numeric">{day.answered}</td>
                  <td className="numeric">{day.medianMs === null ? "—" : minutes(day.medianMs)}</td>
                  <td className="numeric">{day.p90Ms === null ? "—" : minutes(day.p90Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <section className="panel chart-panel">
        <h2>{t.ruleHitRates}</h2>
        {stats.ruleHits.length === 0 ? <p className="muted">{t.noData}</p> : null}
        <div className="small-multiples">
          {[...stats.ruleHits]
            .sort((left, right) => right.total - left.total)
            .map((rule) => {
              // A rate, not a count: a busy day should not look like a rule firing more often.
              const rates = stats.days.map((day) => {
                const decisions = decisionsByDate.get(day.date) ?? 0;
                const count = rule.byDay.find((entry) => entry.date === day.date)?.count ?? 0;
                return decisions === 0 ? null : count / decisions;
              });
              const title = `${rule.ruleId} (${t.ruleTotal(rule.total)})`;
              return (
                <ChartFigure
                  key={rule.ruleId}
                  level={3}
                  title={title}
                  chart={
                    <LineChart
                      title={`${t.ruleHitRates}: ${title}`}
                      labels={labels}
                      formatY={formatPercent}
                      yMaxAtLeast={0.01}
                      isCompact
                      series={[
                        { name: rule.ruleId, values: rates, stroke: "#0b4f8a", dash: "", marker: "circle" },
                      ]}
                    />
                  }
                  table={
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t.colDate}</th>
                          <th scope="col" className="numeric">
                            {t.hits}
                          </th>
                          <th scope="col" className="numeric">
                            %
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {stats.days.map((day, index) => {
                          const rate = rates[index] ?? null;
                          return (
                            <tr key={day.date}>
                              <th scope="row">{day.date}</th>
                              <td className="numeric">
                                {rule.byDay.find((entry) => entry.date === day.date)?.count ?? 0}
                              </td>
                              <td className="numeric">{rate === null ? "—" : formatPercent(rate)}</td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  }
                />
              );
            })}
        </div>
      </section>
    </div>
  );
}
