/**
 * `mimamori train` as a user runs it: a real process on the simulator's output, and on a store
 * that recorded the same kind of history with its chargebacks imported.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { parseModelArtifact } from "../src/model/index.ts";
import { generateIssuerHistory } from "../src/simulation/index.ts";
import { openStore } from "../src/storage/index.ts";

const bin = resolve(import.meta.dirname, "../bin/mimamori.mjs");
const work = mkdtempSync(join(tmpdir(), "mimamori-train-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("train on the simulator's output writes a model artifact the server's parser accepts", () => {
  // What `mimamori simulate --seed 9 --cardholders 250 --days 12` writes, made in this process.
  const history = join(work, "history.ndjson");
  const rows = generateIssuerHistory({ seed: 9, cardholders: 250, days: 12, startMs: Date.UTC(2026, 0, 1) });
  writeFileSync(history, [...rows].map((row) => JSON.stringify(row)).join("\n"));
  const out = join(work, "model.json");

  const trained = spawnSync(
    process.execPath,
    [
      bin,
      "train",
      ...["--input", history, "--train-from", "2026-01-01", "--train-to", "2026-01-10"],
      ...["--label-delay-days", "3", "--out", out, "--json"],
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  assert.equal(trained.status, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout) as { id: string; out: string };
  const parsed = parseModelArtifact(JSON.parse(readFileSync(out, "utf8")));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  assert.deepEqual([summary.out, summary.id], [out, parsed.artifact.id]);
  assert.match(trained.stderr, /^replay /m, "the replay shows progress");
  assert.match(trained.stderr, /^train /m, "the training shows progress");
});

test("train on the store learns from the recorded decisions and the labels known by the window's end", async () => {
  const startMs = Date.UTC(2026, 0, 1);
  const rows = [...generateIssuerHistory({ seed: 5, cardholders: 120, days: 14, startMs })];
  const history = join(work, "recorded.ndjson");
  writeFileSync(history, rows.map((row) => JSON.stringify(row)).join("\n"));
  const data = join(work, "data");
  const run = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 180_000 });

  // The issuer's authorizations, decided and recorded as the server would.
  const replayed = run(["replay", "--input", history, "--data", data, "--json"]);
  assert.equal(replayed.status, 0, replayed.stderr);
  // Each fraud's chargeback arrives three days after its payment.
  const labelDelayMs = 3 * 86_400_000;
  const frauds = rows.filter((row) => row.isFraud);
  const labels = join(work, "chargebacks.ndjson");
  writeFileSync(
    labels,
    frauds
      .map((row) => {
        const knownAt = new Date(Date.parse(row.occurredAt) + labelDelayMs).toISOString();
        return JSON.stringify({ id: row.id, label: "fraud", knownAt });
      })
      .join("\n"),
  );
  const imported = run([
    "import-labels",
    "--input",
    labels,
    "--data",
    data,
    "--source",
    "chargeback",
    "--json",
  ]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.deepEqual(JSON.parse(imported.stdout).counts, { recorded: frauds.length });

  const out = join(work, "store-model.json");
  const window = ["--train-from", "2026-01-01", "--train-to", "2026-01-12"];
  // While a server holds the directory, the commands that open it are refused and change nothing.
  const server = await openStore({ kind: "pglite", dataDir: data, inWorker: true });
  try {
    const decisionsBefore = await server.countDecisions();
    for (const args of [
      ["train", "--data", data, ...window, "--out", out],
      ["import-labels", "--input", labels, "--data", data, "--source", "chargeback"],
      ["replay", "--input", history, "--data", data],
    ]) {
      const refused = run(args);
      assert.equal(refused.status, 1, args[0]);
      assert.match(refused.stderr, /^error data_dir_in_use: .* is in use by process \d+ on /m, args[0]);
    }
    assert.equal(await server.countDecisions(), decisionsBefore);
    assert.equal(existsSync(out), false);
  } finally {
    await server.close();
  }
  const trained = run([
    "train",
    "--data",
    data,
    ...window,
    "--genuine-after-days",
    "3",
    "--out",
    out,
    "--json",
  ]);
  assert.equal(trained.status, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout) as {
    rows: { labelled: number; read: number };
    training: unknown;
  };
  const windowEndMs = Date.UTC(2026, 0, 13);
  const knownByEnd = frauds.filter((row) => {
    const occurredAtMs = Date.parse(row.occurredAt);
    return occurredAtMs < windowEndMs && occurredAtMs + labelDelayMs <= windowEndMs;
  });
  assert.equal(
    summary.rows.labelled,
    knownByEnd.length,
    "exactly the chargebacks known when the window closed",
  );
  assert.ok(knownByEnd.length < frauds.length, "some chargebacks came too late to be trained on");
  const parsed = parseModelArtifact(JSON.parse(readFileSync(out, "utf8")));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  assert.deepEqual(parsed.artifact.training, summary.training);
  assert.equal(parsed.artifact.training.labelDelayDays, null, "the store's labels carry their own times");
  assert.match(trained.stderr, /^decisions /m, "reading the decisions shows progress");

  // A history file's delay means nothing to the store's labels: refused, not ignored.
  const mixed = run(["train", "--data", data, ...window, "--label-delay-days", "3", "--out", out]);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /^error invalid_option: --label-delay-days is for a history file/m);
});
