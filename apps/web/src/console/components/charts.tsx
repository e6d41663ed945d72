/**
 * Hand-written SVG charts. Each is an image with a title for assistive technology; the numbers
 * are in a table beside it (see the stats page). Series differ by pattern or dash as well as by
 * colour, and the legend names them, so no reading depends on colour alone.
 */
import { type ReactNode, useId } from "react";

const margin = { top: 12, right: 12, bottom: 36, left: 64 };

/** The drawing's size in SVG units; a compact chart is drawn smaller so its text stays legible when shrunk. */
type Frame = { widthPx: number; heightPx: number; plotWidthPx: number; plotHeightPx: number };

function frameOf(isCompact: boolean): Frame {
  const widthPx = isCompact ? 360 : 640;
  const heightPx = isCompact ? 200 : 240;
  return {
    widthPx,
    heightPx,
    plotWidthPx: widthPx - margin.left - margin.right,
    plotHeightPx: heightPx - margin.top - margin.bottom,
  };
}

const tickCount = 4;

export type BarSeries = {
  name: string;
  values: number[];
  fill: string;
  pattern: "solid" | "stripes" | "dots" | "cross";
};
export type LineSeries = {
  name: string;
  values: (number | null)[];
  stroke: string;
  dash: string;
  marker: "circle" | "square";
};

/**
 * The axis end: four ticks of a tidy step (1, 2, 2.5 or 5 times a power of ten), so tick labels
 * are round. Whole-number data skips 2.5, which would only print repeated rounded labels.
 */
function niceMax(value: number, minStep: number, isWholeNumbers: boolean): number {
  const rawStep = Math.max(value / tickCount, minStep, Number.MIN_VALUE);
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const candidates = isWholeNumbers && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = candidates.find((candidate) => candidate * power >= rawStep) ?? 10;
  return step * power * tickCount;
}

/** Shows every label when there is room, else every second or third, so they never overlap. */
function labelStep(count: number, frame: Frame): number {
  return Math.max(1, Math.ceil(count / (frame.widthPx / 64)));
}

function Axes({
  frame,
  labels,
  yMax,
  formatY,
  xOf,
}: {
  frame: Frame;
  labels: string[];
  yMax: number;
  formatY: (value: number) => string;
  xOf: (index: number) => number;
}) {
  const { widthPx, heightPx, plotHeightPx } = frame;
  const ticks = Array.from({ length: tickCount + 1 }, (_, index) => (index / tickCount) * yMax);
  const step = labelStep(labels.length, frame);
  return (
    <g className="chart-axes">
      {ticks.map((tick) => {
        const y = margin.top + plotHeightPx - (tick / yMax) * plotHeightPx;
        return (
          <g key={tick}>
            <line x1={margin.left} x2={widthPx - margin.right} y1={y} y2={y} className="chart-grid" />
            <text x={margin.left - 6} y={y + 4} textAnchor="end" className="chart-label">
              {formatY(tick)}
            </text>
          </g>
        );
      })}
      {labels.map((label, index) =>
        index % step === 0 ? (
          <text
            key={label}
            x={xOf(index)}
            y={heightPx - margin.bottom + 16}
            textAnchor="middle"
            className="chart-label"
          >
            {label}
          </text>
        ) : null,
      )}
      <line
        x1={margin.left}
        x2={widthPx - margin.right}
        y1={margin.top + plotHeightPx}
        y2={margin.top + plotHeightPx}
        className="chart-axis"
      />
    </g>
  );
}

function PatternDefs({ id, series }: { id: string; series: BarSeries[] }) {
  return (
    <defs>
      {series.map((entry, index) => (
        <pattern key={entry.name} id={`${id}-p${index}`} width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill={entry.fill} />
          {entry.pattern === "stripes" ? (
            <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" strokeWidth="2" />
          ) : null}
          {entry.pattern === "dots" ? <circle cx="4" cy="4" r="1.6" fill="#fff" /> : null}
          {entry.pattern === "cross" ? (
            <path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" strokeWidth="1.5" />
          ) : null}
        </pattern>
      ))}
    </defs>
  );
}

