import { type Channel, channelValues as channels } from "@mimamori/contracts";
import { isLuhnValid } from "../cards/index.ts";
import { limits } from "../config/limits.ts";
import { currencies } from "../money/index.ts";

/**
 * Names of the source columns (CSV header names or NDJSON keys) that hold each field. The first
 * five are required; the rest fall back to the replay's defaults when the column is absent or empty.
 */
export type ColumnMapping = {
  id: string;
  time: string;
  card: string;
  amount: string;
  merchant: string;
  currency?: string;
  merchantName?: string;
  mcc?: string;
  country?: string;
  terminal?: string;
  channel?: string;
  device?: string;
  ip?: string;
  label?: string;
  homeCountry?: string;
  timeZone?: string;
};

export const requiredFields = ["id", "time", "card", "amount", "merchant"] as const;

/** The synthetic issuer's field names, so `simulate` output replays with no column flags. */
export const defaultColumnMapping: Required<ColumnMapping> = {
  id: "id",
  time: "occurredAt",
  card: "cardRef",
  amount: "amountMinor",
  merchant: "merchantId",
  currency: "currency",
  merchantName: "merchantName",
  mcc: "mcc",
  country: "merchantCountry",
  terminal: "terminalId",
  channel: "channel",
  device: "deviceFingerprint",
  ip: "ip",
  label: "isFraud",
  homeCountry: "homeCountry",
  timeZone: "timeZone",
};

/** Values used when an optional column is absent or empty; checked once before any row is read. */
export type ReplayDefaults = { currency: string; homeCountry: string; timeZone: string; channel: string };

export type ReplayRow = {
  /** The source line the row ends on, 1-based (a CSV header is line 1). */
  line: number;
  id: string;
  occurredAtMs: number;
  /** The UTC offset the source wrote the time in; 0 for epoch numbers and offset-less times. */
  occurredAtOffsetMinutes: number;
  cardRef: string;
  amountMinor: number;
  currency: string;
  merchant: { id: string; name: string; mcc: string; country: string; terminalId: string | null };
  channel: Channel;
  device: { fingerprint: string | null; ip: string | null };
  /** true for fraud, false for genuine, null when the source does not say. */
  label: boolean | null;
  homeCountry: string;
  timeZone: string;
};

export type ReplayRowErrorCode =
  | "missing_column"
  | "invalid_time"
  | "invalid_amount"
  | "unknown_currency"
  | "invalid_channel"
  | "invalid_row";

/** A row that cannot be replayed. It is reported and skipped; the replay goes on. */
export type ReplayRowError = { line: number; code: ReplayRowErrorCode; message: string };

export function isReplayRowError(item: ReplayRow | ReplayRowError): item is ReplayRowError {
  return "code" in item;
}

export type RowSettings = {
  readonly columns: Readonly<Required<ColumnMapping>>;
  readonly defaults: Readonly<ReplayDefaults>;
  /** Amounts are in major units ("12.34" dollars) and are scaled by the currency's exponent. */
  readonly amountIsMajor: boolean;
};

/**
 * Epoch numbers below 10^11 are seconds (that reaches the year 5138); from 10^11 they are
 * milliseconds (10^11 ms is March 1973). No real authorization history straddles the two readings.
 */
const epochSecondsBelow = 1e11;
/** Authorization times before the Unix epoch are data errors, and Date.UTC misreads years 0–99. */
const yearMin = 1970;
/** ISO 8601 allows offsets to ±18:00 in practice (java.time); real zones stay within ±14:00. */
const offsetMinutesMax = 18 * 60;

const isoTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const epochNumber = /^\d+(?:\.\d+)?$/;
const decimalAmount = /^(\d+)(?:\.(\d+))?$/;
const countryCode = /^[A-Z]{2}$/;
const mccCode = /^\d{1,4}$/;

export type ParsedTime = { ms: number; offsetMinutes: number };

