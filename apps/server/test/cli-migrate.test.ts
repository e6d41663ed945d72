/**
 * `mimamori migrate` as an operator runs it before a rollout: a real process against the machine's
 * PostgreSQL (see services.ts). The tests that need the server are skipped without it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { test } from "node:test";
import { freshPostgresDatabase } from "./services.ts";

const bin = resolve(import.meta.dirname, "../bin/mimamori.mjs");
const service = await freshPostgresDatabase("cli_migrate");

/** The command with MIMAMORI_DATABASE_URL set to `databaseUrl`, or unset when it is null. */
function mimamori(args: string[], databaseUrl: string | null) {
  const { MIMAMORI_DATABASE_URL: _inherited, ...env } = process.env;
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: databaseUrl === null ? env : { ...env, MIMAMORI_DATABASE_URL: databaseUrl },
  });
}

test("migrate applies the pending migrations once, then says the database is up to date", {
  skip: service.ok ? false : service.skip,
}, () => {
  assert(service.ok, "skipped without PostgreSQL");
  const first = mimamori(["migrate", "--database-url", service.value.url], null);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(
    first.stdout,
    "applied 0001_init\napplied 0002_confirmation_loop\napplied 0003_step_up\napplied 0004_change_following\n",
  );
  // The second run reads the URL from the environment, as a deployment job sets it.
  const second = mimamori(["migrate"], service.value.url);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, "up to date\n");
});

test("migrate without a database URL or with an unreachable server prints a coded error", () => {
  const missing = mimamori(["migrate"], null);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error database_url_missing: /);

  // Port 1 is reserved and never has a PostgreSQL listening.
  const unreachable = mimamori(
    ["migrate", "--database-url", "postgres://mimamori:secret@127.0.0.1:1/x"],
    null,
  );
  assert.equal(unreachable.status, 1);
  assert.match(unreachable.stderr, /^error database_unreachable: PostgreSQL at 127\.0\.0\.1:1\/x: /);
  assert.doesNotMatch(unreachable.stderr, /secret/, "the password is never printed");
  assert.doesNotMatch(unreachable.stderr, /\n {4}at /, "no stack trace");

  const invalid = mimamori(["migrate", "--database-url", "mysql://db/x"], null);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /^error invalid_database_url: /);
});
