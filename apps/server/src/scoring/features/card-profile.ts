/**
 * The cardholder's habits, learned only from authorizations the cardholder stands behind
 * (approved and durable, or confirmed "mine" later), so fraud that slipped through once does not
 * teach the profile to accept more of it.
 *
 * - Amount level and spread: an exponentially weighted mean and variance of ln(1 + amount).
 *   The log makes ¥300 → ¥3,000 as far as ¥3,000 → ¥30,000, which is how spending varies.
 * - Hours (cardholder's local time) and MCC groups: decayed counts, read as shares.
 * - Every learned authorization's weight halves after `limits.profileHalfLifeAuthorizations`
 *   further ones, so the profile follows a cardholder whose habits change without forgetting a
 *   holiday at once. The weighting is normalized, so the first few authorizations count fully.
 * - Merchants, countries and devices: bounded most-recent-first sets of hashes or codes. Learning
 *   one again moves it to the front; beyond the limit the least recently learned is forgotten.
 * - `hasUsedAbroad` is a flag of its own, so it survives the country set forgetting a trip.
 *
 * How an authorization reads against it:
 *
 * - `amountTypical` = exp(mean) − 1, rounded. `amountRatio` = (amount + 1) / (amountTypical + 1).
 * - `amountZ` = (ln(1 + amount) − mean) / max(spread, `limits.profileAmountSpreadLnMin`), and 0
 *   until `limits.profileAmountLearnedMin` authorizations are learned.
 * - `hourShare`: the share of learned weight within ±1 hour of this local hour (three hours of
 *   the 24). `mccGroupShare`: the share in this authorization's MCC group.
 * - `isFirstUseAbroad` = a foreign authorization on a card that has never been used abroad.
 * - A card with nothing learned reads `amountRatio`, `hourShare` and `mccGroupShare` as 1 and
 *   `amountZ` as 0, so a new card is not punished for having no habits yet.
 */
import { limits } from "../../config/limits.ts";
import { assert } from "../../platform/assert.ts";
import type { AuthorizationFacts } from "./authorization-facts.ts";
import { mccGroups } from "./mcc-group.ts";
import { grownArray, rowBytes } from "./typed-arrays.ts";

export type ProfileView = {
  authorizationCount: number;
  amountTypical: number;
  amountZ: number;
  amountRatio: number;
  hourShare: number;
  isKnownMerchant: boolean;
  isKnownCountry: boolean;
  isKnownDevice: boolean;
  mccGroupShare: number;
  hasUsedAbroad: boolean;
  isFirstUseAbroad: boolean;
};

export type CardProfiles = {
  readonly bytesPerCard: number;
  grow(capacity: number): void;
  /** The card's part of each array as byte views: how a row travels to shared state. */
  rowViews(slot: number): Uint8Array[];
  learn(slot: number, facts: AuthorizationFacts): void;
  /** Fills `view` for this authorization. Slot -1 (a card with no state) reads as a new card. */
  read(slot: number, facts: AuthorizationFacts, view: ProfileView): void;
};

const hoursPerDay = 24;
const groupCount = mccGroups.length;
const merchantsMax = limits.profileMerchantsMax;
const countriesMax = limits.profileCountriesMax;
const devicesMax = limits.profileDevicesMax;
const hasUsedAbroadFlag = 1;
// Offsets within a card's part of each array.
const weightAt = 0;
const meanAt = 1;
const squaresAt = 2;
const scalarStride = 3;
const merchantsAt = 2;
const devicesAt = merchantsAt + merchantsMax;
const wordStride = devicesAt + devicesMax;
const shareStride = hoursPerDay + groupCount;
// Read once: the hot path should not go through the config module's bindings on every call.
const { profileAmountLearnedMin, profileAmountSpreadLnMin } = limits;
/** Each learn multiplies earlier weights by this, so a weight halves over the half-life. */
const decay = 2 ** (-1 / limits.profileHalfLifeAuthorizations);

