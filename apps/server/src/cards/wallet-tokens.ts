/**
 * Wallet tokens: the device and card-on-file tokens that a scheme's token service (Visa VTS,
 * Mastercard MDES) provisioned for a card. mimamori never holds a token's own number (the DPAN):
 * it knows a token by the token service's reference id, which is what the issuer's lifecycle
 * calls name. When a card is reissued its live tokens move to the replacement, so the
 * cardholder's phone and the merchants that keep the card on file go on working with the new
 * number, as the token service's "PAN update" lifecycle event does, without provisioning again.
 */
import type { walletTokenRequestorValues } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type {
  AuditDraft,
  CardRecord,
  DocumentRecord,
  GroupCommitter,
  Store,
  WriteOp,
} from "../storage/index.ts";
import type { CardDirectory } from "./card-directory.ts";
import type { CardHostReason } from "./card-host.ts";

export type WalletTokenRequestor = (typeof walletTokenRequestorValues)[number];

/** `moved`: the card was reissued and the token now follows the replacement, on a record of its own. */
export type WalletTokenState = "active" | "suspended" | "moved" | "deleted";

export type WalletToken = {
  readonly id: string;
  readonly version: number;
  readonly cardId: string;
  readonly cardholderId: string;
  readonly state: WalletTokenState;
  /** The token service's id for the token (VTS tokenReferenceID, MDES tokenUniqueReference). */
  readonly tokenReferenceId: string;
  readonly tokenRequestor: WalletTokenRequestor;
  readonly deviceName: string | null;
  /** When the token service provisioned the token; a moved token keeps its first provisioning. */
  readonly provisionedAtMs: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** The replacement card the token moved to; null until the card is reissued. */
  readonly movedToCardId: string | null;
  /** The record on the blocked card that this one continues; null for a first provisioning. */
  readonly movedFromTokenId: string | null;
};

export type NewWalletToken = {
  readonly tokenReferenceId: string;
  readonly tokenRequestor: WalletTokenRequestor;
  readonly deviceName?: string | undefined;
};

export type RegisterWalletTokenResult =
  | { readonly ok: true; readonly token: WalletToken }
  | {
      readonly ok: false;
      readonly code:
        | "card_not_found"
        | "card_state_conflict"
        | "wallet_token_limit_reached"
        | "wallet_token_already_registered";
      readonly message: string;
    };

/** A token the token service still routes payments through, and which a reissue must carry over. */
export function isLiveWalletToken(token: WalletToken): boolean {
  return token.state === "active" || token.state === "suspended";
}

export function walletTokenToDocument(token: WalletToken): DocumentRecord {
  return {
    kind: "wallet_token",
    id: token.id,
    version: token.version,
    cardId: token.cardId,
    cardholderId: token.cardholderId,
    state: token.state,
    dueAtMs: null,
    // The reference id is unique among live tokens: provisioning one twice is refused by the
    // store's key, and a moved record gives the key up to the record that continues it.
    lookupKey: isLiveWalletToken(token) ? token.tokenReferenceId : null,
    createdAtMs: token.createdAtMs,
    updatedAtMs: token.updatedAtMs,
    body: {
      tokenReferenceId: token.tokenReferenceId,
      tokenRequestor: token.tokenRequestor,
      deviceName: token.deviceName,
      provisionedAtMs: token.provisionedAtMs,
      movedToCardId: token.movedToCardId,
      movedFromTokenId: token.movedFromTokenId,
    },
  };
}

export function walletTokenFromDocument(document: DocumentRecord): WalletToken {
  const body = document.body as Pick<
    WalletToken,
    | "tokenReferenceId"
    | "tokenRequestor"
    | "deviceName"
    | "provisionedAtMs"
    | "movedToCardId"
    | "movedFromTokenId"
  >;
  return {
    ...body,
    id: document.id,
    version: document.version,
    cardId: document.cardId ?? "",
    cardholderId: document.cardholderId ?? "",
    state: document.state as WalletTokenState,
    createdAtMs: document.createdAtMs,
    updatedAtMs: document.updatedAtMs,
  };
}

/** The token as the API shows it: never a token number, which mimamori does not have. */
export function walletTokenView(token: WalletToken) {
  return {
    id: token.id,
    cardId: token.cardId,
    tokenReferenceId: token.tokenReferenceId,
    tokenRequestor: token.tokenRequestor,
    deviceName: token.deviceName,
    state: token.state,
    provisionedAt: new Date(token.provisionedAtMs).toISOString(),
    updatedAt: new Date(token.updatedAtMs).toISOString(),
    movedToCardId: token.movedToCardId,
    movedFromTokenId: token.movedFromTokenId,
  };
}

/**
 * The token service's lifecycle event for one token after a reissue. Cards are named by id: the
 * issuer's processor, which received the new number sealed in the card-host order, maps ids to
 * numbers on its side, so no PAN travels in this message or rests in the outbox.
 */
export type TokenPanUpdate = {
  readonly event: "pan_update";
  readonly tokenReferenceId: string;
  readonly tokenRequestor: WalletTokenRequestor;
  readonly cardId: string;
  readonly replacesCardId: string;
  readonly reason: CardHostReason;
  readonly occurredAt: string;
};

/** What a reissue does to the blocked card's wallet tokens, committed with the reissue itself. */
export type WalletTokenMove = {
  readonly ops: readonly WriteOp[];
  readonly audit: readonly AuditDraft[];
  readonly notices: readonly TokenPanUpdate[];
  /** For the case: each token that now follows the replacement. */
  readonly moved: readonly {
    readonly tokenReferenceId: string;
    readonly tokenRequestor: WalletTokenRequestor;
    readonly deviceName: string | null;
    readonly fromTokenId: string;
    readonly toTokenId: string;
  }[];
};

