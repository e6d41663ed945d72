import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, test } from "node:test";
import { createManualClock } from "../platform/clock.ts";
import { createProgressBar, formatProgressLine } from "./progress.ts";

/** A stream that records what is written; `isTTY` decides which display the bar picks. */
function captureStream(isTTY: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const stream = Object.assign(writable, { isTTY, columns: 100 }) as unknown as NodeJS.WriteStream;
  return { stream, output: () => chunks.join("") };
}

describe("progress bar", () => {
  test("a progress line shows the label, percentage, counts, rate and ETA", () => {
    const line = formatProgressLine(
      { label: "replay", total: 1_000, unit: "rows", done: 250, elapsedMs: 5_000 },
      false,
    );
    assert.equal(line, "replay 25% 250/1,000 rows 50 rows/s ETA 0:15");
  });

  test("byte counts are shown in binary units", () => {
    const line = formatProgressLine(
      { label: "read", total: 10 * 1024 * 1024, unit: "bytes", done: 5 * 1024 * 1024, elapsedMs: 2_000 },
      true,
    );
    assert.match(line, /^read \[█{12}░{12}\] 50% 5\.0 MiB\/10\.0 MiB 2\.5 MiB\/s ETA 0:02$/);
  });

  test("an unknown rate shows no ETA rather than a wrong one", () => {
    assert.match(
      formatProgressLine({ label: "x", total: 10, unit: "rows", done: 0, elapsedMs: 0 }, false),
      /ETA --:--$/,
    );
  });

  test("off a terminal it prints a plain line every two seconds and a last one at stop, without redraw codes", () => {
    const clock = createManualClock(0);
    const { stream, output } = captureStream(false);
    const bar = createProgressBar({ label: "simulate", total: 100, stream, clock });
    bar.update(10);
    clock.advanceMs(1_000);
    bar.update(20);
    assert.equal(output(), "", "nothing before two seconds");
    clock.advanceMs(1_100);
    bar.update(30);
    clock.advanceMs(500);
    bar.update(40);
    clock.advanceMs(1_500);
    bar.update(50);
    bar.stop();
    const lines = output().trimEnd().split("\n");
    assert.deepEqual(lines, [
      "simulate 30% 30/100 rows 14 rows/s ETA 0:05",
      "simulate 50% 50/100 rows 12 rows/s ETA 0:04",
      "simulate 50% 50/100 rows 12 rows/s ETA 0:04",
    ]);
    assert.ok(!output().includes("\u001b"), "no escape codes in a log");
  });

  test("on a terminal it draws a cli-progress bar in place and ends the line at stop", () => {
    const clock = createManualClock(0);
    const { stream, output } = captureStream(true);
    const bar = createProgressBar({ label: "replay", total: 4_096, unit: "bytes", stream, clock });
    clock.advanceMs(1_000);
    bar.update(2_048);
    bar.stop();
    const text = output();
    assert.ok(text.includes("\u001b["), "redraws with cursor codes");
    assert.match(text, /replay \[█+░*\] 50% 2\.0 KiB\/4\.0 KiB/);
    assert.ok(text.endsWith("\n"));
  });
});
