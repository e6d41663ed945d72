import type { FieldSchema } from "@mimamori/rules";

/**
 * Every feature the engine computes for an authorization, with its type. The rule checker uses
 * this table, so a rule that names an unknown feature or compares it with the wrong type fails
 * when it is saved, not when it runs. Amounts are in base (JPY) minor units. Velocity counts are
 * of the card's earlier authorizations, so they do not include the one being scored.
 */
export const featureSchema = {
  // The authorization itself.
  amount: "number",
  currency: "string",
  channel: "string",
  isCardPresent: "bool",
  "merchant.id": "string",
  "merchant.mcc": "string",
  "merchant.mccGroup": "string",
  "merchant.country": "string",
  isForeign: "bool",
  localHour: "number",
  merchantLocalHour: "number",
  "device.present": "bool",

  // The card and its holder.
  "card.state": "string",
  "card.ageDays": "number",
  "cardholder.homeCountry": "string",

  // Card velocity over sliding windows (earlier authorizations, all outcomes).
  "card.count1m": "number",
  "card.count1h": "number",
  "card.count24h": "number",
  "card.count7d": "number",
  "card.count30d": "number",
  "card.sum1m": "number",
  "card.sum1h": "number",
  "card.sum24h": "number",
  "card.sum7d": "number",
  "card.sum30d": "number",

  // From the card's recent authorizations (the last `recentAuthorizationsMax`).
  "card.count10m": "number",
  "card.resellableCount10m": "number",
  "card.resellableCount1h": "number",
  "card.smallCount10m": "number",
  "card.smallCount1h": "number",
  "card.declineCount1h": "number",
  "card.distinctMerchants1h": "number",
  "card.distinctMerchants24h": "number",
  "card.distinctCountries24h": "number",
  "card.foreignCount24h": "number",
  "card.minutesSinceLast": "number",

  // The cardholder's profile, learned from approved authorizations.
  "profile.authorizationCount": "number",
  "profile.amountTypical": "number",
  "profile.amountZ": "number",
  "profile.amountRatio": "number",
  "profile.hourShare": "number",
  "profile.isKnownMerchant": "bool",
  "profile.isKnownCountry": "bool",
  "profile.isKnownDevice": "bool",
  "profile.mccGroupShare": "number",
  "profile.hasUsedAbroad": "bool",
  "profile.isFirstUseAbroad": "bool",

  // Merchant, terminal and device velocity (all cards).
  "merchant.count1m": "number",
  "merchant.count1h": "number",
  "merchant.count24h": "number",
  "merchant.sum24h": "number",
  "terminal.count1h": "number",
  "terminal.count24h": "number",
  "device.count1h": "number",
  "device.count24h": "number",

  // The confirmation loop: the cardholder answered "mine" for this merchant and the allow window
  // is still open, so the merchant's retry goes through. Last, so older snapshots decode.
  "card.isAllowedMerchant": "bool",

  // Step-up: "authenticated" when the authorization carries a valid, unused authentication value
  // from a passed 3-D Secure authentication of this payment; "invalid" when it carries one that is
  // unknown, spent, expired or for another payment; "none" without one. Last, for the same reason.
  "threeDs.status": "string",

  // The active fraud model's probability of fraud, 0–100 (one decimal), 0 without a model: the
  // model's say, for rules to weigh. Set by the engine after the snapshot; last, for old rows.
  "model.score": "number",
} as const satisfies FieldSchema;

export type FeatureName = keyof typeof featureSchema;
type TypeOf<T> = T extends "number" ? number : T extends "string" ? string : boolean;
export type FeatureSnapshot = { -readonly [K in FeatureName]: TypeOf<(typeof featureSchema)[K]> };