/** ISO 8601 with or without an offset (none means UTC), or epoch seconds or milliseconds. */
export function parseTime(value: string | number): ParsedTime | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (epochNumber.test(text)) {
    const number = Number(text);
    const ms = Math.round(number < epochSecondsBelow ? number * 1000 : number);
    return Number.isSafeInteger(ms) ? { ms, offsetMinutes: 0 } : null;
  }
  const match = isoTime.exec(text);
  if (match === null) {
    return null;
  }
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutesPart] =
    match;
  const fields = [year, month, day, hour, minute, second ?? "0"].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields;
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s, Number((fraction ?? "").padEnd(3, "0").slice(0, 3)));
  const wall = new Date(wallMs);
  // Date.UTC rolls 31 February over into March; a round trip catches impossible dates.
  const isRealDate = wall.getUTCFullYear() === y && wall.getUTCMonth() === mo - 1 && wall.getUTCDate() === d;
  if (!isRealDate || y < yearMin || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  const offsetMinutes =
    zulu !== undefined || sign === undefined
      ? 0
      : (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutesPart ?? "0"));
  if (Math.abs(offsetMinutes) > offsetMinutesMax || Number(offsetMinutesPart ?? "0") > 59) {
    return null;
  }
  return { ms: wallMs - offsetMinutes * 60_000, offsetMinutes };
}

export type ParsedAmount = { ok: true; amountMinor: number } | { ok: false; message: string };

/**
 * Integer minor units; a decimal is refused unless the source is known to hold major units, and
 * then it is scaled exactly (as text, never through a float product) by the currency's exponent.
 */
export function parseAmountMinor(
  value: string | number,
  currency: string,
  amountIsMajor: boolean,
): ParsedAmount {
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = decimalAmount.exec(text);
  if (match === null) {
    return { ok: false, message: `amount "${text}" is not a non-negative number` };
  }
  const [, whole = "", fractionText] = match;
  const fraction = (fractionText ?? "").replace(/0+$/, "");
  const exponent = currencies[currency]?.exponent ?? 0;
  if (!amountIsMajor && fraction !== "") {
    return {
      ok: false,
      message: `amount "${text}" has decimals; amounts are minor units unless amountIsMajor is set`,
    };
  }
  if (fraction.length > exponent) {
    return { ok: false, message: `amount "${text}" has more decimals than ${currency} allows (${exponent})` };
  }
  const digits = amountIsMajor ? whole + fraction.padEnd(exponent, "0") : whole;
  const amountMinor = Number(digits);
  if (!Number.isSafeInteger(amountMinor) || amountMinor > limits.amountMinorMax) {
    return {
      ok: false,
      message: `amount "${text}" is above the limit of ${limits.amountMinorMax} minor units`,
    };
  }
  return { ok: true, amountMinor };
}

/** true/false, 1/0, "fraud"/"genuine"; anything else is an error, and an empty value is unknown. */
export function parseLabel(value: string | number | boolean): boolean | null | undefined {
  if (typeof value === "boolean") {
    return value;
  }
  switch (String(value).trim().toLowerCase()) {
    case "true":
    case "1":
    case "fraud":
      return true;
    case "false":
    case "0":
    case "genuine":
      return false;
    case "":
      return null;
    default:
      return undefined;
  }
}

/** Zones that Intl has accepted; only valid names are kept, so the set stays within the IANA list. */
const knownTimeZones = new Set<string>();

export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) {
    return true;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    return false;
  }
  knownTimeZones.add(name);
  return true;
}

export function isCountryCode(value: string): boolean {
  return countryCode.test(value);
}

export function isKnownChannel(value: string): value is Channel {
  return (channels as readonly string[]).includes(value);
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; error: ReplayRowError };
type RequiredField = (typeof requiredFields)[number];

