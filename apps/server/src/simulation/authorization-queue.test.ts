import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type AuthorizationQueue,
  createAuthorizationQueue,
  type PlannedAuthorization,
} from "./authorization-queue.ts";

/** Only time and identity matter to the queue; the rest of a row is carried, never read. */
function row(atMs: number, cardIndex: number): PlannedAuthorization {
  return { atMs, cardIndex } as unknown as PlannedAuthorization;
}

function drain(queue: AuthorizationQueue, beforeMs: number): PlannedAuthorization[] {
  const out: PlannedAuthorization[] = [];
  for (let planned = queue.popBefore(beforeMs); planned !== null; planned = queue.popBefore(beforeMs)) {
    out.push(planned);
  }
  return out;
}

describe("authorization queue", () => {
  test("releases rows in time order, equal times in the order they were pushed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const queue = createAuthorizationQueue();
        for (const [index, atMs] of times.entries()) {
          queue.push(row(atMs, index));
        }
        const released = drain(queue, Number.POSITIVE_INFINITY);
        const expected = times
          .map((atMs, index) => ({ atMs, index }))
          .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
        assert.deepEqual(
          released.map((planned) => planned.cardIndex),
          expected.map((entry) => entry.index),
        );
      }),
    );
  });

  test("popBefore releases only rows strictly before its bound", () => {
    const queue = createAuthorizationQueue();
    for (const [index, atMs] of [5, 10, 15].entries()) {
      queue.push(row(atMs, index));
    }
    assert.deepEqual(
      drain(queue, 10).map((planned) => planned.atMs),
      [5],
    );
    assert.deepEqual(
      drain(queue, 16).map((planned) => planned.atMs),
      [10, 15],
    );
  });

  test("refuses a row earlier than one already released, which would break time order", () => {
    const queue = createAuthorizationQueue();
    queue.push(row(100, 0));
    drain(queue, 200);
    assert.throws(() => queue.push(row(99, 1)), /breaks time order/);
    queue.push(row(100, 2));
  });
});
