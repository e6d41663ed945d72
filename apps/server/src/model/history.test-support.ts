/**
 * Test support for the evaluation and training tests: the simulator's seed 9 (frauds on most
 * days), written to a temporary file and read back through the replay parser exactly as the
 * `evaluate` and `train` commands read a history, plus the default ruleset they decide with.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { isReplayRowError, type ReplayRow, readReplayInput } from "../replay/index.ts";
import { compileRulesetText, defaultRulesetText } from "../rulesets/index.ts";
import { generateIssuerHistory } from "../simulation/index.ts";

export const historyStartMs = Date.UTC(2026, 0, 1);

export function defaultRulesetForTests() {
  const compiled = compileRulesetText(defaultRulesetText);
  assert.ok(compiled.ok, "the default ruleset compiles");
  return { id: "default", version: 1, compiled: compiled.value };
}

/** A 250-cardholder issuer over `days`; the file is removed after the test file's tests. */
export function simulatedHistory(days: number) {
  const work = mkdtempSync(join(tmpdir(), "mimamori-history-"));
  after(() => rmSync(work, { recursive: true, force: true }));
  const simulated = [...generateIssuerHistory({ seed: 9, cardholders: 250, days, startMs: historyStartMs })];
  const path = join(work, "history.ndjson");
  writeFileSync(path, simulated.map((row) => JSON.stringify(row)).join("\n"));
  async function* history(
    relabel: (row: ReplayRow) => boolean | null = (row) => row.label,
  ): AsyncGenerator<ReplayRow> {
    for await (const item of readReplayInput({
      path,
      defaults: { currency: "JPY", homeCountry: "JP", timeZone: "Asia/Tokyo", channel: "pos" },
    })) {
      assert.ok(!isReplayRowError(item), "the simulator writes valid rows");
      yield { ...item, label: relabel(item) };
    }
  }
  return { simulated, history, path };
}
