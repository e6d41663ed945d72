import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import { propertyParameters } from "../platform/property-parameters.ts";
import {
  describeHours,
  describeLocalTime,
  isOpenAt,
  localIsoOf,
  nextOpeningAtMs,
  type OpeningCalendar,
} from "./opening-hours.ts";
import type { OpeningHours, OpeningPeriod, Weekday } from "./registry-types.ts";

const tokyo: OpeningCalendar = { timeZone: "Asia/Tokyo", holidayCalendar: "JP", closedDates: [] };
const everyDay: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const weekdays: Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

function weekly(periods: OpeningPeriod[], publicHolidays: "open" | "closed" = "open"): OpeningHours {
  return { kind: "weekly", periods, publicHolidays };
}

const dailyCenter = weekly([{ days: everyDay, open: "09:30", close: "17:30" }]);
const weekdayDesk = weekly([{ days: weekdays, open: "09:00", close: "17:00" }], "closed");
const at = (iso: string) => Date.parse(iso);

describe("isOpenAt", () => {
  test("a line is open from its opening minute up to, not including, its closing minute (Tokyo time)", () => {
    assert.equal(isOpenAt(dailyCenter, at("2026-11-20T09:29:59.999+09:00"), tokyo), false);
    assert.equal(isOpenAt(dailyCenter, at("2026-11-20T09:30:00+09:00"), tokyo), true);
    assert.equal(isOpenAt(dailyCenter, at("2026-11-20T17:29:59.999+09:00"), tokyo), true);
    assert.equal(isOpenAt(dailyCenter, at("2026-11-20T17:30:00+09:00"), tokyo), false);
    // 00:30 UTC is 09:30 in Tokyo: the zone, not the server's clock, decides.
    assert.equal(isOpenAt(dailyCenter, at("2026-11-20T00:30:00Z"), tokyo), true);
  });

  test("a weekday line closes on a Japanese public holiday (2026-11-23) and opens the day after", () => {
    assert.equal(isOpenAt(weekdayDesk, at("2026-11-23T11:00:00+09:00"), tokyo), false);
    assert.equal(isOpenAt(weekdayDesk, at("2026-11-24T11:00:00+09:00"), tokyo), true);
    assert.equal(
      isOpenAt(weekdayDesk, at("2026-11-23T11:00:00+09:00"), { ...tokyo, holidayCalendar: "none" }),
      true,
    );
    // A line that stays open on holidays is open that Monday.
    assert.equal(isOpenAt(dailyCenter, at("2026-11-23T11:00:00+09:00"), tokyo), true);
  });

  test("the issuer's closing days close every weekly line, but not a line that is always open", () => {
    const yearEnd = { ...tokyo, closedDates: ["2026-12-31"] };
    assert.equal(isOpenAt(dailyCenter, at("2026-12-31T11:00:00+09:00"), yearEnd), false);
    assert.equal(isOpenAt({ kind: "always" }, at("2026-12-31T11:00:00+09:00"), yearEnd), true);
  });

  test("a line with unpublished hours never counts as open and has no next opening", () => {
    assert.equal(isOpenAt({ kind: "unpublished" }, at("2026-11-20T11:00:00+09:00"), tokyo), false);
    assert.equal(nextOpeningAtMs({ kind: "unpublished" }, at("2026-11-20T11:00:00+09:00"), tokyo), null);
  });
});

