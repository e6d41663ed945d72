/**
 * The number and security code of a card that replaces a blocked one. Both exist in clear only in
 * memory, on their way into the sealed message to the card host (card-host.ts); nothing here stores
 * or logs them.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import type { CardNetwork } from "./card-networks.ts";
import { isLuhnValid, withLuhnCheckDigit } from "./pan.ts";

export type ReplacementPanResult =
  | { ok: true; pan: string }
  | { ok: false; code: "replacement_pan_exhausted"; message: string };

/**
 * How many leading digits of the old PAN the replacement keeps. Visa and Mastercard moved 16-digit
 * cards to 8-digit BINs (ISO/IEC 7812-1:2017), and the issuer's product and routing hang off that
 * range, so 16- to 19-digit numbers keep 8 digits. Where the issuer's BIN is only 6 digits, the
 * first 8 are still inside it, so keeping 8 can never leave the issuer's range. Shorter numbers
 * (Amex 15, Diners 14, old Visa 13) keep the 6-digit BIN, which leaves them enough account digits.
 */
export function replacementPrefixLength(panLength: number): number {
  return panLength >= 16 ? 8 : 6;
}

/**
 * Draws a new PAN on the old card's BIN with the same length: uniform account digits and a Luhn
 * check digit. A draw is refused when `isTaken` says another card has it, when it equals the old
 * PAN, or when it ends in the same four digits: BIN and last four are all a cardholder or analyst
 * ever sees (maskPan), so a replacement with the old card's mask could not be told apart from it.
 */
export function generateReplacementPan(input: {
  oldPan: string;
  random: Random;
  isTaken: (pan: string) => boolean;
}): ReplacementPanResult {
  const { oldPan, random, isTaken } = input;
  assert(/^[0-9]{13,19}$/.test(oldPan), "the old PAN is 13 to 19 digits");
  assert(isLuhnValid(oldPan), "the old PAN has a valid check digit");
  const prefix = oldPan.slice(0, replacementPrefixLength(oldPan.length));
  const accountDigits = oldPan.length - prefix.length - 1;
  assert(accountDigits >= 5, "enough account digits to draw from");
  for (let attempt = 0; attempt < limits.replacementPanAttemptsMax; attempt++) {
    let partial = prefix;
    for (let i = 0; i < accountDigits; i++) {
      partial += String(random.int(10));
    }
    const pan = withLuhnCheckDigit(partial);
    if (pan.slice(-4) !== oldPan.slice(-4) && !isTaken(pan)) {
      assert(pan.length === oldPan.length, "the replacement keeps the length");
      assert(pan.startsWith(prefix), "the replacement keeps the BIN");
      assert(pan !== oldPan, "the replacement differs from the old PAN");
      return { ok: true, pan };
    }
  }
  return {
    ok: false,
    code: "replacement_pan_exhausted",
    message: `No free card number on this BIN after ${limits.replacementPanAttemptsMax} draws; the range needs a new BIN.`,
  };
}

/**
 * A uniform security code: four digits for Amex (printed on the front), three for every other
 * network. This is for card hosts that accept an assigned code; many instead derive the CVV2 in
 * their HSM from the PAN, expiry and a CVK, and ignore this field. Either way mimamori must not
 * keep it after sealing (PCI DSS 3.3.1).
 */
export function generateCvv(random: Random, network: CardNetwork): string {
  const digits = network === "amex" ? 4 : 3;
  let cvv = "";
  for (let i = 0; i < digits; i++) {
    cvv += String(random.int(10));
  }
  return cvv;
}
