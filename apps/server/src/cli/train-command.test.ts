/**
 * `mimamori train`'s flags, output and artifact, run in this process with its output captured.
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulatedHistory } from "../model/history.test-support.ts";
import { modelFeatureNames, parseModelArtifact } from "../model/index.ts";
import { type Captured, runCaptured } from "./command.test-support.ts";
import { runTrain } from "./train-command.ts";

const work = mkdtempSync(join(tmpdir(), "mimamori-train-command-"));
after(() => rmSync(work, { recursive: true, force: true }));

const history = simulatedHistory(12).path;

const window = ["--train-from", "2026-01-01", "--train-to", "2026-01-10", "--label-delay-days", "3"];

const train = (args: readonly string[]): Promise<Captured> => runCaptured(runTrain, args);

/** Two trainings of one window with the default seed, one printing JSON and one readable text. */
const jsonOut = join(work, "model.json");
const readableOut = join(work, "readable.json");
const jsonRun = train(["--input", history, ...window, "--out", jsonOut, "--json"]);
const readableRun = train(["--input", history, ...window, "--out", readableOut]);

type Summary = {
  out: string;
  id: string;
  trees: number;
  training: { from: string; to: string; labelDelayDays: number; transactions: number; frauds: number };
  validation: { auc: number; averagePrecision: number; transactions: number; frauds: number };
};

test("train writes an artifact the server loads, on its feature list, and prints its summary as JSON", async () => {
  const result = await jsonRun;
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as Summary;
  const parsed = parseModelArtifact(JSON.parse(readFileSync(jsonOut, "utf8")));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  const { artifact } = parsed;
  assert.deepEqual(artifact.gbdt.featureNames, modelFeatureNames);
  assert.ok(Number.isFinite(Date.parse(artifact.trainedAt)), "trainedAt is an ISO time");
  assert.deepEqual(
    { out: summary.out, id: summary.id, trees: summary.trees, training: summary.training },
    { out: jsonOut, id: artifact.id, trees: artifact.gbdt.trees.length, training: artifact.training },
  );
  assert.deepEqual(
    {
      from: artifact.training.from,
      to: artifact.training.to,
      labelDelayDays: artifact.training.labelDelayDays,
    },
    { from: "2026-01-01", to: "2026-01-10", labelDelayDays: 3 },
  );
  assert.ok(artifact.training.transactions > artifact.training.frauds && artifact.training.frauds > 0);
  assert.deepEqual(artifact.validation, {
    auc: summary.validation.auc,
    averagePrecision: summary.validation.averagePrecision,
  });
  assert.ok(
    summary.validation.transactions > 0 && summary.validation.transactions < summary.training.transactions,
  );
  assert.match(result.stderr, /^replay /m, "the replay shows progress");
  assert.match(result.stderr, /^train .* trees /m, "the trees show progress");
  assert.deepEqual(
    readdirSync(work).filter((name) => name.endsWith(".partial")),
    [],
    "no partial file is left",
  );
});

test("training twice with one seed writes byte-identical trees under the same id", async () => {
  for (const result of [await jsonRun, await readableRun]) {
    assert.equal(result.code, 0, result.stderr);
  }
  const [first, second] = [jsonOut, readableOut].map((path) => JSON.parse(readFileSync(path, "utf8")));
  assert.equal(JSON.stringify(second.gbdt), JSON.stringify(first.gbdt));
  assert.equal(second.id, first.id);
});

test("without --json, train prints the window, the counts, the trees kept and the validation metrics", async () => {
  const result = await readableRun;
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^trained model_[0-9a-f]{16} on 2026-01-01 … 2026-01-10 \(labels known 3 days late\): [\d,]+ transactions, [\d,]+ frauds, \d+ trees kept$/m,
  );
  assert.match(
    result.stdout,
    /^validation on the latest [\d,]+ of them, [\d,]+ frauds: AUC \d\.\d{3}, average precision \d\.\d{3}$/m,
  );
  assert.match(result.stdout, new RegExp(`^wrote ${readableOut} \\(`, "m"));
});

test("bad flags, dates, windows, inputs and outputs are refused with a coded error, exit 2 and no file", async () => {
  const out = join(work, "refused.json");
  const folder = join(work, "a-folder");
  mkdirSync(folder);
  const withFlag = (flag: string, value: string): string[] => {
    const args = ["--input", history, ...window, "--out", out];
    args[args.indexOf(flag) + 1] = value;
    return args;
  };
  const cases: [string[], string][] = [
    [[...window, "--out", out], "invalid_option"],
    [["--input", history, ...window], "invalid_option"],
    [
      ["--input", history, "--train-from", "2026-01-01", "--label-delay-days", "3", "--out", out],
      "invalid_option",
    ],
    [["--input", history, ...window, "--out", out, "--bogus"], "invalid_option"],
    [["--input", history, ...window, "--out", out, "--format", "xml"], "invalid_option"],
    [["--input", history, ...window, "--out", out, "--seed", "x"], "invalid_option"],
    [withFlag("--train-to", "2026-02-30"), "invalid_option"],
    [withFlag("--train-from", "1 Jan 2026"), "invalid_option"],
    [withFlag("--label-delay-days", "-1"), "invalid_option"],
    [withFlag("--label-delay-days", "366"), "invalid_option"],
    [withFlag("--train-to", "2025-12-31"), "invalid_window"],
    [withFlag("--label-delay-days", "11"), "invalid_window"],
    [withFlag("--input", join(work, "missing.ndjson")), "input_unreadable"],
    [[...withFlag("--input", history), "--time-column", "when"], "missing_column"],
    [withFlag("--out", folder), "output_unwritable"],
    [withFlag("--out", join(work, "no-such-folder", "model.json")), "output_unwritable"],
  ];
  for (const [args, code] of cases) {
    const result = await train(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^error ${code}: `, "m"), args.join(" "));
    assert.equal(result.stdout, "", "nothing on stdout after an error");
  }
  assert.equal(existsSync(out), false, "a refused training writes no model");
});

test("a training window without fraud is refused with single_class", async () => {
  const csv = join(work, "genuine.csv");
  writeFileSync(
    csv,
    [
      "txn,when,card,yen,shop,fraud",
      "a1,2026-01-02T10:00:00+09:00,c1,1200,s1,0",
      "a2,2026-01-03T10:05:00+09:00,c2,800,s2,0",
      "a3,2026-01-04T10:06:00+09:00,c2,800,s2,0",
    ].join("\n"),
  );
  const out = join(work, "genuine.json");
  const result = await train([
    ...["--input", csv, "--id-column", "txn", "--time-column", "when", "--card-column", "card"],
    ...["--amount-column", "yen", "--merchant-column", "shop", "--label-column", "fraud"],
    ...[...window, "--out", out],
  ]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^error single_class: /m);
  assert.equal(existsSync(out), false);
});
