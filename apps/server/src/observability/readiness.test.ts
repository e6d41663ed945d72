import assert from "node:assert/strict";
import { test } from "node:test";
import { createReadiness } from "./readiness.ts";

const never = () => new Promise<never>(() => {});

test("readiness names the failing and the hung check, and still reports the ones that answer", async () => {
  const failures: string[] = [];
  const readiness = createReadiness({
    checks: [
      { name: "store", check: async () => null },
      { name: "redis", check: () => Promise.reject(new Error("ECONNREFUSED")) },
      { name: "slow", check: never },
    ],
    timeoutMs: 20,
    onCheckFailed: (name) => failures.push(name),
  });
  assert.deepEqual(await readiness.ready(), {
    ready: false,
    code: "not_ready",
    failing: ["redis", "slow"],
    checks: { store: "ok", redis: "failed", slow: "timed_out" },
  });
  assert.deepEqual(failures.sort(), ["redis", "slow"], "every failure is reported for the log");
});

test("a process is ready when every check answers, and answers draining once a stop begins", async () => {
  let calls = 0;
  const readiness = createReadiness({
    checks: [{ name: "store", check: async () => calls++ }],
    timeoutMs: 1_000,
    onCheckFailed: () => assert.fail("no check fails"),
  });
  assert.deepEqual(await readiness.ready(), { ready: true, checks: { store: "ok" } });
  assert.equal(readiness.isDraining(), false);
  readiness.beginDrain();
  assert.equal(readiness.isDraining(), true);
  assert.deepEqual(await readiness.ready(), { ready: false, code: "draining", failing: [], checks: {} });
  assert.equal(calls, 1, "a draining process does not touch the store it is closing");
});