describe("nextOpeningAtMs", () => {
  test("an open line opens now; an always-open line has no opening to wait for", () => {
    const nowMs = at("2026-11-20T11:00:00+09:00");
    assert.equal(nextOpeningAtMs(dailyCenter, nowMs, tokyo), nowMs);
    assert.equal(nextOpeningAtMs({ kind: "always" }, nowMs, tokyo), null);
  });

  test("from Saturday night, a weekday line next opens on Tuesday when Monday is a holiday", () => {
    const next = nextOpeningAtMs(weekdayDesk, at("2026-11-21T22:00:00+09:00"), tokyo);
    assert.equal(next, at("2026-11-24T09:00:00+09:00"));
    assert.equal(localIsoOf(next ?? 0, "Asia/Tokyo"), "2026-11-24T09:00+09:00");
    assert.equal(describeLocalTime(next ?? 0, "Asia/Tokyo", "ja"), "11月24日(火) 9:00");
    assert.equal(describeLocalTime(next ?? 0, "Asia/Tokyo", "en"), "Tue 24 Nov 9:00");
  });

  test("a line closed for longer than the search bound has no next opening", () => {
    const closedDates = Array.from({ length: limits.openingSearchDaysMax + 2 }, (_, day) =>
      new Date(Date.UTC(2026, 10, 20 + day)).toISOString().slice(0, 10),
    );
    assert.equal(
      nextOpeningAtMs(dailyCenter, at("2026-11-20T18:00:00+09:00"), { ...tokyo, closedDates }),
      null,
    );
  });

  test("across the spring-forward gap, a period starting at a skipped wall time opens when the clock jumps", () => {
    const newYork: OpeningCalendar = {
      timeZone: "America/New_York",
      holidayCalendar: "none",
      closedDates: [],
    };
    const earlyHours = weekly([{ days: everyDay, open: "02:30", close: "04:00" }]);
    // On 2026-03-08 New York skips from 02:00 EST to 03:00 EDT (07:00 UTC).
    const next = nextOpeningAtMs(earlyHours, at("2026-03-08T01:50:00-05:00"), newYork);
    assert.equal(next, at("2026-03-08T07:00:00Z"));
    assert.equal(isOpenAt(earlyHours, at("2026-03-08T06:59:59Z"), newYork), false);
  });

  test("across the fall-back repeat, a period inside the repeated hour opens twice", () => {
    const newYork: OpeningCalendar = {
      timeZone: "America/New_York",
      holidayCalendar: "none",
      closedDates: [],
    };
    const repeated = weekly([{ days: everyDay, open: "01:30", close: "01:45" }]);
    // On 2026-11-01 New York repeats 01:00–02:00: first in EDT (05:00–06:00 UTC), then in EST (06:00–07:00 UTC).
    assert.equal(isOpenAt(repeated, at("2026-11-01T05:35:00Z"), newYork), true);
    assert.equal(isOpenAt(repeated, at("2026-11-01T06:35:00Z"), newYork), true);
    const next = nextOpeningAtMs(repeated, at("2026-11-01T05:50:00Z"), newYork);
    assert.equal(next, at("2026-11-01T06:30:00Z"));
  });
});

describe("describeHours", () => {
  test("hours read as a cardholder expects them, in Japanese and English", () => {
    assert.equal(describeHours({ kind: "always" }, tokyo, "ja"), "24時間365日");
    assert.equal(describeHours({ kind: "always" }, tokyo, "en"), "24 hours a day, every day");
    assert.equal(describeHours(dailyCenter, tokyo, "ja"), "毎日 9:30〜17:30");
    assert.equal(describeHours(dailyCenter, tokyo, "en"), "Every day 9:30–17:30");
    assert.equal(describeHours(weekdayDesk, tokyo, "ja"), "9:00〜17:00 (土日祝休)");
    assert.equal(
      describeHours(weekdayDesk, tokyo, "en"),
      "Weekdays 9:00–17:00, closed on weekends and public holidays",
    );
    assert.equal(describeHours({ kind: "unpublished" }, tokyo, "en"), "hours not published");
  });

  test("split days and split periods are each named, with the days a line is closed", () => {
    const hours = weekly(
      [
        { days: weekdays, open: "09:00", close: "12:00" },
        { days: weekdays, open: "13:00", close: "17:00" },
        { days: ["sat"], open: "10:00", close: "15:00" },
      ],
      "closed",
    );
    assert.equal(
      describeHours(hours, tokyo, "ja"),
      "月〜金 9:00〜12:00、13:00〜17:00、土 10:00〜15:00 (日祝休)",
    );
    assert.equal(
      describeHours(hours, tokyo, "en"),
      "Mon–Fri 9:00–12:00 and 13:00–17:00; Sat 10:00–15:00, closed on Sun and public holidays",
    );
  });

  test("holidays are not mentioned where the calendar has none, closing days are where the issuer lists some", () => {
    const none: OpeningCalendar = { ...tokyo, holidayCalendar: "none" };
    assert.equal(describeHours(weekdayDesk, none, "ja"), "9:00〜17:00 (土日休)");
    const yearEnd = { ...tokyo, closedDates: ["2026-12-31"] };
    assert.equal(describeHours(dailyCenter, yearEnd, "ja"), "毎日 9:30〜17:30 (ほか休業日あり)");
    assert.equal(
      describeHours(dailyCenter, yearEnd, "en"),
      "Every day 9:30–17:30, closed on other listed closing days",
    );
  });
});

