/**
 * `mimamori evaluate`'s flags and output, run in this process with its output captured.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulatedHistory } from "../model/history.test-support.ts";
import { type Captured, runCaptured } from "./command.test-support.ts";
import { runEvaluate } from "./evaluate-command.ts";

const work = mkdtempSync(join(tmpdir(), "mimamori-evaluate-command-"));
after(() => rmSync(work, { recursive: true, force: true }));

const history = simulatedHistory(18).path;

const windows = [
  ...["--train-from", "2026-01-01", "--train-to", "2026-01-10", "--label-delay-days", "3"],
  ...["--test-from", "2026-01-14", "--test-to", "2026-01-17"],
];

const evaluate = (args: readonly string[]): Promise<Captured> => runCaptured(runEvaluate, args);

test("bad flags, dates, windows and files are refused with a coded error and exit 2", async () => {
  const withWindow = (flag: string, value: string): string[] => {
    const args = [...windows];
    args[args.indexOf(flag) + 1] = value;
    return args;
  };
  const cases: [string[], string][] = [
    [windows, "invalid_option"],
    [["--input", history, "--test-to", "2026-01-17"], "invalid_option"],
    [["--input", history, ...windows, "--bogus"], "invalid_option"],
    [["--input", history, ...withWindow("--test-to", "2026-02-30")], "invalid_option"],
    [["--input", history, ...withWindow("--train-from", "1 Jan 2026")], "invalid_option"],
    [["--input", history, ...withWindow("--label-delay-days", "-1")], "invalid_option"],
    [["--input", history, ...withWindow("--label-delay-days", "366")], "invalid_option"],
    [["--input", history, ...windows, "--format", "xml"], "invalid_option"],
    [["--input", history, ...windows, "--seed", "x"], "invalid_option"],
    [["--input", history, ...withWindow("--train-to", "2026-01-14")], "invalid_window"],
    [["--input", history, ...withWindow("--test-to", "2026-01-13")], "invalid_window"],
    [["--input", history, ...withWindow("--label-delay-days", "14")], "invalid_window"],
    [["--input", join(work, "missing.ndjson"), ...windows], "input_unreadable"],
    [["--input", history, ...windows, "--time-column", "when"], "missing_column"],
  ];
  for (const [args, code] of cases) {
    const result = await evaluate(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^error ${code}: `, "m"), args.join(" "));
    assert.equal(result.stdout, "", "nothing on stdout after an error");
  }
});

test("a training window without fraud is refused with single_class", async () => {
  const csv = join(work, "genuine.csv");
  writeFileSync(
    csv,
    [
      "txn,when,card,yen,shop,fraud",
      "a1,2026-01-02T10:00:00+09:00,c1,1200,s1,0",
      "a2,2026-01-03T10:05:00+09:00,c2,800,s2,0",
      "a3,2026-01-15T10:06:00+09:00,c2,800,s2,1",
    ].join("\n"),
  );
  const result = await evaluate([
    ...["--input", csv, "--id-column", "txn", "--time-column", "when", "--card-column", "card"],
    ...["--amount-column", "yen", "--merchant-column", "shop", "--label-column", "fraud"],
    ...windows,
  ]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^error single_class: /m);
});

test("without --json, evaluate prints one readable line per model, the ruleset and the ceiling", async () => {
  const result = await evaluate(["--input", history, ...windows]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n");
  for (const name of [
    "model",
    "logistic regression",
    "random forest",
    "rules (default)",
    "rules and model",
  ]) {
    const line = lines.find((candidate) => candidate.startsWith(`${name} `));
    assert.ok(line !== undefined, name);
    assert.match(line, /( +(\d\.\d{3}|–)){3}$/, line);
  }
  assert.match(result.stdout, /^trained on 2026-01-01 … 2026-01-10: \d+ transactions, \d+ frauds/m);
  assert.match(result.stdout, /ceiling \(a perfect ranking\)/);
});
