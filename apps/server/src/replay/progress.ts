import { SingleBar } from "cli-progress";
import { type Clock, systemClock } from "../platform/clock.ts";

export type ProgressBarOptions = {
  label: string;
  total: number;
  stream: NodeJS.WriteStream;
  /** "bytes" prints sizes in KiB, MiB and GiB; any other word follows plain counts ("rows"). */
  unit?: string;
  /** For tests; the bar only measures elapsed time for rate and ETA. */
  clock?: Clock;
};

export type ProgressBar = {
  update(done: number): void;
  /** Draws or prints the final state and ends the line. */
  stop(): void;
};

/** A terminal redraw costs a write; ten a second looks live and costs nothing measurable. */
const redrawsPerSecondMax = 10;
/** Logs (CI, files) get a line this often instead of redraws, so they stay readable. */
const plainLineIntervalMs = 2_000;
const barWidth = 24;

function formatQuantity(value: number, unit: string): string {
  if (unit !== "bytes") {
    return Math.round(value).toLocaleString("en-US");
  }
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let scaled = value;
  let index = 0;
  while (scaled >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${index === 0 ? scaled.toFixed(0) : scaled.toFixed(1)} ${units[index]}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return "--:--";
  }
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

type ProgressState = { label: string; total: number; unit: string; done: number; elapsedMs: number };

/** One progress line: label, bar (terminals only), percentage, counts, rate and ETA. */
export function formatProgressLine(state: ProgressState, withBar: boolean): string {
  const { label, total, unit, done, elapsedMs } = state;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * barWidth);
  const bar = withBar ? ` [${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]` : "";
  const ratePerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const etaSeconds = ratePerSecond > 0 ? (total - done) / ratePerSecond : Number.POSITIVE_INFINITY;
  const suffix = unit === "bytes" ? "" : ` ${unit}`;
  const counts = `${formatQuantity(done, unit)}/${formatQuantity(total, unit)}${suffix}`;
  const rate = `${formatQuantity(ratePerSecond, unit)}${suffix}/s`;
  return `${label}${bar} ${Math.floor(fraction * 100)}% ${counts} ${rate} ETA ${formatDuration(etaSeconds)}`;
}

/**
 * A progress display for long jobs. On a terminal it is a cli-progress bar redrawn at most ten
 * times a second; elsewhere it prints a plain line every two seconds, because redraw codes turn a
 * log into noise. Rate and ETA are averages since the start.
 */
export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const clock = options.clock ?? systemClock;
  const startMs = clock.nowMs();
  const state: ProgressState = {
    label: options.label,
    total: options.total,
    unit: options.unit ?? "rows",
    done: 0,
    elapsedMs: 0,
  };
  const advance = (done: number): void => {
    state.done = done;
    state.elapsedMs = clock.nowMs() - startMs;
  };

  if (options.stream.isTTY === true) {
    const bar = new SingleBar({
      stream: options.stream,
      fps: redrawsPerSecondMax,
      format: () => formatProgressLine(state, true),
      hideCursor: false,
      clearOnComplete: false,
    });
    bar.start(options.total, 0);
    return {
      update(done) {
        advance(done);
        bar.update(done);
      },
      stop() {
        advance(state.done);
        bar.update(state.done);
        bar.stop();
      },
    };
  }

  let printedAtMs = startMs;
  const print = (): void => {
    options.stream.write(`${formatProgressLine(state, false)}\n`);
    printedAtMs = startMs + state.elapsedMs;
  };
  return {
    update(done) {
      advance(done);
      if (startMs + state.elapsedMs - printedAtMs >= plainLineIntervalMs) {
        print();
      }
    },
    stop() {
      advance(state.done);
      print();
    },
  };
}
