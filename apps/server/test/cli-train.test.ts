/**
 * `mimamori train` as a user runs it: a real process on the simulator's output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { parseModelArtifact } from "../src/model/index.ts";
import { generateIssuerHistory } from "../src/simulation/index.ts";

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
