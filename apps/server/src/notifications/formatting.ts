/**
 * Amounts, times and lists as a cardholder reads them. The output is plain text for SMS, so it
 * is built by hand from integer parts: no floats touch money, and an ICU update cannot change
 * what a message looks like.
 */
import { limits } from "../config/limits.ts";
import { currencies } from "../money/index.ts";
import { assert } from "../platform/assert.ts";
import { type Language, placeholderLengthMax } from "./message-kinds.ts";

/** How Japanese messages write a currency: a suffix for the yen, a symbol for the others. */
const japaneseForms: Readonly<Record<string, { prefix: string; suffix: string }>> = {
  JPY: { prefix: "", suffix: "円" },
  USD: { prefix: "US$", suffix: "" },
  EUR: { prefix: "€", suffix: "" },
  GBP: { prefix: "£", suffix: "" },
  KRW: { prefix: "₩", suffix: "" },
  CNY: { prefix: "CN¥", suffix: "" },
  TWD: { prefix: "NT$", suffix: "" },
  HKD: { prefix: "HK$", suffix: "" },
  SGD: { prefix: "S$", suffix: "" },
  AUD: { prefix: "A$", suffix: "" },
};

/** Most currencies have cents; an unknown one is shown with two digits rather than refused. */
const unknownCurrencyExponent = 2;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * `12,800円` / `JPY 12,800`, `US$12.34` / `USD 12.34`. English messages use the ISO code, which
 * reads the same in every English-speaking country, where "$" would not.
 */
export function formatAmount(amountMinor: number, currency: string, language: Language): string {
  assert(Number.isSafeInteger(amountMinor) && amountMinor >= 0, "amounts are non-negative minor units");
  assert(/^[A-Z]{3}$/.test(currency), `currency must be an ISO 4217 code, got ${currency}`);
  const exponent = currencies[currency]?.exponent ?? unknownCurrencyExponent;
  const digits = String(amountMinor).padStart(exponent + 1, "0");
  const major = groupThousands(digits.slice(0, digits.length - exponent));
  const number = exponent === 0 ? major : `${major}.${digits.slice(digits.length - exponent)}`;
  const form = japaneseForms[currency];
  if (language === "ja" && form !== undefined) {
    return `${form.prefix}${number}${form.suffix}`;
  }
  return `${currency} ${number}`;
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    if (formatters.size >= limits.timeZonesCachedMax) {
      formatters.clear();
    }
    // Numeric parts only; the words around them are ours, so every ICU version prints the same.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The time of a purchase where the cardholder lives: `6/12 14:03` (ja) or `Jun 12, 14:03` (en). */
export function formatLocalTime(epochMs: number, timeZone: string, language: Language): string {
  assert(Number.isSafeInteger(epochMs), "a time is whole milliseconds");
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(timeZone).formatToParts(epochMs);
  } catch (error) {
    // Time zones are checked when the cardholder is enrolled; an unknown one here is a bug.
    assert(!(error instanceof RangeError), `unknown time zone ${timeZone}`);
    throw error;
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  const month = Number(part("month"));
  const clock = `${part("hour")}:${part("minute")}`;
  if (language === "ja") {
    return `${month}/${part("day")} ${clock}`;
  }
  return `${monthNames[month - 1] ?? ""} ${part("day")}, ${clock}`;
}

export type ListedConfirmation = {
  readonly reference: string;
  readonly merchant: string;
  /** Already formatted with formatAmount. */
  readonly amount: string;
  /** Already formatted with formatLocalTime. */
  readonly localTime: string;
};

/** Cuts to lengthMax UTF-16 units (what SMS counts), never inside a character, marking the cut. */
function shorten(text: string, lengthMax: number): string {
  if (text.length <= lengthMax) {
    return text;
  }
  let kept = "";
  for (const character of text) {
    if (kept.length + character.length + 1 > lengthMax) {
      break;
    }
    kept += character;
  }
  return `${kept}…`;
}

/**
 * The `{confirmationList}` of a "which one?" reply: one line per open confirmation, newest
 * first as given. The list is capped so the SMS stays short; the rest are answered in the app.
 */
export function formatConfirmationList(entries: readonly ListedConfirmation[], language: Language): string {
  assert(entries.length > 0, "a list of open confirmations is never empty");
  for (const entry of entries) {
    assert(entry.reference.length === 3, "references are three characters");
    assert(entry.amount.length <= placeholderLengthMax.amount, "amounts come from formatAmount");
    assert(entry.localTime.length <= placeholderLengthMax.localTime, "times come from formatLocalTime");
  }
  const bullet = language === "ja" ? "・" : "- ";
  const lines = entries
    .slice(0, limits.confirmationsListedMax)
    .map(
      (entry) =>
        `${bullet}${entry.reference}: ${entry.localTime} ${shorten(entry.merchant, limits.listedMerchantLengthMax)} ${entry.amount}`,
    );
  const leftOut = entries.length - limits.confirmationsListedMax;
  if (leftOut > 0) {
    lines.push(
      language === "ja"
        ? `${bullet}ほか${leftOut}件はアプリでご回答ください`
        : `${bullet}${leftOut} more: answer in the app`,
    );
  }
  return lines.join("\n");
}
