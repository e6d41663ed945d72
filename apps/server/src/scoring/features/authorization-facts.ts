/**
 * What the feature state needs from an authorization, derived once per call: hashes, packed
 * codes, the MCC group and the cardholder's local hour. One scratch object per feature state is
 * refilled on every call, so the hot path allocates nothing for it; calls are synchronous, so
 * no two of them share it at once.
 */
import { assert } from "../../platform/assert.ts";
import type { Authorization, CardContext } from "../authorization.ts";
import { countryCodeOf, hashString } from "./compact-keys.ts";
import type { LocalHourCache } from "./local-hour.ts";
import { mccGroupIndexOf } from "./mcc-group.ts";

export type AuthorizationFacts = {
  timeMs: number;
  amount: number;
  merchantHash: number;
  countryCode: number;
  isForeign: boolean;
  mccGroupIndex: number;
  /** Hour (0–23) on the cardholder's wall clock. */
  localHour: number;
  hasDevice: boolean;
  /** 0 when there is no device fingerprint. */
  deviceHash: number;
};

export function createAuthorizationFacts(): AuthorizationFacts {
  return {
    timeMs: 0,
    amount: 0,
    merchantHash: 0,
    countryCode: 0,
    isForeign: false,
    mccGroupIndex: 0,
    localHour: 0,
    hasDevice: false,
    deviceHash: 0,
  };
}

/** Refills `facts` for this authorization, after checking the preconditions every method shares. */
export function readAuthorizationFacts(
  auth: Authorization,
  card: CardContext,
  localHours: LocalHourCache,
  facts: AuthorizationFacts,
): void {
  assert(auth.cardId === card.cardId, "the card context belongs to the authorization's card");
  assert(Number.isSafeInteger(auth.occurredAtMs) && auth.occurredAtMs >= 0, "occurredAtMs is epoch ms");
  assert(
    Number.isSafeInteger(auth.amountBaseMinor) && auth.amountBaseMinor >= 0,
    "amountBaseMinor is a non-negative integer",
  );
  const fingerprint = auth.device.fingerprint;
  facts.timeMs = auth.occurredAtMs;
  facts.amount = auth.amountBaseMinor;
  facts.merchantHash = hashString(auth.merchant.id);
  facts.countryCode = countryCodeOf(auth.merchant.country);
  facts.isForeign = auth.merchant.country !== card.homeCountry;
  facts.mccGroupIndex = mccGroupIndexOf(auth.merchant.mcc);
  facts.localHour = localHours.hourIn(auth.occurredAtMs, card.timeZone);
  facts.hasDevice = fingerprint !== null;
  facts.deviceHash = fingerprint === null ? 0 : hashString(fingerprint);
}