/**
 * Each live token of the old card is marked `moved` and continued by a new record on the
 * replacement, with the same reference id, requestor and state. A new record rather than the old
 * one re-pointed: the blocked card keeps its history (which tokens it had, where they went), and
 * each card's list is read by its own id.
 *
 * Every live token moves, including one provisioned on a device the fraud may have used: an
 * authorization does not yet say which token paid, so there is nothing to tell them apart by.
 * An analyst deletes such a token with the token service from the case, which lists every move.
 */
export function moveWalletTokens(
  tokens: readonly WalletToken[],
  move: {
    readonly replacement: CardRecord;
    readonly reason: CardHostReason;
    readonly ids: IdGenerator;
    readonly nowMs: number;
  },
): WalletTokenMove {
  const { replacement, reason, ids, nowMs } = move;
  const ops: WriteOp[] = [];
  const audit: AuditDraft[] = [];
  const notices: TokenPanUpdate[] = [];
  const moved: WalletTokenMove["moved"][number][] = [];
  for (const token of tokens.filter(isLiveWalletToken)) {
    const successor: WalletToken = {
      ...token,
      id: ids.next("wtk"),
      version: 1,
      cardId: replacement.id,
      cardholderId: replacement.cardholderId,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      movedToCardId: null,
      movedFromTokenId: token.id,
    };
    const retired: WalletToken = {
      ...token,
      version: token.version + 1,
      state: "moved",
      updatedAtMs: nowMs,
      movedToCardId: replacement.id,
    };
    // The retired record gives up the reference id before its successor takes it, because the
    // store checks the unique key operation by operation, in order.
    ops.push(
      { kind: "updateDocument", document: walletTokenToDocument(retired) },
      { kind: "insertDocument", document: walletTokenToDocument(successor) },
    );
    audit.push({
      actor: "system",
      action: "wallet_token.moved",
      subjectId: token.id,
      payload: {
        tokenReferenceId: token.tokenReferenceId,
        fromCardId: token.cardId,
        toCardId: replacement.id,
        toTokenId: successor.id,
      },
      atMs: nowMs,
    });
    notices.push({
      event: "pan_update",
      tokenReferenceId: token.tokenReferenceId,
      tokenRequestor: token.tokenRequestor,
      cardId: replacement.id,
      replacesCardId: token.cardId,
      reason,
      occurredAt: new Date(nowMs).toISOString(),
    });
    moved.push({
      tokenReferenceId: token.tokenReferenceId,
      tokenRequestor: token.tokenRequestor,
      deviceName: token.deviceName,
      fromTokenId: token.id,
      toTokenId: successor.id,
    });
  }
  return { ops, audit, notices, moved };
}

/** The issuer's record of a card's wallet tokens, as the token service provisions them. */
export function createWalletTokenService(deps: {
  store: Pick<Store, "listDocuments">;
  committer: Pick<GroupCommitter, "submit">;
  directory: Pick<CardDirectory, "getCard">;
  ids: IdGenerator;
  clock: Clock;
}) {
  const { store, committer, directory, ids, clock } = deps;

  /** Live and moved together stay within one page: see assertLimits. */
  const tokensOf = async (cardId: string): Promise<WalletToken[]> =>
    (await store.listDocuments("wallet_token", { cardId }, null, limits.pageSizeMax)).map(
      walletTokenFromDocument,
    );

  return {
    tokensOf,

    async register(cardId: string, input: NewWalletToken): Promise<RegisterWalletTokenResult> {
      const card = directory.getCard(cardId);
      if (card === undefined) {
        return { ok: false, code: "card_not_found", message: "No card with that id." };
      }
      // The token service asks the issuer before it provisions; a card that cannot pay gets no token.
      if (card.state !== "active") {
        return {
          ok: false,
          code: "card_state_conflict",
          message: `A ${card.state} card takes no new wallet tokens.`,
        };
      }
      if ((await tokensOf(cardId)).filter(isLiveWalletToken).length >= limits.walletTokensPerCardMax) {
        return {
          ok: false,
          code: "wallet_token_limit_reached",
          message: `A card has at most ${limits.walletTokensPerCardMax} live wallet tokens.`,
        };
      }
      const nowMs = clock.nowMs();
      const token: WalletToken = {
        id: ids.next("wtk"),
        version: 1,
        cardId,
        cardholderId: card.cardholderId,
        state: "active",
        tokenReferenceId: input.tokenReferenceId,
        tokenRequestor: input.tokenRequestor,
        deviceName: input.deviceName ?? null,
        provisionedAtMs: nowMs,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
        movedToCardId: null,
        movedFromTokenId: null,
      };
      const result = await committer.submit({
        ops: [{ kind: "insertDocument", document: walletTokenToDocument(token) }],
        audit: [
          {
            actor: "api_key",
            action: "wallet_token.registered",
            subjectId: token.id,
            payload: {
              cardId,
              tokenReferenceId: token.tokenReferenceId,
              tokenRequestor: token.tokenRequestor,
            },
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        if (result.code === "duplicate_lookup_key") {
          return {
            ok: false,
            code: "wallet_token_already_registered",
            message: "A live wallet token already has this token reference id.",
          };
        }
        throw new Error(`wallet token insert failed: ${result.code}`);
      }
      return { ok: true, token };
    },
  };
}

export type WalletTokenService = ReturnType<typeof createWalletTokenService>;
