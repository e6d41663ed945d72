/**
 * The confirmation loop (DESIGN §3.2): a `hold` decision suspends the card and opens one hold per
 * card; the cardholder's answer, the answer window or an analyst resolves it exactly once.
 *
 * Hot state: the pending holds and the open allow windows live in memory (rebuilt from the store
 * at start-up), so the authorization path decides with no read. A resolution first takes the hold
 * out of the pending set synchronously, so a second answer in this process sees it resolved
 * before any await; the store's compare-and-set on the hold's version makes it exactly once
 * across processes too.
 */
import type { CardState } from "@mimamori/contracts";
import {
  type CardDirectory,
  type CardHostKeys,
  type CardHostReason,
  cardHostWebhookBody,
  cardNetworkOf,
  expiryAfter,
  fraudDisputeReasonOf,
  generateCvv,
  generateReplacementPan,
  moveWalletTokens,
  type PanVault,
  sealForCardHost,
  type WalletTokenMove,
  walletTokenFromDocument,
} from "../cards/index.ts";
import { limits } from "../config/limits.ts";
import { newReference, parseSmsReply } from "../notifications/index.ts";
import { type MessageDraft, newOutboxMessage, outboxInsertOp, outboxToDocument } from "../outbox/index.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import type { AllowWindow, Authorization, CardContext } from "../scoring/index.ts";
import {
  type AuditDraft,
  type CardholderRecord,
  type CardRecord,
  createSeenVersions,
  type DecisionRecord,
  type DocumentKind,
  type DocumentRecord,
  forEachDocumentInState,
  type GroupCommitter,
  newDocument,
  type Store,
  submitOrRestore,
  type WriteOp,
} from "../storage/index.ts";
import {
  type ConfirmationLink,
  type ConfirmationLinkRefusal,
  isLinkTokenShaped,
  linkFromDocument,
  linkToDocument,
  linkTokenDigest,
  newConfirmationLink,
} from "./confirmation-links.ts";
import {
  type AnswerChannel,
  canResolve,
  type HeldAuthorization,
  type Hold,
  type HoldResolution,
  holdFromDocument,
  holdToDocument,
} from "./hold.ts";
import type { ReplyKind } from "./hold-messages.ts";

/** What the one-time link's page shows: the request's own facts, in the cardholder's language. */
export type ConfirmationPage = {
  readonly language: "ja" | "en";
  readonly issuerName: string;
  readonly last4: string;
  readonly securityPhrase: string;
  readonly reference: string;
  readonly authorizations: readonly {
    readonly merchant: string;
    readonly amount: string;
    readonly localTime: string;
  }[];
};

/** The messages the loop sends; the notifications module renders them (main.ts wires it). */
export type HoldMessages = {
  confirmationRequest(input: {
    cardholder: CardholderRecord;
    card: CardRecord;
    held: HeldAuthorization;
    reference: string;
    /** The one-time answer link, where the issuer turned links on; null otherwise. */
    link: string | null;
  }): MessageDraft[];
  linkPage(input: { cardholder: CardholderRecord; card: CardRecord; hold: Hold }): ConfirmationPage;
  notice(
    kind: "answer_received_mine" | "answer_received_not_mine" | "hold_expired_call_notice",
    input: {
      cardholder: CardholderRecord;
      card: CardRecord;
      held: HeldAuthorization;
      channel: AnswerChannel;
    },
  ): MessageDraft[];
};

/** What an authorization's unit of work gains from the loop: the hold's writes and an undo. */
export type HoldEffect = {
  readonly ops: readonly WriteOp[];
  readonly audit: readonly AuditDraft[];
  readonly holdId: string | null;
  /** Puts memory back as it was when the unit's commit failed. */
  readonly undo: () => void;
};

/** The effect of the common case, a decision that opens or joins no hold: shared, not rebuilt. */
const noHoldEffect: HoldEffect = { ops: [], audit: [], holdId: null, undo: () => {} };

export type ResolveResult =
  | { readonly ok: true; readonly hold: Hold }
  | {
      readonly ok: false;
      readonly code: "hold_not_found" | "hold_already_resolved" | "replacement_failed";
      readonly message: string;
      readonly hold?: Hold;
    };

/** What the link's page can show: the question or the answer taken, or why the link is unusable. */
export type LinkResult =
  | { readonly ok: true; readonly hold: Hold; readonly page: ConfirmationPage }
  | { readonly ok: false; readonly code: ConfirmationLinkRefusal | "replacement_failed" };

type Actor = { readonly channel: AnswerChannel; readonly actor: string; readonly reason: string | null };