function Legend({ items }: { items: { name: string; swatch: ReactNode }[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.name}>
          <svg width="28" height="14" aria-hidden="true" focusable="false">
            {item.swatch}
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

export function StackedBarChart({
  title,
  labels,
  series,
}: {
  title: string;
  labels: string[];
  series: BarSeries[];
}) {
  const id = useId().replaceAll(":", "");
  const frame = frameOf(false);
  const { widthPx, heightPx, plotWidthPx, plotHeightPx } = frame;
  const totals = labels.map((_, index) => series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0));
  // Counts are whole numbers, so a tick step below one would only repeat labels.
  const yMax = niceMax(Math.max(0, ...totals), 1, true);
  const slotPx = plotWidthPx / Math.max(1, labels.length);
  const barPx = Math.max(2, slotPx * 0.7);
  const xOf = (index: number) => margin.left + slotPx * index + slotPx / 2;
  const yOf = (value: number) => margin.top + plotHeightPx - (value / yMax) * plotHeightPx;
  return (
    <>
      <svg
        viewBox={`0 0 ${widthPx} ${heightPx}`}
        className="chart"
        role="img"
        aria-labelledby={`${id}-title`}
      >
        <title id={`${id}-title`}>{title}</title>
        <PatternDefs id={id} series={series} />
        <Axes
          frame={frame}
          labels={labels}
          yMax={yMax}
          formatY={(value) => String(Math.round(value))}
          xOf={xOf}
        />
        {labels.map((label, index) => {
          let base = 0;
          return (
            <g key={label}>
              {series.map((entry, seriesIndex) => {
                const value = entry.values[index] ?? 0;
                const top = yOf(base + value);
                const bottom = yOf(base);
                base += value;
                return value === 0 ? null : (
                  <rect
                    key={entry.name}
                    x={xOf(index) - barPx / 2}
                    y={top}
                    width={barPx}
                    height={Math.max(0, bottom - top)}
                    fill={`url(#${id}-p${seriesIndex})`}
                    stroke="#fff"
                    strokeWidth="0.5"
                  >
                    <title>{`${label} ${entry.name}: ${value}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Legend
        items={series.map((entry, index) => ({
          name: entry.name,
          swatch: (
            <>
              <PatternDefs id={`${id}-legend${index}`} series={[entry]} />
              <rect width="28" height="14" fill={`url(#${id}-legend${index}-p0)`} />
            </>
          ),
        }))}
      />
    </>
  );
}

function Marker({ kind, x, y, color }: { kind: LineSeries["marker"]; x: number; y: number; color: string }) {
  return kind === "circle" ? (
    <circle cx={x} cy={y} r="3.5" fill={color} />
  ) : (
    <rect x={x - 3.5} y={y - 3.5} width="7" height="7" fill={color} />
  );
}

/** Draws each run of known values as one path, leaving a gap where a day has no value. */
function pathsOf(
  values: (number | null)[],
  xOf: (index: number) => number,
  yOf: (value: number) => number,
): string[] {
  const paths: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null) {
      if (current !== "") {
        paths.push(current);
      }
      current = "";
      return;
    }
    current += `${current === "" ? "M" : "L"}${xOf(index).toFixed(1)},${yOf(value).toFixed(1)}`;
  });
  if (current !== "") {
    paths.push(current);
  }
  return paths;
}

export function LineChart({
  title,
  labels,
  series,
  formatY,
  yMaxAtLeast = 0,
  isCompact = false,
}: {
  title: string;
  labels: string[];
  series: LineSeries[];
  formatY: (value: number) => string;
  yMaxAtLeast?: number;
  isCompact?: boolean;
}) {
  const id = useId().replaceAll(":", "");
  const frame = frameOf(isCompact);
  const { widthPx, heightPx, plotWidthPx, plotHeightPx } = frame;
  const known = series.flatMap((entry) => entry.values.filter((value): value is number => value !== null));
  const yMax = niceMax(Math.max(yMaxAtLeast, ...known), yMaxAtLeast / tickCount, false);
  const slotPx = plotWidthPx / Math.max(1, labels.length);
  const xOf = (index: number) => margin.left + slotPx * index + slotPx / 2;
  const yOf = (value: number) => margin.top + plotHeightPx - (value / yMax) * plotHeightPx;
  return (
    <>
      <svg
        viewBox={`0 0 ${widthPx} ${heightPx}`}
        className={isCompact ? "chart chart-compact" : "chart"}
        role="img"
        aria-labelledby={`${id}-title`}
      >
        <title id={`${id}-title`}>{title}</title>
        <Axes frame={frame} labels={labels} yMax={yMax} formatY={formatY} xOf={xOf} />
        {series.map((entry) => (
          <g key={entry.name}>
            {pathsOf(entry.values, xOf, yOf).map((path) => (
              <path
                key={path}
                d={path}
                fill="none"
                stroke={entry.stroke}
                strokeWidth="2.5"
                strokeDasharray={entry.dash}
              />
            ))}
            {entry.values.map((value, index) =>
              value === null ? null : (
                // biome-ignore lint/suspicious/noArrayIndexKey: one marker per day, in day order
                <g key={index}>
                  <title>{`${labels[index] ?? ""} ${entry.name}: ${formatY(value)}`}</title>
                  <Marker kind={entry.marker} x={xOf(index)} y={yOf(value)} color={entry.stroke} />
                </g>
              ),
            )}
          </g>
        ))}
      </svg>
      {series.length > 1 ? (
        <Legend
          items={series.map((entry) => ({
            name: entry.name,
            swatch: (
              <>
                <line
                  x1="0"
                  x2="28"
                  y1="7"
                  y2="7"
                  stroke={entry.stroke}
                  strokeWidth="2.5"
                  strokeDasharray={entry.dash}
                />
                <Marker kind={entry.marker} x={14} y={7} color={entry.stroke} />
              </>
            ),
          }))}
        />
      ) : null}
    </>
  );
}
