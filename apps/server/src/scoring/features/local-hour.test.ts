import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createLocalHourCache, hourAtOffset } from "./local-hour.ts";
import { propertyParameters } from "./test-support.ts";

const at = (iso: string) => Date.parse(iso);

test("New York's hour jumps from 1 to 3 when DST starts and repeats 1 when it ends", () => {
  const hours = createLocalHourCache();
  const zone = "America/New_York";
  // 2024-03-10: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
  assert.equal(hours.hourIn(at("2024-03-10T06:59:59Z"), zone), 1);
  assert.equal(hours.hourIn(at("2024-03-10T07:00:00Z"), zone), 3);
  // 2024-11-03: 02:00 EDT becomes 01:00 EST at 06:00 UTC.
  assert.equal(hours.hourIn(at("2024-11-03T05:59:59Z"), zone), 1);
  assert.equal(hours.hourIn(at("2024-11-03T06:00:00Z"), zone), 1);
  assert.equal(hours.hourIn(at("2024-11-03T07:00:00Z"), zone), 2);
});

test("Tokyo is UTC+9 all year", () => {
  const hours = createLocalHourCache();
  assert.equal(hours.hourIn(at("2024-01-15T18:30:00Z"), "Asia/Tokyo"), 3);
  assert.equal(hours.hourIn(at("2024-07-15T18:30:00Z"), "Asia/Tokyo"), 3);
  assert.equal(hours.hourIn(at("2024-07-15T14:59:59Z"), "Asia/Tokyo"), 23);
});

test("the merchant's hour comes from the offset written in occurredAt, such as +05:30", () => {
  // 2024-06-01T03:45:00+05:30 is 2024-05-31T22:15:00Z.
  assert.equal(hourAtOffset(at("2024-05-31T22:15:00Z"), 330), 3);
  assert.equal(hourAtOffset(at("2024-05-31T22:15:00Z"), -240), 18);
  assert.equal(hourAtOffset(at("2024-05-31T22:15:00Z"), 0), 22);
});

test("the cached hour equals a fresh Intl reading at any instant, in zones with odd offsets and DST", () => {
  const hours = createLocalHourCache();
  const zones = ["America/New_York", "Asia/Tokyo", "Asia/Kathmandu", "Australia/Lord_Howe", "Europe/London"];
  const formatters = zones.map(
    (timeZone) => new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "numeric" }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: at("2020-01-01T00:00:00Z"), max: at("2030-12-31T00:00:00Z") }),
      fc.nat(zones.length - 1),
      (timeMs, zoneIndex) => {
        const zone = zones[zoneIndex] ?? "UTC";
        const expected = Number(formatters[zoneIndex]?.format(timeMs));
        assert.equal(hours.hourIn(timeMs, zone), expected, `${zone} at ${new Date(timeMs).toISOString()}`);
      },
    ),
    { ...propertyParameters, numRuns: 2_000 },
  );
});

test("the cached hour equals a fresh Intl reading around DST changes, whole-hour and half-hour", () => {
  const hours = createLocalHourCache();
  const changes = [
    { zone: "America/New_York", atMs: at("2024-03-10T07:00:00Z") },
    { zone: "America/New_York", atMs: at("2024-11-03T06:00:00Z") },
    { zone: "Europe/London", atMs: at("2024-03-31T01:00:00Z") },
    { zone: "Europe/London", atMs: at("2024-10-27T01:00:00Z") },
    { zone: "Australia/Lord_Howe", atMs: at("2024-04-06T15:00:00Z") },
    { zone: "Australia/Lord_Howe", atMs: at("2024-10-05T15:30:00Z") },
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...changes),
      fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }),
      ({ zone, atMs }, offsetMs) => {
        const timeMs = atMs + offsetMs;
        const formatter = new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          hourCycle: "h23",
          hour: "numeric",
        });
        assert.equal(hours.hourIn(timeMs, zone), Number(formatter.format(timeMs)), `${zone} at ${timeMs}`);
      },
    ),
    { ...propertyParameters, numRuns: 1_000 },
  );
});

test("an unknown time zone is a bug, since cards are registered with a checked one", () => {
  assert.throws(() => createLocalHourCache().hourIn(0, "Mars/Olympus_Mons"), /unknown time zone/);
});
