import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createZoneClock, formatLocalIso } from "./zone-clock.ts";

const zones = ["Asia/Tokyo", "America/New_York", "Europe/London"] as const;
const tokyo = 0;
const newYork = 1;
const london = 2;

describe("zone clock", () => {
  test("formatLocalIso writes the instant in the offset's wall time and parses back to it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: -12, max: 14 }),
        (seconds, hours) => {
          const atMs = seconds * 1000;
          const text = formatLocalIso(atMs, hours * 60);
          assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:00$/);
          assert.equal(Date.parse(text), atMs);
        },
      ),
    );
  });

  test("formatLocalIso gives the example from the specification", () => {
    assert.equal(formatLocalIso(Date.UTC(2026, 10, 20, 5, 3, 11), 540), "2026-11-20T14:03:11+09:00");
  });

  test("offsets follow daylight saving time in New York and London, and not in Tokyo", () => {
    const clock = createZoneClock(zones);
    const january = Date.UTC(2026, 0, 15, 12);
    const july = Date.UTC(2026, 6, 15, 12);
    assert.equal(clock.offsetMinutesAt(tokyo, january), 540);
    assert.equal(clock.offsetMinutesAt(tokyo, july), 540);
    assert.equal(clock.offsetMinutesAt(newYork, january), -300);
    assert.equal(clock.offsetMinutesAt(newYork, july), -240);
    assert.equal(clock.offsetMinutesAt(london, january), 0);
    assert.equal(clock.offsetMinutesAt(london, july), 60);
  });

  test("the offset changes exactly at the UTC hour of the switch (New York, 8 March 2026, 07:00 UTC)", () => {
    const clock = createZoneClock(zones);
    const switchMs = Date.UTC(2026, 2, 8, 7);
    assert.equal(clock.offsetMinutesAt(newYork, switchMs - 1), -300);
    assert.equal(clock.offsetMinutesAt(newYork, switchMs), -240);
  });

  test("a wall time that spring-forward skips lands after the jump, never an hour before it", () => {
    // Found by the property below (seed -2062648394): New York skips 02:00–03:00 on 12 March 2028.
    const clock = createZoneClock(zones);
    const atMs = clock.nextLocalTime(newYork, Date.UTC(2028, 2, 11, 7, 0, 1), 2, 0);
    assert.equal(new Date(atMs).toISOString(), "2028-03-12T07:00:00.000Z");
    assert.equal(clock.localTimeAt(newYork, atMs).hour, 3);
  });

  test("nextLocalTime returns the first matching wall time at or after the instant", () => {
    const clock = createZoneClock(zones);
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
        fc.constantFrom(tokyo, newYork, london),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (seconds, zoneIndex, hour, minute) => {
          const afterMs = seconds * 1000;
          const atMs = clock.nextLocalTime(zoneIndex, afterMs, hour, minute);
          assert.ok(atMs >= afterMs, "not before the instant");
          assert.ok(atMs < afterMs + 25 * 3_600_000, "within a day and an hour");
          const local = clock.localTimeAt(zoneIndex, atMs);
          const wall = new Date(atMs + local.offsetMinutes * 60_000);
          // A wall time skipped by a daylight-saving jump lands an hour later; every other one is exact.
          assert.ok(local.hour === hour || local.hour === (hour + 1) % 24, `${local.hour} for ${hour}`);
          assert.equal(wall.getUTCMinutes(), minute);
        },
      ),
    );
  });

  test("localMidnightAtOrBefore is a local midnight no later than the instant and less than a day before", () => {
    const clock = createZoneClock(zones);
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
        fc.constantFrom(tokyo, newYork, london),
        (seconds, zoneIndex) => {
          const atMs = seconds * 1000;
          const midnightMs = clock.localMidnightAtOrBefore(zoneIndex, atMs);
          assert.ok(midnightMs <= atMs && atMs - midnightMs < 25 * 3_600_000);
          const local = clock.localTimeAt(zoneIndex, midnightMs);
          assert.ok(local.hour === 0 || local.hour === 23 || local.hour === 1, `hour ${local.hour}`);
        },
      ),
    );
  });
});
