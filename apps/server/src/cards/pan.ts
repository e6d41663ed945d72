/**
 * Card numbers (PANs) at the edge: checked, then turned at once into a keyed hash for lookup,
 * an AES-256-GCM ciphertext for recovery and BIN + last 4 for display. Nothing else keeps the
 * clear number, and nothing here logs it.
 */
import { createCipheriv, createDecipheriv, createHmac } from "node:crypto";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";

/** ISO/IEC 7812 numbers are 12–19 digits; schemes issue 13–19. */
const panPattern = /^[0-9]{13,19}$/;

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let isDoubled = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (isDoubled) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
    isDoubled = !isDoubled;
  }
  return sum % 10 === 0;
}

export type PanParseResult = { ok: true; pan: string } | { ok: false; code: "invalid_pan"; message: string };

/** Accepts digits with optional spaces or hyphens as printed on cards; checks length and Luhn. */
export function parsePan(input: string): PanParseResult {
  const pan = input.replace(/[ -]/g, "");
  if (!panPattern.test(pan)) {
    return { ok: false, code: "invalid_pan", message: "A card number has 13 to 19 digits." };
  }
  if (!isLuhnValid(pan)) {
    return { ok: false, code: "invalid_pan", message: "The card number's check digit is wrong." };
  }
  return { ok: true, pan };
}

/**
 * The most a person or log ever sees: the first 6 (BIN) and last 4 digits. The middle is a fixed
 * six asterisks, so the mask does not even reveal the number's length.
 */
export function maskPan(bin: string, last4: string): string {
  return `${bin}******${last4}`;
}

/** One version of the two PAN keys. Old versions stay to read old rows; new rows use the newest. */
export type PanKey = { readonly version: number; readonly hmacKey: Buffer; readonly encryptionKey: Buffer };

export type PanVault = {
  /** `v<version>:<hex>` under the newest key: the card index. */
  hash(pan: string): string;
  /** Every hash the PAN may be stored under (one per key version), newest first, for lookups. */
  hashesForLookup(pan: string): readonly string[];
  encrypt(pan: string): string;
  decrypt(ciphertext: string): string;
};

const ivBytes = 12;
const tagBytes = 16;

export function createPanVault(keys: readonly PanKey[], random: Random): PanVault {
  assert(keys.length > 0, "at least one PAN key");
  const sorted = [...keys].sort((a, b) => b.version - a.version);
  const newest = sorted[0];
  assert(newest !== undefined, "a newest key");
  for (const key of sorted) {
    assert(key.hmacKey.length >= 32, "HMAC key of at least 256 bits");
    assert(key.encryptionKey.length === 32, "AES-256 needs a 32-byte key");
  }
  const byVersion = new Map(sorted.map((key) => [key.version, key]));
  const hashWith = (key: PanKey, pan: string): string =>
    `v${key.version}:${createHmac("sha256", key.hmacKey).update(pan).digest("hex")}`;
  return {
    hash: (pan) => hashWith(newest, pan),
    hashesForLookup: (pan) => sorted.map((key) => hashWith(key, pan)),
    encrypt(pan) {
      const iv = Buffer.from(random.bytes(ivBytes));
      const cipher = createCipheriv("aes-256-gcm", newest.encryptionKey, iv);
      const body = Buffer.concat([cipher.update(pan, "utf8"), cipher.final()]);
      return `v${newest.version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    decrypt(ciphertext) {
      const match = /^v([0-9]+):(.+)$/.exec(ciphertext);
      assert(match !== null, "PAN ciphertext has a key version");
      const key = byVersion.get(Number(match[1]));
      assert(key !== undefined, "PAN ciphertext key version is known");
      const raw = Buffer.from(match[2] ?? "", "base64");
      const decipher = createDecipheriv("aes-256-gcm", key.encryptionKey, raw.subarray(0, ivBytes));
      decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
      return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}

/** Finds every Luhn-valid run of 13–19 digits (allowing single spaces or hyphens between): for leak scans. */
export function findPanCandidates(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (isLuhnValid(digits)) {
      found.push(digits);
    }
  }
  return found;
}

/** Appends the Luhn check digit: for test and demo card numbers only. */
export function withLuhnCheckDigit(partial: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    const candidate = `${partial}${digit}`;
    if (isLuhnValid(candidate)) {
      return candidate;
    }
  }
  throw new Error("unreachable: one check digit always fits");
}
