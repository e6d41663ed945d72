/**
 * Opening hours in the issuer's time zone: is a line open at an instant, when does it next open,
 * and how to say its hours in words. Local time comes from Intl for the zone, so daylight-saving
 * changes fall where the zone's rules put them; weekly lines close on the issuer's public
 * holidays (Japan's from @holiday-jp/holiday_jp) and on its extra closing days.
 */
import holidayJp from "@holiday-jp/holiday_jp";
import { limits, time } from "../config/limits.ts";
import { AssertionError, assert } from "../platform/assert.ts";
import type { ContactRegistry, OpeningHours, OpeningPeriod, Weekday } from "./registry-types.ts";
import type { Language } from "./signal.ts";

const { minuteMs, dayMs } = time;
const minutesPerDay = 24 * 60;

/** The part of the registry's issuer that opening hours depend on. */
export type OpeningCalendar = Pick<ContactRegistry["issuer"], "timeZone" | "holidayCalendar" | "closedDates">;

/** Wall-clock facts of one instant in one zone. */
export type LocalTime = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** YYYY-MM-DD, the key of holidays and closing days. */
  readonly date: string;
  readonly weekday: Weekday;
  readonly minuteOfDay: number;
  /** How far the zone's clock is ahead of UTC at this instant. */
  readonly offsetMinutes: number;
};

const weekdays: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const weekOrder: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known !== undefined) {
    return known;
  }
  if (formatters.size >= limits.timeZonesCachedMax) {
    formatters.clear();
  }
  try {
    const formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, formatter);
    return formatter;
  } catch (error) {
    // The registry's zone was checked when it was loaded: an unknown one here is a bug.
    throw new AssertionError(`unknown time zone ${JSON.stringify(timeZone)}`, { cause: error });
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

function floorMod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

export function localTimeAt(atMs: number, timeZone: string): LocalTime {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of formatterOf(timeZone).formatToParts(atMs)) {
    if (part.type in fields) {
      fields[part.type as keyof typeof fields] = Number(part.value);
    }
  }
  const { year, month, day, minute } = fields;
  // Some engines once wrote midnight as 24 even with h23; it is the start of the same day.
  const hour = fields.hour === 24 ? 0 : fields.hour;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  return {
    year,
    month,
    day,
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    weekday: weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? "sun",
    minuteOfDay: hour * 60 + minute,
    // Every offset in use today is whole minutes, so the wall clock and the instant differ by it exactly.
    offsetMinutes: Math.round((wallMs - (atMs - floorMod(atMs, minuteMs))) / minuteMs),
  };
}

