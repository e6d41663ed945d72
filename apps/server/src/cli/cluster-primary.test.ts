import assert from "node:assert/strict";
import { test } from "node:test";
import { limits } from "../config/limits.ts";
import { isStopMessage, restartDelayMs } from "./cluster-primary.ts";

test("a process that keeps dying is restarted after a doubling delay, capped at the longest", () => {
  assert.equal(restartDelayMs(1), limits.processRestartDelayMsMin);
  assert.equal(restartDelayMs(2), 2 * limits.processRestartDelayMsMin);
  assert.equal(restartDelayMs(3), 4 * limits.processRestartDelayMsMin);
  assert.equal(restartDelayMs(1_000), limits.processRestartDelayMsMax, "no overflow past the cap");
  assert.throws(() => restartDelayMs(0), /a restart follows at least one failure/);
});

test("a child takes only the primary's stop message for a stop", () => {
  assert.ok(isStopMessage({ kind: "stop", signal: "SIGTERM" }));
  assert.ok(!isStopMessage({ kind: "started" }));
  assert.ok(!isStopMessage({ kind: "stop" }));
  assert.ok(!isStopMessage("stop"));
  assert.ok(!isStopMessage(null));
});