/** Reads text fields of one record by mapping name; every problem becomes an error on the row's line. */
type FieldReader = {
  fail(code: ReplayRowErrorCode, message: string): ReplayRowError;
  /** A field's value as trimmed text (numbers are written out), or null when absent or empty. */
  text(field: keyof ColumnMapping, lengthMax: number): FieldResult<string | null>;
  /** A field's raw value, for the label, which may be a JSON boolean. */
  raw(field: keyof ColumnMapping): unknown;
};

function createFieldReader(
  record: Readonly<Record<string, unknown>>,
  line: number,
  columns: Readonly<Required<ColumnMapping>>,
): FieldReader {
  const fail = (code: ReplayRowErrorCode, message: string): ReplayRowError => ({ line, code, message });
  return {
    fail,
    raw: (field) => record[columns[field]],
    text(field, lengthMax) {
      const column = columns[field];
      const value = record[column];
      if (value === undefined || value === null || value === "") {
        return { ok: true, value: null };
      }
      if (typeof value !== "string" && typeof value !== "number") {
        return {
          ok: false,
          error: fail("invalid_row", `column "${column}" (${field}) must be text or a number`),
        };
      }
      const trimmed = String(value).trim();
      if (trimmed.length > lengthMax) {
        return {
          ok: false,
          error: fail("invalid_row", `column "${column}" (${field}) is over ${lengthMax} characters`),
        };
      }
      return { ok: true, value: trimmed === "" ? null : trimmed };
    },
  };
}

/** Times and amounts are short; ids are bounded like the HTTP edge bounds them. */
const requiredLengthMax: Record<RequiredField, number> = {
  id: limits.externalIdLengthMax,
  time: 64,
  card: limits.externalIdLengthMax,
  amount: 64,
  merchant: limits.externalIdLengthMax,
};

function readRequired(
  reader: FieldReader,
  columns: RowSettings["columns"],
): Record<RequiredField, string> | ReplayRowError {
  const values: Record<RequiredField, string> = { id: "", time: "", card: "", amount: "", merchant: "" };
  for (const field of requiredFields) {
    const result = reader.text(field, requiredLengthMax[field]);
    if (!result.ok) {
      return result.error;
    }
    if (result.value === null) {
      return reader.fail("missing_column", `column "${columns[field]}" (${field}) is missing or empty`);
    }
    values[field] = result.value;
  }
  return values;
}

/**
 * Reads one source record (CSV cells are strings; NDJSON values may be numbers, booleans or null)
 * into a replay row, or says why it cannot. Problems are reported in a fixed order: missing
 * required values, then time, currency, amount, channel, and the remaining fields.
 */
export function parseReplayRow(
  record: Readonly<Record<string, unknown>>,
  line: number,
  settings: RowSettings,
): ReplayRow | ReplayRowError {
  const { columns, defaults } = settings;
  const reader = createFieldReader(record, line, columns);
  const required = readRequired(reader, columns);
  if ("code" in required) {
    return required;
  }
  // Histories reference cards; a card number in the card column must never travel further.
  const cardDigits = required.card.replace(/[ -]/g, "");
  if (/^[0-9]{13,19}$/.test(cardDigits) && isLuhnValid(cardDigits)) {
    return reader.fail(
      "invalid_row",
      "the card column holds what looks like a card number; use a card reference",
    );
  }
  const time = parseTime(required.time);
  if (time === null) {
    return reader.fail(
      "invalid_time",
      `time "${required.time}" is not ISO 8601 or epoch seconds/milliseconds`,
    );
  }
  const currencyText = reader.text("currency", 16);
  if (!currencyText.ok) {
    return currencyText.error;
  }
  const currency = (currencyText.value ?? defaults.currency).toUpperCase();
  if (!Object.hasOwn(currencies, currency)) {
    return reader.fail("unknown_currency", `currency "${currency}" is not one the engine knows`);
  }
  const amount = parseAmountMinor(required.amount, currency, settings.amountIsMajor);
  if (!amount.ok) {
    return reader.fail("invalid_amount", amount.message);
  }
  const channelText = reader.text("channel", 32);
  if (!channelText.ok) {
    return channelText.error;
  }
  const channel = (channelText.value ?? defaults.channel).toLowerCase();
  if (!isKnownChannel(channel)) {
    return reader.fail("invalid_channel", `channel "${channel}" is not one of ${channels.join(", ")}`);
  }
  const rest = parseOptionalFields(reader, settings);
  if ("code" in rest) {
    return rest;
  }
  const { merchantName, mcc, country, terminalId, fingerprint, ip, label, homeCountry, timeZone } = rest;
  return {
    line,
    id: required.id,
    occurredAtMs: time.ms,
    occurredAtOffsetMinutes: time.offsetMinutes,
    cardRef: required.card,
    amountMinor: amount.amountMinor,
    currency,
    merchant: { id: required.merchant, name: merchantName ?? required.merchant, mcc, country, terminalId },
    channel,
    device: { fingerprint, ip },
    label,
    homeCountry,
    timeZone,
  };
}