/** The instant as a local ISO 8601 time with its offset: "2026-11-24T09:30+09:00". */
export function localIsoOf(atMs: number, timeZone: string): string {
  const local = localTimeAt(atMs, timeZone);
  const sign = local.offsetMinutes < 0 ? "-" : "+";
  const offset = Math.abs(local.offsetMinutes);
  const clock = `${pad(Math.floor(local.minuteOfDay / 60))}:${pad(local.minuteOfDay % 60)}`;
  return `${local.date}T${clock}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
}

export function isPublicHoliday(date: string, holidayCalendar: OpeningCalendar["holidayCalendar"]): boolean {
  return holidayCalendar === "JP" && Object.hasOwn(holidayJp.holidays, date);
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function isDayClosed(
  hours: OpeningHours & { kind: "weekly" },
  date: string,
  calendar: OpeningCalendar,
): boolean {
  return (
    calendar.closedDates.includes(date) ||
    (hours.publicHolidays === "closed" && isPublicHoliday(date, calendar.holidayCalendar))
  );
}

function isOpenAtLocal(
  hours: OpeningHours & { kind: "weekly" },
  local: LocalTime,
  calendar: OpeningCalendar,
) {
  if (isDayClosed(hours, local.date, calendar)) {
    return false;
  }
  return hours.periods.some(
    (period) =>
      period.days.includes(local.weekday) &&
      minutesOf(period.open) <= local.minuteOfDay &&
      local.minuteOfDay < minutesOf(period.close),
  );
}

/** Whether the line is open at the instant; a line with unpublished hours never counts as open. */
export function isOpenAt(hours: OpeningHours, atMs: number, calendar: OpeningCalendar): boolean {
  if (hours.kind !== "weekly") {
    return hours.kind === "always";
  }
  return isOpenAtLocal(hours, localTimeAt(atMs, calendar.timeZone), calendar);
}

/** The first minute of the local day after `local` at which a period of that day opens, else midnight. */
function nextBoundaryMinute(
  hours: OpeningHours & { kind: "weekly" },
  local: LocalTime,
  calendar: OpeningCalendar,
) {
  if (isDayClosed(hours, local.date, calendar)) {
    return minutesPerDay;
  }
  let boundary = minutesPerDay;
  for (const period of hours.periods) {
    const open = minutesOf(period.open);
    if (period.days.includes(local.weekday) && open > local.minuteOfDay && open < boundary) {
      boundary = open;
    }
  }
  return boundary;
}

/**
 * The first whole minute after `fromMs` and at or before `toMs` whose UTC offset is not
 * `offsetMinutes`. Zones change offset on a minute boundary, so halving minutes finds the change.
 */
function offsetChangeMs(fromMs: number, toMs: number, offsetMinutes: number, timeZone: string): number {
  let low = Math.floor(fromMs / minuteMs);
  let high = toMs / minuteMs;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localTimeAt(middle * minuteMs, timeZone).offsetMinutes === offsetMinutes) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return high * minuteMs;
}

/**
 * The first instant at or after `atMs` at which a weekly line is open (`atMs` itself when it is
 * open then). Null for a line that is always open, since it never has an opening to wait for, for
 * one whose hours are unpublished, and for one that does not open within `openingSearchDaysMax` days.
 *
 * The search steps from one instant where the answer could change to the next: a period opening
 * later that local day, the next local midnight, or a change of the zone's offset in between, so
 * nothing is skipped when a daylight-saving change moves the wall clock.
 */
export function nextOpeningAtMs(hours: OpeningHours, atMs: number, calendar: OpeningCalendar): number | null {
  if (hours.kind !== "weekly") {
    return null;
  }
  const { timeZone } = calendar;
  const searchEndMs = atMs + limits.openingSearchDaysMax * dayMs;
  // Each day takes a step per opening, one to midnight and at most one for an offset change.
  const stepsMax = (limits.openingSearchDaysMax + 1) * (hours.periods.length + 2);
  let currentMs = atMs;
  for (let step = 0; step <= stepsMax && currentMs <= searchEndMs; step++) {
    const local = localTimeAt(currentMs, timeZone);
    if (isOpenAtLocal(hours, local, calendar)) {
      return currentMs;
    }
    const boundaryMinute = nextBoundaryMinute(hours, local, calendar);
    let nextMs = currentMs - floorMod(currentMs, minuteMs) + (boundaryMinute - local.minuteOfDay) * minuteMs;
    if (localTimeAt(nextMs, timeZone).offsetMinutes !== local.offsetMinutes) {
      nextMs = offsetChangeMs(currentMs, nextMs, local.offsetMinutes, timeZone);
    }
    assert(nextMs > currentMs, "the search for an opening moves forward");
    currentMs = nextMs;
  }
  return null;
}

// --- Hours in words ---------------------------------------------------------------------------

const dayNames: Readonly<Record<Language, Readonly<Record<Weekday, string>>>> = {
  ja: { mon: "月", tue: "火", wed: "水", thu: "木", fri: "金", sat: "土", sun: "日" },
  en: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" },
};

function clockText(clock: string): string {
  return clock.startsWith("0") ? clock.slice(1) : clock;
}

function rangesText(periods: readonly OpeningPeriod[], language: Language): string {
  const ranges = [...periods]
    .sort((a, b) => minutesOf(a.open) - minutesOf(b.open))
    .map((period) => {
      if (period.open === "00:00" && period.close === "24:00") {
        return language === "ja" ? "24時間" : "24 hours";
      }
      const dash = language === "ja" ? "〜" : "–";
      return `${clockText(period.open)}${dash}${clockText(period.close)}`;
    });
  return ranges.join(language === "ja" ? "、" : " and ");
}

function daysText(days: readonly Weekday[], language: Language): string {
  const names = days.map((day) => dayNames[language][day]);
  if (names.length >= 3) {
    return `${names[0]}${language === "ja" ? "〜" : "–"}${names[names.length - 1]}`;
  }
  return names.join(language === "ja" ? "・" : ", ");
}

/** Consecutive weekdays (Monday first) that share the same periods, with those periods. */
function runsOf(hours: OpeningHours & { kind: "weekly" }): { days: Weekday[]; periods: OpeningPeriod[] }[] {
  const runs: { days: Weekday[]; periods: OpeningPeriod[]; key: string }[] = [];
  for (const day of weekOrder) {
    const periods = hours.periods.filter((period) => period.days.includes(day));
    if (periods.length === 0) {
      continue;
    }
    const key = rangesText(periods, "en");
    const last = runs[runs.length - 1];
    const previousDay = weekOrder[weekOrder.indexOf(day) - 1];
    if (last !== undefined && last.key === key && last.days[last.days.length - 1] === previousDay) {
      last.days.push(day);
    } else {
      runs.push({ days: [day], periods, key });
    }
  }
  return runs;
}

/**
 * Hours as a cardholder reads them: "24時間365日", "9:30〜17:30 (土日祝休)", "Every day 9:30–17:30".
 * Public holidays are mentioned only where the line closes on them and the calendar has them.
 */
export function describeHours(hours: OpeningHours, calendar: OpeningCalendar, language: Language): string {
  if (hours.kind === "always") {
    return language === "ja" ? "24時間365日" : "24 hours a day, every day";
  }
  if (hours.kind === "unpublished") {
    return language === "ja" ? "受付時間の公表なし" : "hours not published";
  }
  const runs = runsOf(hours);
  const closedDays = weekOrder.filter((day) => !runs.some((run) => run.days.includes(day)));
  const isHolidayClosed = hours.publicHolidays === "closed" && calendar.holidayCalendar !== "none";
  const hasClosingDays = calendar.closedDates.length > 0;
  const only = runs.length === 1 ? runs[0] : undefined;
  const isEveryDay = only !== undefined && only.days.length === 7;
  const isWeekdays = only !== undefined && only.days.join() === "mon,tue,wed,thu,fri";

  if (language === "ja") {
    const body = isEveryDay
      ? `毎日 ${rangesText(only.periods, "ja")}`
      : isWeekdays
        ? rangesText(only.periods, "ja")
        : runs.map((run) => `${daysText(run.days, "ja")} ${rangesText(run.periods, "ja")}`).join("、");
    const closed = closedDays.map((day) => dayNames.ja[day]).join("") + (isHolidayClosed ? "祝" : "");
    const notes = [
      closed === "" ? "" : `${closed === "祝" ? "祝日" : closed}休`,
      hasClosingDays ? "ほか休業日あり" : "",
    ];
    const note = notes.filter((text) => text !== "").join("・");
    return note === "" ? body : `${body} (${note})`;
  }
  const body = isEveryDay
    ? `Every day ${rangesText(only.periods, "en")}`
    : isWeekdays
      ? `Weekdays ${rangesText(only.periods, "en")}`
      : runs.map((run) => `${daysText(run.days, "en")} ${rangesText(run.periods, "en")}`).join("; ");
  const closed = [
    ...(isWeekdays ? ["weekends"] : closedDays.map((day) => dayNames.en[day])),
    ...(isHolidayClosed ? ["public holidays"] : []),
    ...(hasClosingDays ? ["other listed closing days"] : []),
  ];
  if (closed.length === 0) {
    return body;
  }
  const last = closed.pop();
  return `${body}, closed on ${closed.length === 0 ? last : `${closed.join(", ")} and ${last}`}`;
}

/** A local time as people write it: "11月24日(火) 9:30", "Tue 24 Nov 9:30". */
export function describeLocalTime(atMs: number, timeZone: string, language: Language): string {
  const local = localTimeAt(atMs, timeZone);
  const clock = `${Math.floor(local.minuteOfDay / 60)}:${pad(local.minuteOfDay % 60)}`;
  if (language === "ja") {
    return `${local.month}月${local.day}日(${dayNames.ja[local.weekday]}) ${clock}`;
  }
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${dayNames.en[local.weekday]} ${local.day} ${months[local.month - 1]} ${clock}`;
}
