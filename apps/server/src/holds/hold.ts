/**
 * A hold and its state machine (DESIGN §3.2). A hold is resolved exactly once: from `pending` by
 * the cardholder's answer, by the answer window running out, or by an analyst; an analyst may
 * also settle an `expired` hold after the outbound call. Every other move is refused here, so no
 * caller can resolve a hold twice by mistake.
 */
import type { DocumentRecord } from "../storage/index.ts";

export const holdStates = [
  "pending",
  "confirmed_mine",
  "denied",
  "expired",
  "released_by_analyst",
  "blocked_by_analyst",
] as const;
export type HoldState = (typeof holdStates)[number];

export type HoldResolution =
  | "confirmed_mine"
  | "denied"
  | "expired"
  | "released_by_analyst"
  | "blocked_by_analyst";

/** Where an answer or action came from, kept with the resolution for the case timeline. */
export type AnswerChannel = "portal" | "sms" | "link" | "console" | "system";

/** One authorization the hold asks about: enough to show the cardholder without another read. */
export type HeldAuthorization = {
  readonly authorizationId: string;
  readonly merchantId: string;
  readonly merchantName: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly occurredAtMs: number;
  readonly channel: string;
  readonly outcome: string;
};

export type Hold = {
  readonly id: string;
  readonly version: number;
  readonly cardId: string;
  readonly cardholderId: string;
  readonly state: HoldState;
  /** The short code a cardholder with several open confirmations adds to an SMS reply. */
  readonly reference: string;
  readonly openedAtMs: number;
  readonly expiresAtMs: number;
  readonly updatedAtMs: number;
  readonly authorizations: readonly HeldAuthorization[];
  readonly resolution: {
    readonly state: HoldResolution;
    readonly channel: AnswerChannel;
    readonly actor: string;
    readonly reason: string | null;
    readonly atMs: number;
  } | null;
  /** The case opened for this hold ("not mine", expiry, analyst block); null while none. */
  readonly caseId: string | null;
  /** The card issued in place of this one after "not mine" or an analyst's block. */
  readonly replacementCardId: string | null;
};

/** Which resolutions may follow which state: the only table of legal moves. */
const legalMoves: Readonly<Record<HoldState, readonly HoldResolution[]>> = {
  pending: ["confirmed_mine", "denied", "expired", "released_by_analyst", "blocked_by_analyst"],
  expired: ["released_by_analyst", "blocked_by_analyst"],
  confirmed_mine: [],
  denied: [],
  released_by_analyst: [],
  blocked_by_analyst: [],
};

export function canResolve(hold: Hold, to: HoldResolution): boolean {
  return legalMoves[hold.state].includes(to);
}

/** A pending hold's reference is unique among its cardholder's pending holds. */
function lookupKeyOf(hold: Hold): string | null {
  return hold.state === "pending" ? `${hold.cardholderId}:${hold.reference}` : null;
}

export function holdToDocument(hold: Hold): DocumentRecord {
  return {
    kind: "hold",
    id: hold.id,
    version: hold.version,
    cardId: hold.cardId,
    cardholderId: hold.cardholderId,
    state: hold.state,
    // Only a pending hold has a deadline the expiry worker watches.
    dueAtMs: hold.state === "pending" ? hold.expiresAtMs : null,
    lookupKey: lookupKeyOf(hold),
    createdAtMs: hold.openedAtMs,
    updatedAtMs: hold.updatedAtMs,
    body: {
      reference: hold.reference,
      expiresAtMs: hold.expiresAtMs,
      authorizations: hold.authorizations,
      resolution: hold.resolution,
      caseId: hold.caseId,
      replacementCardId: hold.replacementCardId,
    },
  };
}

export function holdFromDocument(document: DocumentRecord): Hold {
  const body = document.body as Pick<
    Hold,
    "reference" | "expiresAtMs" | "authorizations" | "resolution" | "caseId" | "replacementCardId"
  >;
  return {
    id: document.id,
    version: document.version,
    cardId: document.cardId ?? "",
    cardholderId: document.cardholderId ?? "",
    state: document.state as HoldState,
    reference: body.reference,
    openedAtMs: document.createdAtMs,
    expiresAtMs: body.expiresAtMs,
    updatedAtMs: document.updatedAtMs,
    authorizations: body.authorizations,
    resolution: body.resolution,
    caseId: body.caseId,
    replacementCardId: body.replacementCardId,
  };
}

/** The hold as the API shows it. */
export function holdView(hold: Hold) {
  return {
    id: hold.id,
    cardId: hold.cardId,
    cardholderId: hold.cardholderId,
    state: hold.state,
    reference: hold.reference,
    openedAt: new Date(hold.openedAtMs).toISOString(),
    expiresAt: new Date(hold.expiresAtMs).toISOString(),
    authorizations: hold.authorizations.map((held) => ({
      authorizationId: held.authorizationId,
      merchant: { id: held.merchantId, name: held.merchantName },
      amount: { minor: held.amountMinor, currency: held.currency },
      occurredAt: new Date(held.occurredAtMs).toISOString(),
      channel: held.channel,
      outcome: held.outcome,
    })),
    resolution:
      hold.resolution === null
        ? null
        : {
            state: hold.resolution.state,
            channel: hold.resolution.channel,
            actor: hold.resolution.actor,
            reason: hold.resolution.reason,
            at: new Date(hold.resolution.atMs).toISOString(),
          },
    caseId: hold.caseId,
    replacementCardId: hold.replacementCardId,
  };
}
