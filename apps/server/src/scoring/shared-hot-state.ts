/**
 * The port through which several API processes share the engine's hot state (Redis in
 * production, a memory adapter in tests and the simulator). Each entity's state travels as the
 * bytes of its FeatureState row, so every process scores with the same code on the same state.
 *
 * - A card's row (velocity, recent authorizations, profile) changes by compare-and-set on a
 *   version: a process that lost the race scores again on the newer row, so two authorizations
 *   of one card can never both miss each other, whichever processes score them.
 * - Merchant, terminal and device rows are shared by many cards, so they are never replaced:
 *   the adapter adds the authorization to their rings itself (the same ring arithmetic as
 *   velocity-slab.ts), and concurrent authorizations at one merchant never conflict.
 * - The external id is reserved together with the count, with a lease, so a retry sent to another
 *   process while the first is still deciding waits for it, and a retry after the first process
 *   died takes the dead attempt's counts back out before it decides afresh.
 */
import type { Outcome } from "@mimamori/rules";
import type { AllowWindow, Authorization, CardContext } from "./authorization.ts";
import type { EntityKeys } from "./features/index.ts";

/** An authorization counted in the shared state but perhaps not yet durable. */
export type CountedAttempt = {
  /** The authorization id the attempt would be recorded under: unique, so it names the attempt. */
  readonly owner: string;
  readonly authorization: Authorization;
  readonly card: CardContext;
  readonly outcome: Outcome;
};

export type Reservation = {
  readonly requestDigest: string;
  readonly attempt: CountedAttempt;
  /** False once the owner has been silent past its lease: it died, or its store commit failed. */
  readonly isLeaseLive: boolean;
};

export type EntityRows = {
  readonly card: Uint8Array | null;
  readonly merchant: Uint8Array | null;
  readonly terminal: Uint8Array | null;
  readonly device: Uint8Array | null;
};

/** A card's state as of a change committed at `atMs` (the card record's updatedAtMs). */
export type CardStateChange = {
  readonly cardId: string;
  readonly state: CardContext["state"];
  readonly atMs: number;
};

/** An allow window opened for a card ("mine"), published once committed. */
export type AllowWindowChange = { readonly cardId: string; readonly window: AllowWindow };

export type Prefetched = {
  /** False after Redis lost its data (a flush, a failover without persistence): rebuild first. */
  readonly isBuilt: boolean;
  /**
   * The card's latest state change published by any process, or null when none was (or Redis
   * lost it): then the state this process read from the store stands.
   */
  readonly cardState: Omit<CardStateChange, "cardId"> | null;
  /** The card's latest allow window published by any process (perhaps closed by now), or null. */
  readonly allowWindow: AllowWindow | null;
  readonly reservation: Reservation | null;
  /** 0 for a card with no shared state yet. */
  readonly cardVersion: number;
  readonly rows: EntityRows;
};

/** One authorization's part in the merchant, terminal and device rings. */
export type RingMove = { readonly keys: EntityKeys; readonly timeMs: number; readonly amount: number };

export type CountInput = {
  readonly externalId: string;
  readonly requestDigest: string;
  readonly attempt: CountedAttempt;
  readonly keys: EntityKeys;
  readonly expectedCardVersion: number;
  readonly cardRow: Uint8Array;
  readonly add: RingMove;
  /** Set when the attempt replaces a dead owner's: its rings are taken out in the same step. */
  readonly takeOver: { readonly owner: string; readonly remove: RingMove } | null;
};

export type UncountInput = {
  readonly externalId: string;
  readonly owner: string;
  readonly keys: EntityKeys;
  readonly expectedCardVersion: number;
  readonly cardRow: Uint8Array;
  /** The rings to take the attempt out of; null when an earlier call already did. */
  readonly remove: RingMove | null;
};

/**
 * Recent wrong one-time codes per card, across its challenges: the throttle NIST SP 800-63B and
 * RFC 4226 ask for. Kept where every process sees it, so a guesser gains nothing by spreading
 * tries over processes. A window of `challengeFailuresWindowMs`, at most
 * `challengeFailuresPerCardMax` entries per card (only the count up to the throttle matters).
 */
export interface CodeFailureLog {
  recentCodeFailures(cardId: string, nowMs: number): Promise<number>;
  addCodeFailures(cardId: string, count: number, atMs: number): Promise<void>;
  /** A verified code ends the run of failures the throttle counts. */
  clearCodeFailures(cardId: string): Promise<void>;
}

export interface SharedHotState extends CodeFailureLog {
  /** One round trip: the rows an authorization reads and its id's reservation. */
  prefetch(keys: EntityKeys, externalId: string): Promise<Prefetched>;
  /**
   * One round trip, all or nothing: writes the card row if it is still at the expected version,
   * adds to the shared rings, and reserves the id (taking it over from `takeOver.owner`).
   * `card_moved`: another authorization of the card came first. `reserved`: another attempt holds
   * the id. Either way nothing changed, and the caller prefetches again.
   */
  count(input: CountInput): Promise<"ok" | "card_moved" | "reserved">;
  /**
   * Takes a counted attempt back out after its store commit failed: rings (once), the card row
   * (by compare-and-set) and the reservation if the owner still holds it.
   */
  uncount(input: UncountInput): Promise<"ok" | "card_moved">;
  /**
   * Publishes committed card state changes (a block, a suspension, a release), each kept only
   * when newer than the one there, so every process's next authorization of the card reads it
   * in its prefetch instead of asking the store.
   */
  putCardStates(changes: readonly CardStateChange[]): Promise<void>;
  /** Publishes committed allow windows, each kept only when it ends later than the one there. */
  putAllowWindows(changes: readonly AllowWindowChange[]): Promise<void>;
  /** Writes a card row by compare-and-set alone: a profile learning outside an authorization. */
  putCard(cardId: string, expectedCardVersion: number, cardRow: Uint8Array): Promise<"ok" | "card_moved">;
  /** Whether the state is complete (false after Redis lost its data). */
  isBuilt(): Promise<boolean>;
  /** Marks the shared state complete after a rebuild has written every row with `putRows`. */
  markBuilt(): Promise<void>;
  /** Takes the rebuild lock; false when another process holds it. */
  tryLockRebuild(): Promise<boolean>;
  putRows(
    kind: "card" | "merchant" | "terminal" | "device",
    rows: readonly [string, Uint8Array][],
  ): Promise<void>;
  /** For readiness: throws when the shared state cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