export type HoldServiceDeps = {
  store: Pick<
    Store,
    | "getDocument"
    | "listDocumentsInState"
    | "getDecision"
    | "listDecisionsByCard"
    | "listDocuments"
    | "listDocumentsDue"
    | "findDocumentByLookupKey"
  >;
  committer: Pick<GroupCommitter, "submit">;
  directory: CardDirectory;
  vault: PanVault;
  features: { learn(authorization: Authorization, card: CardContext): void };
  ids: IdGenerator;
  clock: Clock;
  random: Random;
  messages: HoldMessages;
  /** The SMS sent back when a reply did not settle a hold. */
  reply: (
    kind: ReplyKind,
    cardholder: CardholderRecord,
    pending: readonly { hold: Hold; card: CardRecord }[],
  ) => MessageDraft;
  cardHostKeys: CardHostKeys;
  /** How long the cardholder has to answer before the hold expires. */
  windowMs: number;
  /** Where the one-time answer link's page is served (the token follows); null sends no link. */
  confirmationLinkBaseUrl: string | null;
  /** Called after a commit that queued messages, so the dispatcher sends them at once. */
  onMessagesQueued: () => void;
  /**
   * Present when several processes write the store: memory is then a cache of it. A resolution
   * reads the hold and the card from the store first, and other processes' changes arrive
   * through `absorb`.
   */
  sharedStore?: { refreshCard(cardId: string): Promise<void> };
  /** Told of each resolution once committed: "not mine" and "mine" are the freshest labels. */
  onResolved?: (hold: Hold) => void;
};

