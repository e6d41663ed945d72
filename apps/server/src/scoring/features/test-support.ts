/**
 * Test support, not part of the module's surface: builders for authorizations and card
 * contexts, and the fast-check parameters the property tests share.
 */
import type { CardholderId, CardId } from "../../platform/ids.ts";
import { propertyParameters as sharedPropertyParameters } from "../../platform/property-parameters.ts";
import type { Authorization, CardContext, Channel } from "../authorization.ts";

export const propertyParameters = sharedPropertyParameters(200);

/** 2023-11-14T22:13:20Z: a fixed instant far from any DST change in the zones used here. */
export const baseTimeMs = 1_700_000_000_000;

export function makeCard(overrides: Partial<CardContext> = {}): CardContext {
  return {
    cardId: "card_test0000000000001" as CardId,
    cardholderId: "ch_test" as CardholderId,
    state: "active",
    homeCountry: "JP",
    timeZone: "Asia/Tokyo",
    createdAtMs: baseTimeMs - 400 * 86_400_000,
    allowWindow: null,
    ...overrides,
  };
}

export type AuthorizationOptions = {
  readonly externalId?: string;
  readonly cardId?: string;
  readonly amount?: number;
  readonly merchantId?: string;
  readonly mcc?: string;
  readonly country?: string;
  readonly terminalId?: string | null;
  readonly channel?: Channel;
  readonly occurredAtMs?: number;
  readonly offsetMinutes?: number;
  readonly fingerprint?: string | null;
};

export function makeAuthorization(options: AuthorizationOptions = {}): Authorization {
  const amount = options.amount ?? 3_000;
  return {
    externalId: options.externalId ?? "ext_1",
    cardId: (options.cardId ?? "card_test0000000000001") as CardId,
    amountMinor: amount,
    currency: "JPY",
    amountBaseMinor: amount,
    merchant: {
      id: options.merchantId ?? "mer_grocer",
      name: "Test merchant",
      mcc: options.mcc ?? "5411",
      country: options.country ?? "JP",
      terminalId: options.terminalId === undefined ? null : options.terminalId,
    },
    channel: options.channel ?? "pos",
    occurredAtMs: options.occurredAtMs ?? baseTimeMs,
    occurredAtOffsetMinutes: options.offsetMinutes ?? 540,
    device: { ip: null, fingerprint: options.fingerprint === undefined ? null : options.fingerprint },
  };
}
