/**
 * Which card network a number belongs to, the network's reason code for a "not mine" dispute,
 * and the expiry month printed on a replacement card.
 */
import { assert, assertNever } from "../platform/assert.ts";
import { isValidTimeZone } from "./card-service.ts";

export type CardNetwork =
  | "visa"
  | "mastercard"
  | "amex"
  | "jcb"
  | "diners"
  | "discover"
  | "unionpay"
  | "unknown";

/** Where the card was when it was used; it picks between a network's card-present and card-absent codes. */
export type DisputeChannel = "pos" | "contactless" | "ecommerce" | "atm" | "moto" | "recurring";

export type FraudDisputeReason = { network: CardNetwork; code: string; description: string };

/** One IIN range: the number's first `digits` digits, read as an integer, lie in [from, to]. */
type IinRange = { network: Exclude<CardNetwork, "unknown">; digits: number; from: number; to: number };

/**
 * The ranges are disjoint, so their order does not matter. The one published overlap is
 * 622126–622925: Discover lists it because it accepts UnionPay cards under a reciprocal
 * agreement, but the cards are issued under UnionPay's rules, and the issuer files their disputes
 * with UnionPay. So the whole of 62 is UnionPay here and Discover's 622126–622925 is not listed.
 */
const iinRanges: readonly IinRange[] = [
  { network: "visa", digits: 1, from: 4, to: 4 },
  { network: "mastercard", digits: 2, from: 51, to: 55 },
  { network: "mastercard", digits: 4, from: 2221, to: 2720 },
  { network: "amex", digits: 2, from: 34, to: 34 },
  { network: "amex", digits: 2, from: 37, to: 37 },
  { network: "jcb", digits: 4, from: 3528, to: 3589 },
  { network: "diners", digits: 3, from: 300, to: 305 },
  { network: "diners", digits: 2, from: 36, to: 36 },
  { network: "diners", digits: 2, from: 38, to: 39 },
  { network: "discover", digits: 4, from: 6011, to: 6011 },
  { network: "discover", digits: 3, from: 644, to: 649 },
  { network: "discover", digits: 2, from: 65, to: 65 },
  { network: "unionpay", digits: 2, from: 62, to: 62 },
];

/**
 * The network of a PAN or of a BIN of any length. A prefix too short to decide (a lone "3") is
 * `unknown`, as is any number outside the ranges above.
 */
export function cardNetworkOf(panOrBin: string): CardNetwork {
  assert(/^[0-9]{1,19}$/.test(panOrBin), "a PAN or BIN is 1 to 19 digits");
  for (const range of iinRanges) {
    if (panOrBin.length >= range.digits) {
      const prefix = Number(panOrBin.slice(0, range.digits));
      if (prefix >= range.from && prefix <= range.to) {
        return range.network;
      }
    }
  }
  return "unknown";
}

/** Mail and telephone orders and merchant-initiated recurring charges happen without the card. */
export function isCardAbsent(channel: DisputeChannel): boolean {
  switch (channel) {
    case "ecommerce":
    case "moto":
    case "recurring":
      return true;
    case "pos":
    case "contactless":
    case "atm":
      return false;
    default:
      return assertNever(channel);
  }
}

/**
 * The reason code an issuer files when the cardholder did not make the transaction. Sources are in
 * research/cardholder-verification.md §5.3. JCB and UnionPay codes are not in any stored source,
 * so they get placeholder codes that a dispute desk must map before filing, never invented numbers.
 */
export function fraudDisputeReasonOf(network: CardNetwork, channel: DisputeChannel): FraudDisputeReason {
  const isAbsent = isCardAbsent(channel);
  const reason = (code: string, description: string): FraudDisputeReason => ({ network, code, description });
  switch (network) {
    case "visa":
      return isAbsent
        ? reason("10.4", "Other Fraud – Card-Absent Environment")
        : reason("10.3", "Other Fraud – Card-Present Environment");
    case "mastercard":
      // Mastercard files card-present and card-absent fraud under the same code.
      return reason("4837", "No Cardholder Authorization");
    case "amex":
      return isAbsent ? reason("F29", "Card Not Present") : reason("F24", "No Card Member Authorization");
    case "discover":
    case "diners":
      // Diners Club International disputes run on Discover's network and share its codes.
      return isAbsent
        ? reason("UA02", "Fraud – Card Not Present Transaction")
        : reason("UA01", "Fraud – Card Present Transaction");
    case "jcb":
      return reason(
        "jcb_fraud",
        "Fraud, not authorized by the cardholder. Placeholder: confirm the code in JCB's dispute rules before filing.",
      );
    case "unionpay":
      return reason(
        "unionpay_fraud",
        "Fraud, not authorized by the cardholder. Placeholder: confirm the code in UnionPay's dispute rules before filing.",
      );
    case "unknown":
      return reason("fraud", "Fraud, not authorized by the cardholder; the card network is unknown.");
    default:
      return assertNever(network);
  }
}

/**
 * The expiry (`YYYY-MM`) of a card issued at `nowMs` and valid `years` years: the month of issue
 * in the cardholder's time zone, `years` later. A card is valid to the end of its expiry month,
 * so the term is never shorter than `years`. The month is read in the cardholder's zone because
 * that is the calendar the printed date is read in; a card issued on the 1st in Tokyo is still
 * the last day of the month before in UTC.
 */
export function expiryAfter(nowMs: number, years: number, timeZone = "UTC"): string {
  assert(Number.isSafeInteger(nowMs), "nowMs is an integer instant");
  // The card prints the year as YY, so a term of a century or more would wrap.
  assert(Number.isInteger(years) && years > 0 && years < 100, "a card is valid for 1 to 99 years");
  assert(isValidTimeZone(timeZone), "the time zone is a known IANA name");
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
  }).formatToParts(nowMs);
  const year = Number(parts.find((part) => part.type === "year")?.value);
  const month = parts.find((part) => part.type === "month")?.value;
  assert(Number.isInteger(year) && year > 0, "Intl gives a year");
  assert(month !== undefined && /^(0[1-9]|1[0-2])$/.test(month), "Intl gives a two-digit month");
  const expiryYear = year + years;
  assert(expiryYear <= 9999, "the expiry year has four digits");
  return `${String(expiryYear).padStart(4, "0")}-${month}`;
}
