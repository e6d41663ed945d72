/**
 * The `mimamori` command as a user runs it: a real process, real files, real ports.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { freePort } from "./processes.ts";

const bin = resolve(import.meta.dirname, "../bin/mimamori.mjs");
const work = mkdtempSync(join(tmpdir(), "mimamori-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

function mimamori(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
}

/** A small seeded history: the same arguments each time, so two runs must agree. */
function simulate(out: string) {
  return mimamori(["simulate", "--seed", "3", "--cardholders", "40", "--days", "10", "--out", out]);
}

test("simulate writes a seeded history that replay scores with outcome counts and labels", () => {
  const out = join(work, "history.ndjson");
  const simulated = simulate(out);
  assert.equal(simulated.status, 0, simulated.stderr);
  const summary = JSON.parse(simulated.stdout) as { rows: number; frauds: number };
  assert.ok(summary.rows > 500);
  assert.ok(summary.frauds > 0);
  const again = simulate(`${out}.2`);
  assert.equal(
    again.stdout.replace(`${out}.2`, out),
    simulated.stdout,
    "the same seed gives the same history",
  );

  const replayed = mimamori(["replay", "--input", out, "--json"]);
  assert.equal(replayed.status, 0, replayed.stderr);
  const result = JSON.parse(replayed.stdout) as {
    rows: number;
    outcomes: Record<string, number>;
    labelled: { fraud: number; fraudStopped: number };
  };
  assert.equal(result.rows, summary.rows);
  const total = Object.values(result.outcomes).reduce((sum, n) => sum + n, 0);
  assert.equal(total, summary.rows);
  assert.equal(result.labelled.fraud, summary.frauds);
  assert.ok(result.labelled.fraudStopped > 0, "the default ruleset stops some labelled fraud");
  assert.match(replayed.stderr, /replay/, "progress is shown");
});

test("replay reads CSV with column-mapping flags and counts bad rows instead of stopping", () => {
  const csv = join(work, "history.csv");
  writeFileSync(
    csv,
    [
      "txn,when,card,yen,shop",
      "a1,2026-11-01T10:00:00+09:00,c1,1200,s1",
      "a2,2026-11-01T10:05:00+09:00,c1,not-a-number,s1",
      "a3,2026-11-01T10:06:00+09:00,c2,800,s2",
    ].join("\n"),
  );
  const replayed = mimamori([
    "replay",
    "--input",
    csv,
    "--id-column",
    "txn",
    "--time-column",
    "when",
    "--card-column",
    "card",
    "--amount-column",
    "yen",
    "--merchant-column",
    "shop",
    "--json",
  ]);
  assert.equal(replayed.status, 0, replayed.stderr);
  const result = JSON.parse(replayed.stdout) as { rows: number; errors: Record<string, number> };
  assert.equal(result.rows, 2);
  assert.equal(result.errors.invalid_amount, 1);
  const missing = mimamori(["replay", "--input", csv]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error missing_column/m);
});

test("unknown commands and options exit 2 with a coded message", () => {
  const unknown = mimamori(["fly"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /error unknown_command/);
  const badOption = mimamori(["simulate", "--seed", "x", "--out", join(work, "x")]);
  assert.equal(badOption.status, 2);
  assert.match(badOption.stderr, /error invalid_option/);
});

test("serve starts on the embedded store, seeds the demo issuer, answers health and stops cleanly", async () => {
  const port = await freePort();
  const dataDir = join(work, "data");
  const server = spawn(process.execPath, [bin, "serve", "--port", String(port), "--data", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  try {
    let health: { status?: string; cards?: number } = {};
    for (let attempt = 0; attempt < 120 && health.status !== "ok"; attempt++) {
      await new Promise((done) => setTimeout(done, 500));
      health = await fetch(`http://127.0.0.1:${port}/v1/health`).then(
        (response) => response.json() as Promise<typeof health>,
        () => ({}),
      );
    }
    assert.equal(health.status, "ok");
    assert.ok((health.cards ?? 0) > 0, "the demo issuer has cards");
    assert.match(output, /mk_[0-9a-f]{64}/, "the first start prints the API key");
    assert.ok(existsSync(join(dataDir, "secrets.json")));
  } finally {
    server.kill("SIGTERM");
  }
  const code = await new Promise((done) => server.once("exit", done));
  assert.equal(code, 0);
});