export async function createHoldService(deps: HoldServiceDeps) {
  const { store, committer, directory, ids, clock, random } = deps;
  assert(
    deps.windowMs >= limits.confirmationWindowMsMin && deps.windowMs <= limits.confirmationWindowMsMax,
    "the confirmation window is within its limits",
  );
  const pendingByCard = new Map<string, Hold>();
  const pendingById = new Map<string, Hold>();
  /** Holds whose resolution is being committed: taken, so a second answer is refused at once. */
  const resolving = new Set<string>();
  const allowWindows = new Map<string, AllowWindow>();
  const seen = createSeenVersions(limits.changeFollowSeenKeepMs);
  const isShared = deps.sharedStore !== undefined;

  const putPending = (hold: Hold): void => {
    pendingByCard.set(hold.cardId, hold);
    pendingById.set(hold.id, hold);
    seen.note(hold.id, hold.version, clock.nowMs());
  };
  const dropPending = (hold: Hold): void => {
    if (pendingByCard.get(hold.cardId)?.id === hold.id) {
      pendingByCard.delete(hold.cardId);
    }
    pendingById.delete(hold.id);
  };
  /** A stored hold's version, taken into memory when it is newer than what this process knows. */
  const absorbHold = (hold: Hold): void => {
    if (resolving.has(hold.id) || !seen.isNewer(hold.id, hold.version)) {
      return;
    }
    if (hold.state === "pending") {
      putPending(hold);
    } else {
      dropPending(hold);
      seen.note(hold.id, hold.version, clock.nowMs());
    }
  };
  const putAllowWindow = (cardId: string, window: AllowWindow): void => {
    const open = allowWindows.get(cardId);
    if (open === undefined || open.untilMs <= window.untilMs) {
      allowWindows.set(cardId, window);
    }
  };

  // Rebuild: pending holds and the allow windows that are still open.
  const forEachInState = (
    kind: DocumentKind,
    state: string,
    visit: (document: DocumentRecord) => void,
  ): Promise<void> => forEachDocumentInState(store, kind, state, limits.rebuildPageRows, visit);
  await forEachInState("hold", "pending", (document) => putPending(holdFromDocument(document)));
  const absorbAllowWindow = (document: DocumentRecord): void => {
    const window = document.body as AllowWindow;
    if (document.cardId !== null && document.state === "open" && window.untilMs > clock.nowMs()) {
      putAllowWindow(document.cardId, window);
    }
  };
  await forEachInState("allow_window", "open", absorbAllowWindow);

  const cardAndHolder = directory.cardWithHolder;

  const referenceFor = (cardholderId: string): string => {
    const taken = new Set(
      [...pendingByCard.values()].filter((h) => h.cardholderId === cardholderId).map((h) => h.reference),
    );
    const drawn = newReference(random, (reference) => taken.has(reference));
    // Thousands of references against a handful of open holds: failing here is a broken Random.
    assert(drawn.ok, "a free hold reference is drawn within the bounded attempts");
    return drawn.reference;
  };

  const messageOps = (drafts: readonly MessageDraft[], card: CardRecord, nowMs: number): WriteOp[] =>
    drafts.map((draft) => outboxInsertOp(draft, card, ids, nowMs));

  const commitOrRestore = async (
    ops: WriteOp[],
    audit: AuditDraft[],
    restore: () => void,
  ): Promise<"ok" | "conflict"> => {
    const outcome = await submitOrRestore(committer, { ops, audit }, restore);
    if (outcome === "ok") {
      deps.onMessagesQueued();
    }
    return outcome;
  };

  /** The hot path: a hold decision opens a hold; an attempt on a held card joins it. */
  const onDecision = (input: {
    authorizationId: string;
    authorization: Authorization;
    card: CardContext;
    outcome: string;
    nowMs: number;
  }): HoldEffect => {
    const { authorization, card, nowMs } = input;
    // Built only when the decision touches a hold: most decisions approve and need none of it.
    const heldOf = (): HeldAuthorization => ({
      authorizationId: input.authorizationId,
      merchantId: authorization.merchant.id,
      merchantName: authorization.merchant.name,
      amountMinor: authorization.amountMinor,
      currency: authorization.currency,
      occurredAtMs: authorization.occurredAtMs,
      channel: authorization.channel,
      outcome: input.outcome,
    });
    const existing = pendingByCard.get(card.cardId);
    if (input.outcome === "hold" && card.state === "active" && existing === undefined) {
      const { card: cardRecord, cardholder } = cardAndHolder(card.cardId);
      const held = heldOf();
      const hold: Hold = {
        id: ids.next("hold"),
        version: 1,
        cardId: card.cardId,
        cardholderId: card.cardholderId,
        state: "pending",
        reference: referenceFor(card.cardholderId),
        openedAtMs: nowMs,
        expiresAtMs: nowMs + deps.windowMs,
        updatedAtMs: nowMs,
        authorizations: [held],
        resolution: null,
        caseId: null,
        replacementCardId: null,
      };
      putPending(hold);
      directory.setCardState(card.cardId, "suspended", nowMs);
      const minted =
        deps.confirmationLinkBaseUrl === null
          ? null
          : newConfirmationLink({ ids, random }, hold, deps.confirmationLinkBaseUrl, nowMs);
      const drafts = deps.messages.confirmationRequest({
        cardholder,
        card: cardRecord,
        held,
        reference: hold.reference,
        link: minted?.url ?? null,
      });
      return {
        ops: [
          { kind: "updateCardState", cardId: card.cardId, state: "suspended", atMs: nowMs },
          { kind: "insertDocument", document: holdToDocument(hold) },
          ...(minted === null
            ? []
            : [{ kind: "insertDocument", document: linkToDocument(minted.link) } as const]),
          ...messageOps(drafts, cardRecord, nowMs),
        ],
        audit: [
          {
            actor: "system",
            action: "hold.opened",
            subjectId: hold.id,
            payload: {
              cardId: card.cardId,
              authorizationId: input.authorizationId,
              expiresAtMs: hold.expiresAtMs,
            },
            atMs: nowMs,
          },
        ],
        holdId: hold.id,
        undo: () => {
          dropPending(hold);
          directory.setCardState(card.cardId, card.state, nowMs);
        },
      };
    }
    // A further attempt while the hold waits (the fraudster's retry, or the cardholder's) is
    // listed on it, so the cardholder answers for everything tried on the card.
    if (
      existing !== undefined &&
      !resolving.has(existing.id) &&
      card.state === "suspended" &&
      existing.authorizations.length < limits.holdAuthorizationsMax
    ) {
      const extended: Hold = {
        ...existing,
        version: existing.version + 1,
        updatedAtMs: nowMs,
        authorizations: [...existing.authorizations, heldOf()],
      };
      putPending(extended);
      return {
        ops: [{ kind: "updateDocument", document: holdToDocument(extended) }],
        audit: [
          {
            actor: "system",
            action: "hold.extended",
            subjectId: existing.id,
            payload: { authorizationId: input.authorizationId },
            atMs: nowMs,
          },
        ],
        holdId: existing.id,
        // Several extensions may have failed in one batch; the store's copy is the truth, so it is
        // read back rather than guessed, and a later extension then builds on the right version.
        undo: () => {
          putPending(existing);
          void store.getDocument("hold", existing.id).then(
            (document) => {
              const stored = document === null ? null : holdFromDocument(document);
              if (stored !== null && stored.state === "pending" && !resolving.has(stored.id)) {
                putPending(stored);
              }
            },
            () => {},
          );
        },
      };
    }
    return existing === undefined ? noHoldEffect : { ...noHoldEffect, holdId: existing.id };
  };

  /** Memory first; on a shared store the store first, since another process may have moved it. */
  const findHold = async (holdId: string): Promise<Hold | null> => {
    const pending = pendingById.get(holdId);
    if (pending !== undefined && (!isShared || resolving.has(holdId))) {
      return pending;
    }
    const document = await store.getDocument("hold", holdId);
    const stored = document === null ? null : holdFromDocument(document);
    if (stored !== null) {
      absorbHold(stored);
    }
    return stored;
  };

  /**
   * Block the card and issue its replacement, moving the card's wallet tokens along: the writes,
   * their audit, the tokens moved (for the case), and what memory must learn once committed.
   */
  const reissue = async (
    card: CardRecord,
    reason: CardHostReason,
    nowMs: number,
  ): Promise<{
    ops: WriteOp[];
    audit: readonly AuditDraft[];
    walletTokens: WalletTokenMove["moved"];
    replacement: CardRecord;
    apply: () => void;
  } | null> => {
    const oldPan = deps.vault.decrypt(card.panCiphertext);
    const drawn = generateReplacementPan({
      oldPan,
      random,
      isTaken: (pan) =>
        deps.vault.hashesForLookup(pan).some((hash) => directory.cardIdByPanHash(hash) !== undefined),
    });
    if (!drawn.ok) {
      return null;
    }
    const { cardholder } = cardAndHolder(card.id);
    const replacement: CardRecord = {
      id: ids.next("card"),
      cardholderId: card.cardholderId,
      panHash: deps.vault.hash(drawn.pan),
      panCiphertext: deps.vault.encrypt(drawn.pan),
      panBin: drawn.pan.slice(0, 6),
      panLast4: drawn.pan.slice(-4),
      expiry: expiryAfter(nowMs, limits.replacementCardValidityYears, cardholder.timeZone),
      state: "active",
      replacesCardId: card.id,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    // The new number, expiry and CVV leave only sealed for the card host; the CVV is never kept.
    const sealed = await sealForCardHost(
      {
        cardId: replacement.id,
        replacesCardId: card.id,
        pan: drawn.pan,
        expiry: replacement.expiry,
        cvv: generateCvv(random, cardNetworkOf(drawn.pan)),
        reason,
        issuedAtMs: nowMs,
      },
      deps.cardHostKeys,
    );
    const order = cardHostWebhookBody(sealed, {
      cardId: replacement.id,
      replacesCardId: card.id,
      reason,
      issuedAtMs: nowMs,
    });
    // Tokens registered after this read, while the commit runs, stay on the blocked card: none can
    // be during a hold (the card is suspended and takes no tokens), only in a lost-card report.
    const tokens = await store.listDocuments("wallet_token", { cardId: card.id }, null, limits.pageSizeMax);
    const tokenMove = moveWalletTokens(tokens.map(walletTokenFromDocument), {
      replacement,
      reason,
      ids,
      nowMs,
    });
    // Messages to the issuer's own systems, not to the cardholder: owned by the new card only.
    const systemMessage = (
      channel: "card_host" | "token_service",
      purpose: string,
      body: unknown,
    ): WriteOp => ({
      kind: "insertDocument",
      document: outboxToDocument(
        newOutboxMessage(
          {
            channel,
            to: channel,
            language: cardholder.language,
            subject: null,
            body: JSON.stringify(body),
            purpose,
          },
          { cardholderId: null, cardId: replacement.id },
          ids,
          nowMs,
        ),
      ),
    });
    return {
      ops: [
        { kind: "updateCardState", cardId: card.id, state: "blocked", atMs: nowMs },
        { kind: "insertCard", card: replacement },
        systemMessage("card_host", "card_host_order", order),
        ...tokenMove.ops,
        ...tokenMove.notices.map((notice) => systemMessage("token_service", "token_pan_update", notice)),
      ],
      audit: tokenMove.audit,
      walletTokens: tokenMove.moved,
      replacement,
      apply: () => {
        directory.setCardState(card.id, "blocked", nowMs);
        directory.putCard(replacement);
      },
    };
  };

  /** Card-on-file merchants of the old card (recurring, or repeat e-commerce), less the fraud's. */
  const accountUpdateOps = (
    decisions: readonly DecisionRecord[],
    hold: Hold | null,
    oldCard: CardRecord,
    replacement: CardRecord,
    nowMs: number,
  ): WriteOp[] => {
    const fraudMerchants = new Set(hold?.authorizations.map((held) => held.merchantId) ?? []);
    const approvedEcommerce = new Map<string, number>();
    const merchants = new Map<string, string>();
    for (const decision of decisions) {
      const authorization = decision.authorization as Authorization;
      if (decision.outcome !== "approve" || fraudMerchants.has(authorization.merchant.id)) {
        continue;
      }
      if (authorization.channel === "recurring") {
        merchants.set(authorization.merchant.id, authorization.merchant.name);
      } else if (authorization.channel === "ecommerce") {
        const count = (approvedEcommerce.get(authorization.merchant.id) ?? 0) + 1;
        approvedEcommerce.set(authorization.merchant.id, count);
        if (count >= limits.cardOnFileRepeatMin) {
          merchants.set(authorization.merchant.id, authorization.merchant.name);
        }
      }
    }
    return [...merchants].map(([merchantId, merchantName]) => ({
      kind: "insertDocument",
      document: newDocument(
        {
          kind: "account_update",
          id: ids.next("acu"),
          cardId: oldCard.id,
          cardholderId: oldCard.cardholderId,
          state: "ready",
          // Visa Account Updater's "A": the account number changed; the new PAN travels only
          // through the scheme's updater, so the record names the cards by id.
          body: {
            merchantId,
            merchantName,
            newCardId: replacement.id,
            updateCode: "A",
            reason: "fraud_reissue",
          },
        },
        nowMs,
      ),
    }));
  };

  const disputeOps = (hold: Hold, card: CardRecord, nowMs: number): WriteOp[] => {
    const network = cardNetworkOf(card.panBin);
    return hold.authorizations.map((held) => {
      const reason = fraudDisputeReasonOf(
        network,
        held.channel as Parameters<typeof fraudDisputeReasonOf>[1],
      );
      return {
        kind: "insertDocument",
        document: newDocument(
          {
            kind: "dispute_flag",
            id: ids.next("dsp"),
            cardId: card.id,
            cardholderId: card.cardholderId,
            state: "flagged",
            lookupKey: held.authorizationId,
            body: {
              authorizationId: held.authorizationId,
              holdId: hold.id,
              network: reason.network,
              reasonCode: reason.code,
              description: reason.description,
              amount: { minor: held.amountMinor, currency: held.currency },
              merchantId: held.merchantId,
            },
          },
          nowMs,
        ),
      } satisfies WriteOp;
    });
  };

  const caseDocument = (
    kind: "not_mine" | "hold_expired" | "blocked_by_analyst" | "lost_or_stolen",
    card: CardRecord,
    hold: Hold | null,
    nowMs: number,
    extra: Record<string, unknown>,
  ): DocumentRecord =>
    newDocument(
      {
        kind: "case",
        id: ids.next("case"),
        cardId: card.id,
        cardholderId: card.cardholderId,
        state: "open",
        body: {
          kind,
          holdId: hold?.id ?? null,
          authorizationIds: hold?.authorizations.map((held) => held.authorizationId) ?? [],
          ...extra,
        },
      },
      nowMs,
    );

  /**
   * Resolves a hold exactly once. Everything that needs a read or a signature is prepared first;
   * then, with no await, the hold is taken out of the pending set and the writes are built; the
   * commit applies them all or none.
   */
  const resolve = async (
    holdId: string,
    to: HoldResolution,
    actor: Actor,
    /** Writes that stand or fall with this resolution (spending the link it came through). */
    alongside: readonly WriteOp[] = [],
  ): Promise<ResolveResult> => {
    const found = await findHold(holdId);
    if (found === null) {
      return { ok: false, code: "hold_not_found", message: "No hold with that id." };
    }
    const alreadyResolved = (hold: Hold): ResolveResult => ({
      ok: false,
      code: "hold_already_resolved",
      message: `The hold was already resolved: ${hold.state}.`,
      hold,
    });
    if (resolving.has(found.id) || !canResolve(found, to)) {
      return alreadyResolved(found);
    }
    const isBlock = to === "denied" || to === "blocked_by_analyst";
    // Issued, blocked or released by another process, perhaps: the store knows.
    await deps.sharedStore?.refreshCard(found.cardId);
    const { card } = cardAndHolder(found.cardId);
    const nowMs = clock.nowMs();
    // Prefetch, then decide: the reads and the sealing happen before the hold is taken.
    const decisions = isBlock
      ? await store.listDecisionsByCard(card.id, limits.cardOnFileDecisionsScanned)
      : [];
    const heldDecisions =
      to === "confirmed_mine"
        ? await Promise.all(found.authorizations.map((held) => store.getDecision(held.authorizationId)))
        : [];
    const reissued = isBlock && card.state !== "blocked" ? await reissue(card, "fraud_reissue", nowMs) : null;
    if (isBlock && card.state !== "blocked" && reissued === null) {
      return { ok: false, code: "replacement_failed", message: "No replacement card number could be drawn." };
    }

    // From here to the commit nothing awaits: the check and the taking are one step.
    const current = pendingById.get(found.id) ?? found;
    if (resolving.has(current.id) || !canResolve(current, to) || current.version !== found.version) {
      return alreadyResolved(current);
    }
    resolving.add(current.id);
    const { card: cardNow, cardholder } = cardAndHolder(current.cardId);
    const ops: WriteOp[] = [];
    const audit: AuditDraft[] = [];
    const applyAfter: (() => void)[] = [];
    let caseId: string | null = current.caseId;

    if (to === "confirmed_mine" || to === "released_by_analyst") {
      if (cardNow.state === "suspended") {
        ops.push({ kind: "updateCardState", cardId: cardNow.id, state: "active", atMs: nowMs });
        applyAfter.push(() => directory.setCardState(cardNow.id, "active", nowMs));
      }
      const window: AllowWindow = {
        merchantIds: [...new Set(current.authorizations.map((held) => held.merchantId))],
        untilMs: nowMs + limits.allowWindowMs,
      };
      ops.push({
        kind: "insertDocument",
        document: newDocument(
          {
            kind: "allow_window",
            id: ids.next("alw"),
            cardId: cardNow.id,
            cardholderId: cardNow.cardholderId,
            state: "open",
            dueAtMs: window.untilMs,
            body: window,
          },
          nowMs,
        ),
      });
      applyAfter.push(() => putAllowWindow(cardNow.id, window));
      if (to === "confirmed_mine") {
        // The profile learns the confirmed payments, so the next one like them is less surprising.
        applyAfter.push(() => {
          const context = directory.context(cardNow.id);
          for (const decision of heldDecisions) {
            if (decision !== null && context !== undefined) {
              deps.features.learn(decision.authorization as Authorization, context);
            }
          }
        });
      }
    } else if (isBlock) {
      if (reissued !== null) {
        ops.push(...reissued.ops);
        audit.push(...reissued.audit);
        applyAfter.push(reissued.apply);
        ops.push(...accountUpdateOps(decisions, current, cardNow, reissued.replacement, nowMs));
      }
      ops.push(...disputeOps(current, cardNow, nowMs));
      const opened = caseDocument(
        to === "denied" ? "not_mine" : "blocked_by_analyst",
        cardNow,
        current,
        nowMs,
        {
          replacementCardId: reissued?.replacement.id ?? null,
          walletTokens: reissued?.walletTokens ?? [],
          tasks: [],
        },
      );
      caseId = opened.id;
      ops.push({ kind: "insertDocument", document: opened });
    } else {
      // Expired: the card stays suspended and someone calls the cardholder.
      const opened = caseDocument("hold_expired", cardNow, current, nowMs, {
        tasks: [{ kind: "outbound_call", state: "open", createdAtMs: nowMs }],
      });
      caseId = opened.id;
      ops.push({ kind: "insertDocument", document: opened });
    }
    const resolved: Hold = {
      ...current,
      version: current.version + 1,
      state: to,
      updatedAtMs: nowMs,
      resolution: {
        state: to,
        channel: actor.channel,
        actor: actor.actor,
        reason: actor.reason,
        atMs: nowMs,
      },
      caseId,
      replacementCardId: reissued?.replacement.id ?? current.replacementCardId,
    };
    ops.unshift({ kind: "updateDocument", document: holdToDocument(resolved) });
    ops.push(...alongside);
    const noticeKind =
      to === "confirmed_mine"
        ? "answer_received_mine"
        : to === "denied"
          ? "answer_received_not_mine"
          : to === "expired"
            ? "hold_expired_call_notice"
            : null;
    const firstHeld = current.authorizations[0];
    if (noticeKind !== null && firstHeld !== undefined) {
      const drafts = deps.messages.notice(noticeKind, {
        cardholder,
        card: cardNow,
        held: firstHeld,
        channel: actor.channel,
      });
      ops.push(...messageOps(drafts, cardNow, nowMs));
    }
    audit.push({
      actor: actor.actor,
      action: `hold.${to}`,
      subjectId: current.id,
      payload: {
        cardId: cardNow.id,
        channel: actor.channel,
        reason: actor.reason,
        caseId,
        replacementCardId: resolved.replacementCardId,
      },
      atMs: nowMs,
    });
    const wasPending = pendingById.has(current.id);
    dropPending(current);
    try {
      const outcome = await commitOrRestore(ops, audit, () => {
        if (wasPending) {
          putPending(current);
        }
      });
      if (outcome === "conflict") {
        const stored = await store.getDocument("hold", current.id);
        return alreadyResolved(stored === null ? current : holdFromDocument(stored));
      }
    } finally {
      resolving.delete(current.id);
    }
    seen.note(resolved.id, resolved.version, nowMs);
    for (const apply of applyAfter) {
      apply();
    }
    deps.onResolved?.(resolved);
    return { ok: true, hold: resolved };
  };

  /** A cardholder's pending holds, oldest first; on a shared store, as the store has them now. */
  const pendingFor = async (cardholderId: string): Promise<Hold[]> => {
    if (isShared) {
      const stored = await store.listDocuments("hold", { cardholderId }, "pending", limits.storePageRowsMax);
      for (const document of stored) {
        absorbHold(holdFromDocument(document));
      }
    }
    return [...pendingById.values()]
      .filter((hold) => hold.cardholderId === cardholderId)
      .sort((a, b) => a.openedAtMs - b.openedAtMs || (a.id < b.id ? -1 : 1));
  };

  /** The hold behind a link token, while the link may still answer it. */
  const openLink = async (
    token: string,
  ): Promise<
    { ok: true; link: ConfirmationLink; hold: Hold } | { ok: false; code: ConfirmationLinkRefusal }
  > => {
    const document = isLinkTokenShaped(token)
      ? await store.findDocumentByLookupKey("confirmation_link", linkTokenDigest(token))
      : null;
    if (document === null) {
      return { ok: false, code: "confirmation_link_not_found" };
    }
    const link = linkFromDocument(document);
    const hold = await findHold(link.holdId);
    assert(hold !== null, "a confirmation link's hold exists");
    // Answered, through this link or another way: either way this link has nothing left to do.
    if (
      link.state === "spent" ||
      resolving.has(hold.id) ||
      !(hold.state === "pending" || hold.state === "expired")
    ) {
      return { ok: false, code: "confirmation_link_used" };
    }
    if (hold.state === "expired" || clock.nowMs() >= link.expiresAtMs) {
      return { ok: false, code: "confirmation_link_expired" };
    }
    return { ok: true, link, hold };
  };

  const pageOf = (hold: Hold): ConfirmationPage => {
    const { card, cardholder } = cardAndHolder(hold.cardId);
    return deps.messages.linkPage({ cardholder, card, hold });
  };

  return {
    onDecision,
    /** The link page's question. Reading spends nothing: mail scanners open links before people do. */
    async viewLink(token: string): Promise<LinkResult> {
      const opened = await openLink(token);
      return opened.ok ? { ok: true, hold: opened.hold, page: pageOf(opened.hold) } : opened;
    },
    /** The cardholder's answer on the link page: resolves the hold and spends the link in one commit. */
    async answerByLink(token: string, answer: "mine" | "not_mine"): Promise<LinkResult> {
      const opened = await openLink(token);
      if (!opened.ok) {
        return opened;
      }
      const { link, hold } = opened;
      const spent: ConfirmationLink = {
        ...link,
        version: link.version + 1,
        state: "spent",
        updatedAtMs: clock.nowMs(),
      };
      const result = await resolve(
        hold.id,
        answer === "mine" ? "confirmed_mine" : "denied",
        { channel: "link", actor: `cardholder:${hold.cardholderId}`, reason: null },
        [{ kind: "updateDocument", document: linkToDocument(spent) }],
      );
      if (!result.ok) {
        // A failed reissue leaves the link open, so the cardholder can press again.
        return {
          ok: false,
          code: result.code === "replacement_failed" ? "replacement_failed" : "confirmation_link_used",
        };
      }
      return { ok: true, hold: result.hold, page: pageOf(result.hold) };
    },
    /** The allow window open for a card at `atMs`, for the authorization path. */
    allowWindowFor(cardId: string, atMs: number): AllowWindow | null {
      const window = allowWindows.get(cardId);
      if (window === undefined) {
        return null;
      }
      if (window.untilMs < atMs) {
        allowWindows.delete(cardId);
        return null;
      }
      return window;
    },
    getHold: findHold,
    /**
     * On a shared store, before an authorization decides: the card's hold as the store has it
     * now, so an attempt on a suspended card joins the hold at its latest version (another
     * process may have opened or extended it), and a hold resolved elsewhere no longer stands in
     * the way of a new one. Reads only for a suspended card or one this process thinks is held.
     */
    async syncCard(cardId: string, cardState: CardState): Promise<void> {
      const known = pendingByCard.get(cardId);
      if (!isShared || (known !== undefined && resolving.has(known.id))) {
        return;
      }
      let isKnownListed = false;
      if (cardState === "suspended") {
        const stored = await store.listDocuments("hold", { cardId }, "pending", limits.holdsPerCardReadMax);
        for (const document of stored) {
          absorbHold(holdFromDocument(document));
          isKnownListed ||= document.id === known?.id;
        }
      }
      if (known !== undefined && !isKnownListed) {
        await findHold(known.id);
      }
    },
    /** Another process's change to a hold or an allow window, from the change follower. */
    absorb(document: DocumentRecord): void {
      if (document.kind === "hold") {
        absorbHold(holdFromDocument(document));
      } else if (document.kind === "allow_window") {
        absorbAllowWindow(document);
      }
    },
    answer(holdId: string, answer: "mine" | "not_mine", actor: Actor): Promise<ResolveResult> {
      return resolve(holdId, answer === "mine" ? "confirmed_mine" : "denied", actor);
    },
    releaseByAnalyst(holdId: string, actor: Actor): Promise<ResolveResult> {
      return resolve(holdId, "released_by_analyst", actor);
    },
    blockByAnalyst(holdId: string, actor: Actor): Promise<ResolveResult> {
      return resolve(holdId, "blocked_by_analyst", actor);
    },
    pendingFor,
    /**
     * Expires every pending hold whose window has passed; returns how many it expired. The store
     * says which are due, so a worker process expires the holds the API processes opened.
     */
    async expireDue(): Promise<number> {
      const due = await store.listDocumentsDue("hold", "pending", clock.nowMs(), limits.holdExpiryBatchMax);
      let expired = 0;
      for (const hold of due) {
        const result = await resolve(hold.id, "expired", {
          channel: "system",
          actor: "system",
          reason: "answer_window_passed",
        });
        expired += result.ok ? 1 : 0;
      }
      return expired;
    },
    /** Self-service and reports: block a card and issue its replacement without a hold. */
    async reportLostOrStolen(
      cardId: string,
      kind: "lost" | "stolen",
      actor: Actor,
    ): Promise<
      | { ok: true; replacementCardId: string; caseId: string }
      | { ok: false; code: "card_not_found" | "card_already_blocked" | "replacement_failed"; message: string }
    > {
      await deps.sharedStore?.refreshCard(cardId);
      const card = directory.getCard(cardId);
      if (card === undefined) {
        return { ok: false, code: "card_not_found", message: "No card with that id." };
      }
      if (card.state === "blocked" || card.state === "replaced") {
        return { ok: false, code: "card_already_blocked", message: "The card is already blocked." };
      }
      const nowMs = clock.nowMs();
      const decisions = await store.listDecisionsByCard(card.id, limits.cardOnFileDecisionsScanned);
      const reissued = await reissue(card, kind, nowMs);
      if (reissued === null) {
        return {
          ok: false,
          code: "replacement_failed",
          message: "No replacement card number could be drawn.",
        };
      }
      const current = directory.getCard(cardId);
      if (current === undefined || current.state === "blocked" || current.state === "replaced") {
        return { ok: false, code: "card_already_blocked", message: "The card is already blocked." };
      }
      const opened = caseDocument("lost_or_stolen", card, null, nowMs, {
        report: kind,
        replacementCardId: reissued.replacement.id,
        walletTokens: reissued.walletTokens,
        tasks: [],
      });
      const ops = [
        ...reissued.ops,
        ...accountUpdateOps(decisions, null, card, reissued.replacement, nowMs),
        { kind: "insertDocument", document: opened } satisfies WriteOp,
      ];
      // Blocked at once in memory, so no authorization slips in while the commit runs.
      const previousState = card.state;
      directory.setCardState(card.id, "blocked", nowMs);
      const outcome = await commitOrRestore(
        ops,
        [
          ...reissued.audit,
          {
            actor: actor.actor,
            action: `card.reported_${kind}`,
            subjectId: card.id,
            payload: {
              channel: actor.channel,
              replacementCardId: reissued.replacement.id,
              caseId: opened.id,
            },
            atMs: nowMs,
          },
        ],
        () => directory.setCardState(card.id, previousState, nowMs),
      );
      if (outcome === "conflict") {
        return { ok: false, code: "card_already_blocked", message: "The card changed meanwhile; try again." };
      }
      reissued.apply();
      return { ok: true, replacementCardId: reissued.replacement.id, caseId: opened.id };
    },
    /**
     * A two-way SMS reply: "1" is mine, "2" is not mine, for the sender's single open hold, or
     * with a reference ("1 A7K") when several are open. Anything else gets an SMS that says how
     * to answer; nothing in the reply is ever taken as anything but an answer.
     */
    async handleSmsReply(
      from: string,
      text: string,
    ): Promise<
      | { result: "answered"; holdId: string; state: string }
      | { result: "unknown_sender" | "reply_not_understood" | "no_open_confirmation" | "reference_needed" }
      | { result: "hold_already_resolved"; holdId: string; state: string }
    > {
      const cardholderId = directory.soleCardholderIdByPhone(from);
      if (cardholderId === undefined) {
        return { result: "unknown_sender" };
      }
      const cardholder = directory.getCardholder(cardholderId);
      assert(cardholder !== undefined, "a phone index entry names a known cardholder");
      const nowMs = clock.nowMs();
      const pending = (await pendingFor(cardholderId)).map((hold) => ({
        hold,
        card: cardAndHolder(hold.cardId).card,
      }));
      const replyWith = async (kind: ReplyKind): Promise<void> => {
        const draft = deps.reply(kind, cardholder, pending);
        const owner = { cardholderId, cardId: pending[0]?.card.id ?? null };
        const message = newOutboxMessage(draft, owner, ids, nowMs);
        await committer.submit({
          ops: [{ kind: "insertDocument", document: outboxToDocument(message) }],
          audit: [
            {
              actor: `cardholder:${cardholderId}`,
              action: "sms.reply_unsettled",
              subjectId: message.id,
              payload: { kind },
              atMs: nowMs,
            },
          ],
        });
        deps.onMessagesQueued();
      };
      const parsed = parseSmsReply(text);
      if (!parsed.ok) {
        await replyWith("reply_not_understood");
        return { result: "reply_not_understood" };
      }
      if (pending.length === 0) {
        await replyWith("no_open_confirmation");
        return { result: "no_open_confirmation" };
      }
      const reference = parsed.reference?.toUpperCase() ?? null;
      const chosen =
        reference === null
          ? pending.length === 1
            ? pending[0]
            : undefined
          : pending.find(({ hold }) => hold.reference === reference);
      if (chosen === undefined) {
        await replyWith("reply_needs_reference");
        return { result: "reference_needed" };
      }
      const result = await resolve(chosen.hold.id, parsed.answer === "mine" ? "confirmed_mine" : "denied", {
        channel: "sms",
        actor: `cardholder:${cardholderId}`,
        reason: null,
      });
      if (!result.ok) {
        return {
          result: "hold_already_resolved",
          holdId: chosen.hold.id,
          state: result.hold?.state ?? "unknown",
        };
      }
      return { result: "answered", holdId: result.hold.id, state: result.hold.state };
    },
    /** The cardholder's own reversible switch: active ⇄ locked. */
    async setLocked(
      cardId: string,
      isLocked: boolean,
      actor: Actor,
    ): Promise<
      | { ok: true; state: "active" | "locked" }
      | { ok: false; code: "card_not_found" | "card_state_conflict"; message: string }
    > {
      await deps.sharedStore?.refreshCard(cardId);
      const card = directory.getCard(cardId);
      if (card === undefined) {
        return { ok: false, code: "card_not_found", message: "No card with that id." };
      }
      const from = isLocked ? "active" : "locked";
      const to = isLocked ? "locked" : "active";
      if (card.state === to) {
        return { ok: true, state: to };
      }
      if (card.state !== from) {
        return {
          ok: false,
          code: "card_state_conflict",
          message: `A ${card.state} card cannot be ${isLocked ? "locked" : "unlocked"}.`,
        };
      }
      const nowMs = clock.nowMs();
      directory.setCardState(card.id, to, nowMs);
      await commitOrRestore(
        [{ kind: "updateCardState", cardId: card.id, state: to, atMs: nowMs }],
        [
          {
            actor: actor.actor,
            action: isLocked ? "card.locked" : "card.unlocked",
            subjectId: card.id,
            payload: { channel: actor.channel },
            atMs: nowMs,
          },
        ],
        () => directory.setCardState(card.id, from, nowMs),
      );
      return { ok: true, state: to };
    },
  };
}

export type HoldService = Awaited<ReturnType<typeof createHoldService>>;
