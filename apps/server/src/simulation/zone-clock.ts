import { assert } from "../platform/assert.ts";

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** Offsets cached before the cache is dropped: a few years of hours for a dozen zones. */
const offsetCacheEntriesMax = 200_000;

/** Local wall-clock facts about one instant in one zone. */
export type LocalTime = { hour: number; dayOfMonth: number; dayOfWeek: number; offsetMinutes: number };

/**
 * UTC offsets of the world's IANA zones, by the hour. The generator asks for an offset for every
 * row, and Intl formatting is slow, so offsets are cached per zone and UTC hour: daylight-saving
 * changes happen on whole UTC hours for every zone the world uses.
 */
export type ZoneClock = {
  readonly zones: readonly string[];
  offsetMinutesAt(zoneIndex: number, atMs: number): number;
  localTimeAt(zoneIndex: number, atMs: number): LocalTime;
  /** The zone's last local midnight at or before `atMs`. */
  localMidnightAtOrBefore(zoneIndex: number, atMs: number): number;
  /** The first instant at or after `afterMs` whose local wall time is hour:minute. */
  nextLocalTime(zoneIndex: number, afterMs: number, hour: number, minute: number): number;
};

/** The offset as the difference between the zone's wall clock and UTC, read through Intl. */
function computeOffsetMinutes(formatter: Intl.DateTimeFormat, atMs: number): number {
  const fields = new Map<string, number>();
  for (const part of formatter.formatToParts(atMs)) {
    fields.set(part.type, Number(part.value));
  }
  const wallMs = Date.UTC(
    fields.get("year") ?? 0,
    (fields.get("month") ?? 1) - 1,
    fields.get("day") ?? 1,
    fields.get("hour") ?? 0,
    fields.get("minute") ?? 0,
    fields.get("second") ?? 0,
  );
  return Math.round((wallMs - Math.floor(atMs / 1000) * 1000) / minuteMs);
}

export function createZoneClock(zones: readonly string[]): ZoneClock {
  const formatters = zones.map(
    (timeZone) =>
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      }),
  );
  const cache = new Map<number, number>();

  const offsetMinutesAt = (zoneIndex: number, atMs: number): number => {
    const key = Math.floor(atMs / hourMs) * zones.length + zoneIndex;
    const cached = cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const formatter = formatters[zoneIndex];
    assert(formatter !== undefined, `unknown zone index ${zoneIndex}`);
    const offsetMinutes = computeOffsetMinutes(formatter, atMs);
    assert(
      offsetMinutes % 60 === 0,
      `zone ${zones[zoneIndex]} has a part-hour offset; slices need whole hours`,
    );
    if (cache.size >= offsetCacheEntriesMax) {
      cache.clear();
    }
    cache.set(key, offsetMinutes);
    return offsetMinutes;
  };

  return {
    zones,
    offsetMinutesAt,
    localTimeAt(zoneIndex, atMs) {
      const offsetMinutes = offsetMinutesAt(zoneIndex, atMs);
      const wall = new Date(atMs + offsetMinutes * minuteMs);
      return {
        hour: wall.getUTCHours(),
        dayOfMonth: wall.getUTCDate(),
        dayOfWeek: wall.getUTCDay(),
        offsetMinutes,
      };
    },
    localMidnightAtOrBefore(zoneIndex, atMs) {
      const offsetMs = offsetMinutesAt(zoneIndex, atMs) * minuteMs;
      return Math.floor((atMs + offsetMs) / dayMs) * dayMs - offsetMs;
    },
    nextLocalTime(zoneIndex, afterMs, hour, minute) {
      const offsetMinutes = offsetMinutesAt(zoneIndex, afterMs);
      const wallMs = afterMs + offsetMinutes * minuteMs;
      const targetWallMs = Math.floor(wallMs / dayMs) * dayMs + hour * hourMs + minute * minuteMs;
      const toUtc = (candidateWallMs: number): number => {
        const first =
          candidateWallMs - offsetMinutesAt(zoneIndex, candidateWallMs - offsetMinutes * minuteMs) * minuteMs;
        const second = candidateWallMs - offsetMinutesAt(zoneIndex, first) * minuteMs;
        // The two agree except next to a switch. In a repeated hour both show the wall time and the
        // earlier comes first; in a skipped hour neither does, and the later one is the wall time
        // pushed past the jump (02:30 on the spring-forward night is 03:30).
        const isExact = (atMs: number): boolean =>
          atMs + offsetMinutesAt(zoneIndex, atMs) * minuteMs === candidateWallMs;
        const exact = [first, second].filter(isExact);
        return exact.length > 0 ? Math.min(...exact) : Math.max(first, second);
      };
      const sameDay = toUtc(targetWallMs);
      return sameDay >= afterMs ? sameDay : toUtc(targetWallMs + dayMs);
    },
  };
}

/** "2026-11-20T14:03:11+09:00": the instant written in the given offset's wall time. */
export function formatLocalIso(atMs: number, offsetMinutes: number): string {
  const wall = new Date(atMs + offsetMinutes * minuteMs).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, "0");
  const minutes = String(absolute % 60).padStart(2, "0");
  return `${wall}${sign}${hours}:${minutes}`;
}
