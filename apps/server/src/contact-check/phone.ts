/**
 * Phone numbers as a cardholder meets them: typed with full-width digits and any kind of dash,
 * written "+81 (0)570…", or shown as a carrier short code on an SMS. Numbers are parsed and typed
 * with libphonenumber's full metadata (`/max`, the only build that knows a number's type), then
 * looked up in the issuer's registry by E.164.
 */
import {
  type CountryCode,
  findPhoneNumbersInText,
  getCountryCallingCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js/max";
import type { Localized } from "./localized.ts";
import { describeHours } from "./opening-hours.ts";
import type { RegistryIndex } from "./registry.ts";
import type { Direction, PhoneCost, RegistryPhone, RegistrySmsSender } from "./registry-types.ts";
import { excerptOf, type Language, type ReasonMessages, type Signal, type SignalParams } from "./signal.ts";

export type PhoneAnalysis = {
  readonly raw: string;
  /** E.164 of a valid number; null when the input is not a valid number (a short code, a typo). */
  readonly e164: string | null;
  /** The number as dialled inside its own country: "0570-666-910". */
  readonly national: string | null;
  readonly valid: boolean;
  /** What calling it costs, from the number's type; null when the type says nothing about cost. */
  readonly cost: PhoneCost | null;
  /** ISO 3166 country of the number; null when invalid or not tied to one country. */
  readonly country: string | null;
  readonly registered: RegistryPhone | null;
  /** The registered line's hours in words, so the reasons need no registry: null when not registered. */
  readonly registeredHours: Localized | null;
  readonly smsSender: RegistrySmsSender | null;
};

export type PhoneSignalCode =
  | "registered_phone"
  | "registered_sms_sender"
  | "retired_phone"
  | "phone_not_registered"
  | "phone_invalid"
  | "phone_international"
  | "phone_ip_phone";

/** Where the number came from: typed in to be checked, or found inside a message. */
export type PhoneContext = "input" | "in_text";

// Dashes people and input methods put in numbers: hyphen-minus, the Unicode hyphens and dashes,
// the minus sign, the katakana prolonged sound mark and its half-width form, full-width hyphen.
const dashPattern = /[\u2010-\u2015\u2212\u30fc\uff70\ufe58\ufe63\uff0d]/g;

/**
 * One character for one character, so offsets found in the result are offsets in the input:
 * full-width digits, plus and parentheses become ASCII, every dash a hyphen, the ideographic
 * space a space. NFKC would do more, but it changes lengths (㈱ → (株)).
 */
function asciiDigitsInPlace(text: string): string {
  return text
    .replace(/[\uff10-\uff19\uff0b\uff08\uff09]/g, (char) =>
      String.fromCharCode((char.codePointAt(0) ?? 0) - 0xfee0),
    )
    .replace(dashPattern, "-")
    .replace(/\u3000/g, " ");
}

/** A number as typed, made ready for the parser: "tel:", "(0)" after a country code, odd dashes. */
export function normalizePhoneText(raw: string): string {
  return asciiDigitsInPlace(raw.normalize("NFKC"))
    .trim()
    .replace(/^tel:/i, "")
    .replace(/^(\+\d{1,3})[\s-]*\(0\)/, "$1 ");
}

/**
 * A numeric sender as digits ("0570666910"), else the sender folded for comparison: SMS sender
 * names are shown in whatever case the carrier chose.
 */
export function normalizeSenderId(raw: string): string {
  const text = normalizePhoneText(raw);
  const compact = text.replace(/[\s\-().]/g, "");
  return /^\+?\d+$/.test(compact) ? compact : text.toLowerCase();
}

/** The forms a sender may take on a phone: as registered, and "+81…" for a domestic number. */
export function senderCandidates(raw: string, country: string): readonly string[] {
  const sender = normalizeSenderId(raw);
  if (!sender.startsWith("+")) {
    return [sender];
  }
  const callingCode = isSupportedCountry(country) ? getCountryCallingCode(country) : null;
  if (callingCode === null || !sender.startsWith(`+${callingCode}`)) {
    return [sender];
  }
  const rest = sender.slice(1 + callingCode.length);
  // "+81570…" drops the trunk 0 of "0570…"; some phones show "+810570…" and keep it.
  return rest.startsWith("0") ? [rest] : [`0${rest}`, rest];
}

/**
 * What calling a parsed number costs a caller in `issuerCountry`, read from its type. A number of
 * another country is international whatever its type; a type that says nothing about cost
 * (premium, shared cost, pager) gives null.
 */
export function costOfNumber(number: PhoneNumber, issuerCountry: string): PhoneCost | null {
  if (number.country !== issuerCountry) {
    return "international";
  }
  switch (number.getType()) {
    case "TOLL_FREE":
      return "free_dial";
    case "UAN":
      return "navi_dial";
    case "VOIP":
      return "ip_phone";
    case "MOBILE":
      return "mobile";
    case "FIXED_LINE":
    case "FIXED_LINE_OR_MOBILE":
      return "geographic";
    default:
      return null;
  }
}

/** Parses a number as written in `country`; undefined when it is not a number at all. */
export function parsePhone(raw: string, country: string): PhoneNumber | undefined {
  const defaultCountry = isSupportedCountry(country) ? (country as CountryCode) : undefined;
  return parsePhoneNumberFromString(normalizePhoneText(raw), defaultCountry);
}

export function analyzePhoneNumber(raw: string, index: RegistryIndex): PhoneAnalysis {
  const { issuer } = index.registry;
  const parsed = parsePhone(raw, issuer.country);
  const valid = parsed?.isValid() === true;
  const e164 = valid && parsed !== undefined ? parsed.number : null;
  const registered = e164 === null ? null : index.phoneByE164(e164);
  return {
    raw,
    e164,
    national: valid && parsed !== undefined ? parsed.formatNational() : null,
    valid,
    cost: valid && parsed !== undefined ? costOfNumber(parsed, issuer.country) : null,
    country: valid ? (parsed?.country ?? null) : null,
    registered,
    registeredHours:
      registered === null
        ? null
        : {
            ja: describeHours(registered.hours, issuer, "ja"),
            en: describeHours(registered.hours, issuer, "en"),
          },
    smsSender: index.smsSender(raw),
  };
}

/**
 * Every phone number in a text, in order, as written there: what libphonenumber finds (valid
 * numbers only, so amounts and dates stay out), plus bare digit runs that are one of our
 * registered SMS senders, since carrier short codes such as "21092" are not numbers to the parser.
 */
export function findPhoneNumbers(text: string, index: RegistryIndex): string[] {
  const { country } = index.registry.issuer;
  const searchable = asciiDigitsInPlace(text);
  const defaultCountry = isSupportedCountry(country) ? (country as CountryCode) : undefined;
  const found = findPhoneNumbersInText(searchable, defaultCountry).map((match) => ({
    startsAt: match.startsAt,
    endsAt: match.endsAt,
  }));
  for (const run of searchable.matchAll(/\+?\d+/g)) {
    const startsAt = run.index;
    const endsAt = startsAt + run[0].length;
    const isInsideFound = found.some((number) => startsAt < number.endsAt && endsAt > number.startsAt);
    if (!isInsideFound && index.smsSender(run[0]) !== null) {
      found.push({ startsAt, endsAt });
    }
  }
  return found
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((place) => text.slice(place.startsAt, place.endsAt));
}

/**
 * The signals one number gives. A registered number is ours, and says so, as input; inside a
 * message it is only context, because anyone can type our number into a message.
 */
export function phoneSignals(analysis: PhoneAnalysis, context: PhoneContext): Signal<PhoneSignalCode>[] {
  const excerpt = excerptOf(analysis.raw);
  const { registered, smsSender } = analysis;
  if (registered !== null) {
    if (registered.retired !== null) {
      return [
        {
          code: "retired_phone",
          severity: "caution",
          excerpt,
          params: {
            number: registered.display,
            retiredOn: registered.retired.on,
            noteJa: registered.retired.note.ja,
            noteEn: registered.retired.note.en,
          },
        },
      ];
    }
    return [
      {
        code: "registered_phone",
        severity: context === "input" ? "official" : "info",
        excerpt,
        params: {
          number: registered.display,
          purposeJa: registered.purpose.ja,
          purposeEn: registered.purpose.en,
          direction: registered.direction,
          hoursJa: analysis.registeredHours?.ja ?? "",
          hoursEn: analysis.registeredHours?.en ?? "",
          cost: registered.cost,
          sendsSms: String(registered.sendsSms),
        },
      },
    ];
  }
  if (smsSender !== null) {
    return [
      {
        code: "registered_sms_sender",
        severity: context === "input" ? "official" : "info",
        excerpt,
        params: { sender: smsSender.sender, noteJa: smsSender.note.ja, noteEn: smsSender.note.en },
      },
    ];
  }
  if (!analysis.valid) {
    return [{ code: "phone_invalid", severity: "caution", excerpt, params: { number: analysis.raw.trim() } }];
  }
  const number = analysis.national ?? analysis.raw.trim();
  const signals: Signal<PhoneSignalCode>[] = [
    { code: "phone_not_registered", severity: "info", excerpt, params: { number } },
  ];
  if (analysis.cost === "international") {
    signals.push({
      code: "phone_international",
      severity: "caution",
      excerpt,
      params: { number: analysis.e164 ?? number, country: analysis.country ?? "" },
    });
  }
  if (analysis.cost === "ip_phone") {
    signals.push({ code: "phone_ip_phone", severity: "info", excerpt, params: { number } });
  }
  return signals;
}

const directionText: Readonly<Record<Direction, Localized>> = {
  we_call_you: { ja: "当社からお客様へおかけする番号です。", en: "We call you from this number." },
  you_call_us: { ja: "お客様からおかけいただく番号です。", en: "This is a number for you to call us on." },
  both: {
    ja: "当社からおかけすることも、お客様からおかけいただくこともある番号です。",
    en: "We call from this number, and you can call us on it too.",
  },
};

export const phoneCostText: Readonly<Record<PhoneCost, Localized>> = {
  free_dial: { ja: "通話料無料 (フリーダイヤル)", en: "free to call (free dial)" },
  navi_dial: {
    ja: "有料 (ナビダイヤル。かけ放題プランの対象外のことが多い)",
    en: "charged (Navi Dial, usually outside flat-rate call plans)",
  },
  geographic: { ja: "固定電話への通話料", en: "the charge for a call to a landline" },
  mobile: { ja: "携帯電話への通話料", en: "the charge for a call to a mobile" },
  ip_phone: { ja: "IP電話への通話料", en: "the charge for a call to an IP phone" },
  international: { ja: "国際通話料", en: "international call charges" },
};

function directionOf(params: SignalParams, language: Language): string {
  const direction = params.direction as Direction | undefined;
  return direction === undefined || !(direction in directionText) ? "" : directionText[direction][language];
}

function costOf(params: SignalParams, language: Language): string {
  const cost = params.cost as PhoneCost | undefined;
  return cost === undefined || !(cost in phoneCostText) ? "" : phoneCostText[cost][language];
}

/**
 * Calm words: a number is evidence about a number, never about a message. No message tells the
 * reader to call a number they were given; the way back to us is always the card or our list.
 */
export const phoneReasonMessages: ReasonMessages<PhoneSignalCode> = {
  // Hours and cost matter only to a caller: a line that only calls out says neither.
  registered_phone: {
    ja: (p) =>
      [
        `${p.number} は当社の番号です (${p.purposeJa})。`,
        directionOf(p, "ja"),
        p.direction === "we_call_you" ? "" : `受付時間: ${p.hoursJa}。通話料: ${costOf(p, "ja")}。`,
        p.sendsSms === "true" ? "この番号からSMSもお送りします。" : "",
      ].join(""),
    en: (p) =>
      [
        `${p.number} is one of our numbers (${p.purposeEn}).`,
        directionOf(p, "en"),
        p.direction === "we_call_you" ? "" : `Hours: ${p.hoursEn}. Cost: ${costOf(p, "en")}.`,
        p.sendsSms === "true" ? "We also send SMS from this number." : "",
      ]
        .filter((sentence) => sentence !== "")
        .join(" "),
  },
  registered_sms_sender: {
    ja: (p) => `「${p.sender}」は当社がSMSの送信に使っている送信元です (${p.noteJa})。`,
    en: (p) => `"${p.sender}" is a sender we use for our SMS (${p.noteEn}).`,
  },
  retired_phone: {
    ja: (p) =>
      `${p.number} は以前当社が使っていた番号です (${p.retiredOn} まで)。${p.noteJa}当社へのご連絡は、カード裏面または当社の窓口一覧にある現在の番号をお使いください。`,
    en: (p) =>
      `${p.number} used to be one of our numbers (until ${p.retiredOn}). ${p.noteEn} To reach us, use a current number from the back of your card or our channel directory.`,
  },
  phone_not_registered: {
    ja: (p) =>
      `${p.number} は当社の登録番号ではありません。それだけで詐欺とは限りません。ご心配なときは、この番号にはかけ直さず、カード裏面または当社の窓口一覧にある番号へおかけください。`,
    en: (p) =>
      `${p.number} is not one of our numbers. That alone does not make it a scam. If you are unsure, do not call it back: call us on the number on the back of your card or in our channel directory.`,
  },
  phone_invalid: {
    ja: (p) =>
      `「${p.number}」は電話番号として正しい形ではありません。当社へのご連絡は、カード裏面または当社の窓口一覧にある番号をお使いください。`,
    en: (p) =>
      `"${p.number}" is not a valid phone number. To reach us, use the number on the back of your card or in our channel directory.`,
  },
  phone_international: {
    ja: (p) =>
      `${p.number} は海外の番号です${p.country === "" ? "" : ` (${p.country})`}。国内のカードについて、当社が登録外の海外の番号からお電話やSMSをすることはありません。かけ直さず、カード裏面の番号で当社にご確認ください。`,
    en: (p) =>
      `${p.number} is a number from abroad${p.country === "" ? "" : ` (${p.country})`}. We do not call or text about your card from numbers abroad that are not in our directory. Do not call it back; check with us on the number on the back of your card.`,
  },
  phone_ip_phone: {
    ja: (p) =>
      `${p.number} はIP電話 (050) の番号です。IP電話の番号は誰でも手軽に取得できるため、番号だけでは相手が誰かを確かめられません。`,
    en: (p) =>
      `${p.number} is an IP phone number (050). Anyone can get one easily, so the number alone does not tell you who is calling.`,
  },
};