describe("the next opening, under any hours, zone and instant (property)", () => {
  const zones = [
    "Asia/Tokyo",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
  ];
  const clock = fc
    .integer({ min: 0, max: 24 * 4 - 1 })
    .map(
      (quarter) =>
        `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`,
    );
  const period = fc
    .record({
      days: fc.uniqueArray(fc.constantFrom(...everyDay), { minLength: 1, maxLength: 7 }),
      open: clock,
      length: fc.integer({ min: 1, max: 16 * 4 }),
    })
    .map(({ days, open, length }): OpeningPeriod => {
      const closeMinute = Math.min(
        24 * 60,
        Number(open.slice(0, 2)) * 60 + Number(open.slice(3)) + length * 15,
      );
      const close = `${String(Math.floor(closeMinute / 60)).padStart(2, "0")}:${String(closeMinute % 60).padStart(2, "0")}`;
      return { days, open, close };
    });
  const startMs = at("2024-01-01T00:00:00Z");
  const endMs = at("2030-12-31T00:00:00Z");
  /** 2026's offset changes per zone: starts a day or so before them find the bugs that hide there. */
  const changes: Readonly<Record<string, readonly string[]>> = {
    "America/New_York": ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"],
    "Europe/London": ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"],
    "Australia/Lord_Howe": ["2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z"],
    "America/Santiago": ["2026-04-05T03:00:00Z", "2026-09-06T04:00:00Z"],
  };
  const anyInstant = fc.record({
    timeZone: fc.constantFrom(...zones),
    fromMs: fc.integer({ min: startMs, max: endMs }),
  });
  const nearChange = fc
    .constantFrom(
      ...Object.entries(changes).flatMap(([timeZone, instants]) =>
        instants.map((iso) => ({ timeZone, iso })),
      ),
    )
    .chain(({ timeZone, iso }) =>
      fc.record({
        timeZone: fc.constant(timeZone),
        fromMs: fc.integer({ min: at(iso) - 36 * 3_600_000, max: at(iso) + 3_600_000 }),
      }),
    );

  test("the line is open at the instant found, and at no instant between the start and it", (t) => {
    const parameters = propertyParameters(300);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    fc.assert(
      fc.property(
        fc.array(period, { minLength: 1, maxLength: 4 }),
        fc.constantFrom("open" as const, "closed" as const),
        fc.oneof(anyInstant, nearChange),
        fc.constantFrom("JP" as const, "none" as const),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (periods, publicHolidays, { timeZone, fromMs }, holidayCalendar, closedOffsets, samples) => {
          const closedDates = closedOffsets.map((days) =>
            new Date(fromMs + days * 86_400_000).toISOString().slice(0, 10),
          );
          const calendar: OpeningCalendar = { timeZone, holidayCalendar, closedDates };
          const hours = weekly(periods, publicHolidays);
          const next = nextOpeningAtMs(hours, fromMs, calendar);
          const untilMs = next ?? fromMs + limits.openingSearchDaysMax * 86_400_000;
          if (next !== null) {
            assert.ok(next >= fromMs, "the opening is not before the start");
            assert.equal(isOpenAt(hours, next, calendar), true, "open at the opening found");
            if (next > fromMs) {
              assert.equal(isOpenAt(hours, next - 1, calendar), false, "closed just before it");
            }
          }
          for (const sample of samples) {
            const sampleMs = Math.min(untilMs - 1, fromMs + Math.floor(sample * (untilMs - fromMs)));
            if (sampleMs >= fromMs) {
              assert.equal(
                isOpenAt(hours, sampleMs, calendar),
                false,
                `open earlier, at ${new Date(sampleMs).toISOString()}`,
              );
            }
          }
        },
      ),
      { ...parameters, seed },
    );
  });
});
