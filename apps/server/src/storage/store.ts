/**
 * The storage port. Writes go through `commit`, one atomic unit of work at a time, so a state
 * change and its audit entry land together; reads are plain queries, never on the scoring path
 * (hot state lives in memory and is rebuilt from these reads at start-up).
 */
import type {
  AuditEntry,
  CardholderRecord,
  CardRecord,
  DecisionRecord,
  DocumentKind,
  DocumentRecord,
  MerchantRecord,
  RulesetRecord,
  WriteOp,
} from "./records.ts";

/**
 * A batch commits all of its units or none. When a unique key is already taken (or an update
 * finds no row), nothing is applied and the result names the unit and operation, so the caller
 * can answer that unit and commit the others again. Expected, so returned, not thrown.
 */
export type CommitResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code:
        | "duplicate_external_id"
        | "duplicate_pan"
        | "duplicate_id"
        | "duplicate_lookup_key"
        | "not_found"
        | "version_conflict";
      readonly unitIndex: number;
      readonly opIndex: number;
    };

/** A page of rows in a stable order, with the cursor to pass for the next page (null at the end). */
export type Page<T> = { readonly rows: readonly T[]; readonly nextCursor: string | null };

export interface Store {
  /** Applies every operation of every unit, in order, in one transaction: all or nothing. */
  commit(units: readonly (readonly WriteOp[])[]): Promise<CommitResult>;
  /**
   * Only on a store that several processes write (PostgreSQL). As commit, but the units come from
   * `build`, called inside the transaction with the audit log's last entry while the store holds
   * the audit chain's lock: two processes then never give one seq to two entries, and neither
   * commit is refused for it. `build` may run more than once (a refused batch is retried one
   * operation at a time, from the head read again) and must be pure; the result describes the
   * units of its last run. Single-writer stores leave it out: their committer keeps the head in
   * memory, which saves a read per commit (and the worker store could not pass `build` across
   * threads anyway).
   */
  commitChained?(build: (head: AuditEntry | null) => readonly (readonly WriteOp[])[]): Promise<CommitResult>;

  getCardholder(id: string): Promise<CardholderRecord | null>;
  listCardholders(cursor: string | null, limit: number): Promise<Page<CardholderRecord>>;
  getCard(id: string): Promise<CardRecord | null>;
  listCards(cursor: string | null, limit: number): Promise<Page<CardRecord>>;
  /**
   * Cards whose updatedAtMs ≥ sinceMs, ordered by (updatedAtMs, id), paged: how a process on a
   * shared store follows the cards other processes issue and change.
   */
  listCardsChangedSince(sinceMs: number, cursor: string | null, limit: number): Promise<Page<CardRecord>>;
  listMerchants(cursor: string | null, limit: number): Promise<Page<MerchantRecord>>;
  getRuleset(id: string): Promise<RulesetRecord | null>;
  /** All rulesets, newest version first. */
  listRulesets(): Promise<readonly RulesetRecord[]>;
  getDecisionByExternalId(externalId: string): Promise<DecisionRecord | null>;
  getDecision(authorizationId: string): Promise<DecisionRecord | null>;
  /** A card's most recent decisions, newest first (by occurredAtMs, then authorizationId). */
  listDecisionsByCard(cardId: string, limit: number): Promise<readonly DecisionRecord[]>;
  /** Decisions with occurredAtMs ≥ fromMs, ordered by (occurredAtMs, authorizationId). */
  listDecisions(fromMs: number, cursor: string | null, limit: number): Promise<Page<DecisionRecord>>;
  countDecisions(): Promise<number>;
  /** The last audit entry, from which the chain continues; null for an empty log. */
  getAuditHead(): Promise<AuditEntry | null>;
  /** Entries with seq > afterSeq in order. */
  listAudit(afterSeq: number, limit: number): Promise<readonly AuditEntry[]>;
  getSetting(key: string): Promise<string | null>;
  getDocument(kind: DocumentKind, id: string): Promise<DocumentRecord | null>;
  findDocumentByLookupKey(kind: DocumentKind, lookupKey: string): Promise<DocumentRecord | null>;
  /**
   * Documents of a kind for one card or one cardholder, oldest first (createdAtMs, then id); with
   * `state`, only those in it.
   */
  listDocuments(
    kind: DocumentKind,
    by: { readonly cardId: string } | { readonly cardholderId: string },
    state: string | null,
    limit: number,
  ): Promise<readonly DocumentRecord[]>;
  /** Documents of a kind in `state` with dueAtMs ≤ dueAtMs, soonest first (dueAtMs, then id). */
  listDocumentsDue(
    kind: DocumentKind,
    state: string,
    dueAtMs: number,
    limit: number,
  ): Promise<readonly DocumentRecord[]>;
  /**
   * Takes up to `limit` documents of a kind in `state` with dueAtMs ≤ dueAtMs, soonest first, and
   * in the same atomic step moves their dueAtMs to leaseUntilMs and bumps their version. A claim
   * is the caller's until the lease ends: no other claim returns the same document before then,
   * and the bumped version makes a write from an earlier read fail as a version_conflict. If the
   * caller dies, the document is due again at the lease's end. Returns the claimed versions.
   * updatedAtMs stays as it was: a claim is not a change that listDocumentsChangedSince reports.
   */
  claimDocumentsDue(
    kind: DocumentKind,
    state: string,
    dueAtMs: number,
    leaseUntilMs: number,
    limit: number,
  ): Promise<readonly DocumentRecord[]>;
  /** Every document of a kind in `state`, paged by id: how hot state is rebuilt at start-up. */
  listDocumentsInState(
    kind: DocumentKind,
    state: string,
    cursor: string | null,
    limit: number,
  ): Promise<Page<DocumentRecord>>;
  /** Documents of the given kinds whose updatedAtMs ≥ sinceMs, ordered by (updatedAtMs, id), paged. */
  listDocumentsChangedSince(
    kinds: readonly DocumentKind[],
    sinceMs: number,
    cursor: string | null,
    limit: number,
  ): Promise<Page<DocumentRecord>>;
  close(): Promise<void>;
}