export function createProfileView(): ProfileView {
  return {
    authorizationCount: 0,
    amountTypical: 0,
    amountZ: 0,
    amountRatio: 1,
    hourShare: 1,
    isKnownMerchant: false,
    isKnownCountry: false,
    isKnownDevice: false,
    mccGroupShare: 1,
    hasUsedAbroad: false,
    isFirstUseAbroad: false,
  };
}

export function createCardProfiles(): CardProfiles {
  assert(Math.max(merchantsMax, countriesMax, devicesMax) <= 255, "set lengths fit a byte");
  // Four arrays, so reading a card touches four places rather than one per field.
  // Doubles: the decayed total weight, weighted mean and weighted sum of squared deviations of
  // ln(1 + amount), updated by West's incremental algorithm.
  let scalars = new Float64Array(0);
  // Words: the learned count, a word of flags and set lengths (flags | merchants << 8 |
  // countries << 16 | devices << 24), then the merchant hashes and the device hashes.
  let words = new Uint32Array(0);
  // Decayed counts per hour, then per MCC group: single precision is plenty for shares.
  let shares = new Float32Array(0);
  let countries = new Uint16Array(0);

  const readAmount = (slot: number, count: number, amount: number, view: ProfileView): void => {
    const mean = scalars[slot * scalarStride + meanAt] ?? 0;
    const weight = scalars[slot * scalarStride + weightAt] ?? 1;
    const spread = Math.sqrt(Math.max((scalars[slot * scalarStride + squaresAt] ?? 0) / weight, 0));
    const amountTypical = Math.round(Math.expm1(mean));
    view.amountTypical = amountTypical;
    view.amountZ =
      count < profileAmountLearnedMin
        ? 0
        : (Math.log1p(amount) - mean) / Math.max(spread, profileAmountSpreadLnMin);
    view.amountRatio = (amount + 1) / (amountTypical + 1);
  };

  /**
   * Hour and group counts decay exactly like the total weight, so that weight is the shares'
   * denominator; single-precision rounding can lift a share a hair above 1, hence the clamp.
   */
  const readShares = (slot: number, facts: AuthorizationFacts, view: ProfileView): void => {
    const weight = scalars[slot * scalarStride + weightAt] ?? 0;
    const base = slot * shareStride;
    const near =
      (shares[base + ((facts.localHour + hoursPerDay - 1) % hoursPerDay)] ?? 0) +
      (shares[base + facts.localHour] ?? 0) +
      (shares[base + ((facts.localHour + 1) % hoursPerDay)] ?? 0);
    view.hourShare = Math.min(near / weight, 1);
    view.mccGroupShare = Math.min((shares[base + hoursPerDay + facts.mccGroupIndex] ?? 0) / weight, 1);
  };

  return {
    bytesPerCard:
      scalarStride * Float64Array.BYTES_PER_ELEMENT +
      wordStride * Uint32Array.BYTES_PER_ELEMENT +
      shareStride * Float32Array.BYTES_PER_ELEMENT +
      countriesMax * Uint16Array.BYTES_PER_ELEMENT,

    grow(capacity) {
      scalars = grownArray(scalars, capacity * scalarStride);
      words = grownArray(words, capacity * wordStride);
      shares = grownArray(shares, capacity * shareStride);
      countries = grownArray(countries, capacity * countriesMax);
    },

    rowViews: (slot) => [
      rowBytes(scalars, slot, scalarStride),
      rowBytes(words, slot, wordStride),
      rowBytes(shares, slot, shareStride),
      rowBytes(countries, slot, countriesMax),
    ],

    learn(slot, facts) {
      const wordBase = slot * wordStride;
      words[wordBase] = Math.min((words[wordBase] ?? 0) + 1, 0xffff_ffff);
      const scalarBase = slot * scalarStride;
      const x = Math.log1p(facts.amount);
      const mean = scalars[scalarBase + meanAt] ?? 0;
      const weight = decay * (scalars[scalarBase + weightAt] ?? 0) + 1;
      const meanNext = mean + (x - mean) / weight;
      const squares = decay * (scalars[scalarBase + squaresAt] ?? 0) + (x - mean) * (x - meanNext);
      scalars[scalarBase + weightAt] = weight;
      scalars[scalarBase + meanAt] = meanNext;
      scalars[scalarBase + squaresAt] = squares;
      const shareBase = slot * shareStride;
      for (let i = 0; i < shareStride; i++) {
        shares[shareBase + i] = (shares[shareBase + i] ?? 0) * decay;
      }
      shares[shareBase + facts.localHour] = (shares[shareBase + facts.localHour] ?? 0) + 1;
      const groupAt = shareBase + hoursPerDay + facts.mccGroupIndex;
      shares[groupAt] = (shares[groupAt] ?? 0) + 1;
      const packed = words[wordBase + 1] ?? 0;
      const merchantCount = remember(
        words,
        wordBase + merchantsAt,
        byteOf(packed, 1),
        merchantsMax,
        facts.merchantHash,
      );
      const countryCount = remember(
        countries,
        slot * countriesMax,
        byteOf(packed, 2),
        countriesMax,
        facts.countryCode,
      );
      const deviceCount = facts.hasDevice
        ? remember(words, wordBase + devicesAt, byteOf(packed, 3), devicesMax, facts.deviceHash)
        : byteOf(packed, 3);
      const flags = byteOf(packed, 0) | (facts.isForeign ? hasUsedAbroadFlag : 0);
      words[wordBase + 1] = (flags | (merchantCount << 8) | (countryCount << 16) | (deviceCount << 24)) >>> 0;
    },

    read(slot, facts, view) {
      const wordBase = slot * wordStride;
      const count = slot < 0 ? 0 : (words[wordBase] ?? 0);
      const packed = slot < 0 ? 0 : (words[wordBase + 1] ?? 0);
      const hasUsedAbroad = (byteOf(packed, 0) & hasUsedAbroadFlag) !== 0;
      view.authorizationCount = count;
      view.hasUsedAbroad = hasUsedAbroad;
      view.isFirstUseAbroad = facts.isForeign && !hasUsedAbroad;
      if (count === 0) {
        // A new card is not punished for having no habits yet: shares and ratios read as usual.
        view.amountTypical = 0;
        view.amountZ = 0;
        view.amountRatio = 1;
        view.hourShare = 1;
        view.mccGroupShare = 1;
        view.isKnownMerchant = false;
        view.isKnownCountry = false;
        view.isKnownDevice = false;
        return;
      }
      readAmount(slot, count, facts.amount, view);
      readShares(slot, facts, view);
      view.isKnownMerchant = contains(words, wordBase + merchantsAt, byteOf(packed, 1), facts.merchantHash);
      view.isKnownCountry = contains(countries, slot * countriesMax, byteOf(packed, 2), facts.countryCode);
      view.isKnownDevice =
        facts.hasDevice && contains(words, wordBase + devicesAt, byteOf(packed, 3), facts.deviceHash);
    },
  };
}

function byteOf(word: number, index: number): number {
  return (word >>> (8 * index)) & 0xff;
}

/**
 * Moves `value` to the front of a most-recent-first list of `length` values at `base`, adding it
 * when new; a full list forgets its last (least recently learned) value to make room. Returns the
 * new length.
 */
function remember(
  values: Uint32Array | Uint16Array,
  base: number,
  length: number,
  max: number,
  value: number,
) {
  let position = length;
  for (let i = 0; i < length; i++) {
    if (values[base + i] === value) {
      position = i;
      break;
    }
  }
  for (let i = Math.min(position, max - 1); i > 0; i--) {
    values[base + i] = values[base + i - 1] ?? 0;
  }
  values[base] = value;
  return position === length ? Math.min(length + 1, max) : length;
}

function contains(values: Uint32Array | Uint16Array, base: number, length: number, value: number): boolean {
  for (let i = 0; i < length; i++) {
    if (values[base + i] === value) {
      return true;
    }
  }
  return false;
}
