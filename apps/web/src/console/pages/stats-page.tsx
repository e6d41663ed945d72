/**
 * How the platform is deciding: the decision mix per day, the share of decisions held, how long
 * cardholders take to answer a hold, and how often each rule fires. Every chart has its numbers
 * in a table below it, for screen readers and for anyone who wants the exact values.
 */
import type { StatsView } from "@mimamori/contracts";
import { type ComponentProps, type ReactNode, useId, useState } from "react";
import { type BarSeries, LineChart, type LineSeries, StackedBarChart } from "../components/charts.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { ResourceView } from "../components/notice.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
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

/** Whole percent where that is exact enough, one decimal for small or fractional values. */
function formatPercent(value: number): string {
  const percent = value * 100;
  return `${Number.isInteger(percent) || percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** Minutes, the unit an analyst thinks of answer times in; the chart is drawn in minutes too. */
function formatMinutes(t: Messages) {
  return (minutes: number) =>
    `${Number.isInteger(minutes) || minutes >= 10 ? minutes.toFixed(0) : minutes.toFixed(1)} ${t.minutes}`;
}

/** Rates: shown in percent, the axis reaching at least 1% so a quiet rule still reads as low. */
const percentAxis = { formatY: formatPercent, yMaxAtLeast: 0.01 };

function minutesOf(durationMs: number | null): number | null {
  return durationMs === null ? null : durationMs / 60_000;
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
            <TableScroll label={title}>{table}</TableScroll>
          </details>
        </figcaption>
      </figure>
    </section>
  );
}

/** A chart's numbers: one row per day, the date as the row's header, then the given columns. */
function DayTable<Day extends { date: string }>({
  days,
  columns,
}: {
  days: readonly Day[];
  columns: readonly Column<Day>[];
}) {
  const { t } = useConsole();
  return (
    <DataTable
      columns={[{ key: "date", header: t.colDate, isRowHeader: true, cell: (day) => day.date }, ...columns]}
      rows={days}
      rowKey={(day) => day.date}
    />
  );
}

/** A line chart over days, with its numbers in a day-by-day table; the labels are the dates. */
function LineFigure<Day extends { date: string }>({
  title,
  chartTitle = title,
  level = 2,
  days,
  columns,
  ...chart
}: {
  title: string;
  /** The chart's own title, where it needs more context than the heading. */
  chartTitle?: string;
  level?: 2 | 3;
  days: readonly Day[];
  columns: readonly Column<Day>[];
} & Omit<ComponentProps<typeof LineChart>, "title" | "labels">) {
  return (
    <ChartFigure
      title={title}
      level={level}
      chart={<LineChart title={chartTitle} labels={days.map((day) => shortDate(day.date))} {...chart} />}
      table={<DayTable days={days} columns={columns} />}
    />
  );
}

/** A line with the given colour, solid with round markers unless told otherwise. */
function line(
  name: string,
  values: (number | null)[],
  stroke: string,
  dash = "",
  marker: "circle" | "square" = "circle",
): LineSeries {
  return { name, values, stroke, dash, marker };
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
  const minutesOrDash = (durationMs: number | null) =>
    durationMs === null ? "—" : minutes(durationMs / 60_000);
  const holdRateSeries = [
    line(
      t.holdRate,
      stats.days.map((day) => day.holdRate),
      "#8a5a00",
    ),
  ];
  const confirmationSeries = [
    line(
      t.median,
      stats.confirmationTimes.map((day) => minutesOf(day.medianMs)),
      "#0b4f8a",
    ),
    line(
      t.p90,
      stats.confirmationTimes.map((day) => minutesOf(day.p90Ms)),
      "#b00020",
      "6 4",
      "square",
    ),
  ];
  const decisionsByDate = new Map(
    stats.days.map((day) => [day.date, day.approve + day.step_up + day.hold + day.decline]),
  );

  return (
    <div className="charts">
      <ChartFigure
        title={t.decisionMix}
        chart={<StackedBarChart title={t.decisionMix} labels={labels} series={barSeries} />}
        table={
          <DayTable
            days={stats.days}
            columns={outcomes.map(
              (outcome): Column<StatsView["days"][number]> => ({
                key: outcome,
                header: t.outcomes[outcome],
                isNumeric: true,
                cell: (day) => day[outcome],
              }),
            )}
          />
        }
      />
      <LineFigure
        title={t.holdRate}
        days={stats.days}
        {...percentAxis}
        series={holdRateSeries}
        columns={[
          { key: "rate", header: t.holdRate, isNumeric: true, cell: (day) => formatPercent(day.holdRate) },
        ]}
      />
      <LineFigure
        title={t.confirmationTime}
        days={stats.confirmationTimes}
        formatY={minutes}
        yMaxAtLeast={1}
        series={confirmationSeries}
        columns={[
          { key: "answered", header: t.answered, isNumeric: true, cell: (day) => day.answered },
          { key: "median", header: t.median, isNumeric: true, cell: (day) => minutesOrDash(day.medianMs) },
          { key: "p90", header: t.p90, isNumeric: true, cell: (day) => minutesOrDash(day.p90Ms) },
        ]}
      />
      <section className="panel chart-panel">
        <h2>{t.ruleHitRates}</h2>
        {stats.ruleHits.length === 0 ? <p className="muted">{t.noData}</p> : null}
        <div className="small-multiples">
          {[...stats.ruleHits]
            .sort((left, right) => right.total - left.total)
            .map((rule) => {
              const countOn = (date: string) => rule.byDay.find((entry) => entry.date === date)?.count ?? 0;
              // A rate, not a count: a busy day should not look like a rule firing more often.
              const rates = stats.days.map((day) => {
                const decisions = decisionsByDate.get(day.date) ?? 0;
                return decisions === 0 ? null : countOn(day.date) / decisions;
              });
              const title = `${rule.ruleId} (${t.ruleTotal(rule.total)})`;
              return (
                <LineFigure
                  key={rule.ruleId}
                  level={3}
                  title={title}
                  chartTitle={`${t.ruleHitRates}: ${title}`}
                  days={stats.days}
                  {...percentAxis}
                  isCompact
                  series={[line(rule.ruleId, rates, "#0b4f8a")]}
                  columns={[
                    { key: "hits", header: t.hits, isNumeric: true, cell: (day) => countOn(day.date) },
                    {
                      key: "rate",
                      header: "%",
                      isNumeric: true,
                      cell: (_day, index) => {
                        const rate = rates[index] ?? null;
                        return rate === null ? "—" : formatPercent(rate);
                      },
                    },
                  ]}
                />
              );
            })}
        </div>
      </section>
    </div>
  );
}
