/**
 * Small numeric stand-ins for strings that the per-card state compares, so that rings and bounded
 * sets live in typed arrays instead of arrays of strings.
 */
import { assert } from "../../platform/assert.ts";

/**
 * FNV-1a over UTF-16 code units, as an unsigned 32-bit integer. Merchant ids and device
 * fingerprints are compared only within one card's state (at most 64 merchants or 33 recent
 * authorizations), so a collision, which makes two ids look the same, has a chance of about
 * 64 / 2^32 per comparison: far below any signal a rule reads.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** An ISO 3166-1 alpha-2 code packed into 16 bits: exact, so no collisions between countries. */
export function countryCodeOf(country: string): number {
  assert(country.length === 2, "countries are ISO 3166-1 alpha-2 codes, checked at the edge");
  return (country.charCodeAt(0) << 8) | country.charCodeAt(1);
}
