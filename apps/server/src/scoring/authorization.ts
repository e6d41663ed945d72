import { type CardState, type Channel, cardStateValues, channelValues } from "@mimamori/contracts";
import type { CardholderId, CardId } from "../platform/ids.ts";

// Channels and card states are API vocabulary, so they are defined once in the contracts.
export const channels = channelValues;
export const cardStates = cardStateValues;
export type { CardState, Channel };

/** Channels where the cardholder is not at the terminal, so 3-D Secure style step-up is possible. */
export const stepUpChannels: ReadonlySet<Channel> = new Set<Channel>(["ecommerce"]);

/** An authorization after parsing at the edge: amounts checked, card resolved, time in epoch ms. */
export type Authorization = {
  readonly externalId: string;
  readonly cardId: CardId;
  readonly amountMinor: number;
  readonly currency: string;
  /** The amount in the issuer's base currency (JPY) minor units: what velocity and profiles sum. */
  readonly amountBaseMinor: number;
  readonly merchant: {
    readonly id: string;
    readonly name: string;
    readonly mcc: string;
    readonly country: string;
    readonly terminalId: string | null;
  };
  readonly channel: Channel;
  readonly occurredAtMs: number;
  /** The UTC offset written in `occurredAt`, which is the merchant's local time. */
  readonly occurredAtOffsetMinutes: number;
  readonly device: { readonly ip: string | null; readonly fingerprint: string | null };
  /**
   * What the authorization's 3-D Secure authentication value proved; absent without one (and in
   * decisions recorded before step-up existed).
   */
  readonly threeDs?: ThreeDsStatus;
};

export type ThreeDsStatus = "authenticated" | "invalid";

/** What the engine knows about the card and its holder when it scores: all held in memory. */
export type CardContext = {
  readonly cardId: CardId;
  readonly cardholderId: CardholderId;
  readonly state: CardState;
  readonly homeCountry: string;
  readonly timeZone: string;
  readonly createdAtMs: number;
  /** Open after the cardholder answered "mine": these merchants' retries are approved until then. */
  readonly allowWindow: AllowWindow | null;
};

export type AllowWindow = { readonly merchantIds: readonly string[]; readonly untilMs: number };
