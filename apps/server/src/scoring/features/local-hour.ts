/**
 * Hour of day in a time zone, cheaply. `Intl.DateTimeFormat` takes microseconds per call and
 * allocates, so it runs only when the cache misses: a zone's UTC offset is cached per 15-minute
 * UTC slot. Every offset in use since 1970 is a whole multiple of 15 minutes and zones change
 * offset at local times on the quarter hour, so a UTC instant on a 15-minute boundary is where any
 * change happens: the offset is constant inside a slot and the cached value is exact.
 */
import { limits, time } from "../../config/limits.ts";
import { AssertionError, assert } from "../../platform/assert.ts";

// Read once: the hot path should not go through the config module's bindings on every call.
const { minuteMs, hourMs, dayMs } = time;
const slotMs = 15 * minuteMs;
/** Direct-mapped slots per zone: 64 consecutive slots cover 16 hours of traffic without a miss. */
const slotsPerZone = 64;

type ZoneCache = {
  readonly formatter: Intl.DateTimeFormat;
  /** The UTC slot number each entry holds, or -1 when empty. */
  readonly slots: Int32Array;
  readonly offsetsMinutes: Int16Array;
};

export type LocalHourCache = {
  /** The hour (0–23) of `timeMs` on the wall clock of `timeZone` (IANA name). */
  hourIn(timeMs: number, timeZone: string): number;
};

/** The hour (0–23) of `timeMs` on a wall clock `offsetMinutes` ahead of UTC. */
export function hourAtOffset(timeMs: number, offsetMinutes: number): number {
  const wallMs = timeMs + offsetMinutes * minuteMs;
  const msOfDay = ((wallMs % dayMs) + dayMs) % dayMs;
  return Math.floor(msOfDay / hourMs);
}

export function createLocalHourCache(): LocalHourCache {
  const zones = new Map<string, ZoneCache>();

  const zoneCacheOf = (timeZone: string): ZoneCache => {
    const known = zones.get(timeZone);
    if (known !== undefined) {
      return known;
    }
    if (zones.size >= limits.timeZonesCachedMax) {
      // Only a flood of distinct zone names gets here; starting afresh keeps memory bounded.
      zones.clear();
    }
    const zone: ZoneCache = {
      formatter: createFormatter(timeZone),
      slots: new Int32Array(slotsPerZone).fill(-1),
      offsetsMinutes: new Int16Array(slotsPerZone),
    };
    zones.set(timeZone, zone);
    return zone;
  };

  return {
    hourIn(timeMs, timeZone) {
      assert(timeMs >= 0, "times are after 1970");
      const zone = zoneCacheOf(timeZone);
      const slot = Math.floor(timeMs / slotMs);
      const entry = slot % slotsPerZone;
      if (zone.slots[entry] !== slot) {
        zone.offsetsMinutes[entry] = offsetMinutesAt(zone.formatter, slot * slotMs);
        zone.slots[entry] = slot;
      }
      return hourAtOffset(timeMs, zone.offsetsMinutes[entry] ?? 0);
    },
  };
}

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch (error) {
    // Cards are registered with a checked zone, so an unknown one here is a bug, not bad input.
    throw new AssertionError(`unknown time zone ${JSON.stringify(timeZone)}`, { cause: error });
  }
}

/** The zone's offset from UTC at `instantMs`, from the wall-clock fields Intl gives for it. */
function offsetMinutesAt(formatter: Intl.DateTimeFormat, instantMs: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(instantMs)) {
    const value = Number(part.value);
    if (part.type === "year") {
      year = value;
    } else if (part.type === "month") {
      month = value;
    } else if (part.type === "day") {
      day = value;
    } else if (part.type === "hour") {
      hour = value;
    } else if (part.type === "minute") {
      minute = value;
    }
  }
  // Whole minutes: historical offsets with seconds predate every time this engine scores.
  return Math.round((Date.UTC(year, month - 1, day, hour, minute) - instantMs) / minuteMs);
}