type OptionalFields = {
  merchantName: string | null;
  mcc: string;
  country: string;
  terminalId: string | null;
  fingerprint: string | null;
  ip: string | null;
  label: boolean | null;
  homeCountry: string;
  timeZone: string;
};

/** The label may be a JSON boolean or number as well as text; undefined means unreadable. */
function readLabel(raw: unknown): boolean | null | undefined {
  if (raw === undefined || raw === null) {
    return null;
  }
  return typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean"
    ? parseLabel(raw)
    : undefined;
}

/** The fields with defaults: each absent or empty value takes its default, and any other is checked. */
function parseOptionalFields(reader: FieldReader, settings: RowSettings): OptionalFields | ReplayRowError {
  const { columns, defaults } = settings;
  const fields = {
    merchantName: reader.text("merchantName", limits.merchantNameLengthMax),
    mcc: reader.text("mcc", 8),
    country: reader.text("country", 8),
    terminal: reader.text("terminal", limits.externalIdLengthMax),
    device: reader.text("device", limits.deviceFieldLengthMax),
    ip: reader.text("ip", limits.deviceFieldLengthMax),
    homeCountry: reader.text("homeCountry", 8),
    timeZone: reader.text("timeZone", 64),
  };
  for (const result of Object.values(fields)) {
    if (!result.ok) {
      return result.error;
    }
  }
  const value = (result: FieldResult<string | null>): string | null => (result.ok ? result.value : null);
  const homeCountry = (value(fields.homeCountry) ?? defaults.homeCountry).toUpperCase();
  const country = (value(fields.country) ?? homeCountry).toUpperCase();
  for (const [field, code] of [
    ["homeCountry", homeCountry],
    ["country", country],
  ] as const) {
    if (!isCountryCode(code)) {
      return reader.fail(
        "invalid_row",
        `column "${columns[field]}" (${field}) "${code}" is not an ISO 3166 alpha-2 code`,
      );
    }
  }
  const mccText = value(fields.mcc) ?? "5999";
  if (!mccCode.test(mccText)) {
    return reader.fail("invalid_row", `column "${columns.mcc}" (mcc) "${mccText}" is not a four-digit MCC`);
  }
  const timeZone = value(fields.timeZone) ?? defaults.timeZone;
  if (!isTimeZone(timeZone)) {
    return reader.fail(
      "invalid_row",
      `column "${columns.timeZone}" (timeZone) "${timeZone}" is not an IANA time zone`,
    );
  }
  const label = readLabel(reader.raw("label"));
  if (label === undefined) {
    return reader.fail(
      "invalid_row",
      `column "${columns.label}" (label) must be true/false, 1/0, fraud/genuine or empty`,
    );
  }
  return {
    merchantName: value(fields.merchantName),
    // A leading zero lost by a spreadsheet ("742" for veterinary services) is restored.
    mcc: mccText.padStart(4, "0"),
    country,
    terminalId: value(fields.terminal),
    fingerprint: value(fields.device),
    ip: value(fields.ip),
    label,
    homeCountry,
    timeZone,
  };
}
