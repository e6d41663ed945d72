/**
 * The memory adapter: the same behaviour as the SQL adapter, for unit tests and the simulator.
 * Records are copied field by field on the way in and frozen, and JSON fields are kept as JSON
 * text and parsed on every read, so no caller can change stored state through a reference and
 * every read returns what the SQL adapter would return.
 */
import { limits } from "../../config/limits.ts";
import { assert, assertNever } from "../../platform/assert.ts";
import { assertPageLimit, changeCursorOf, decodeTimeCursor, encodeTimeCursor } from "../cursors.ts";
import { decodeJson, encodeJson } from "../json-text.ts";
import { assertClaimLeaseValid, assertWriteOpValid } from "../record-checks.ts";
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
} from "../records.ts";
import type { CommitResult, Page, Store } from "../store.ts";

type ConflictCode = Extract<CommitResult, { ok: false }>["code"];

type StoredDecision = Omit<DecisionRecord, "authorization" | "snapshot" | "response" | "shadow"> & {
  readonly authorizationJson: string;
  readonly snapshotJson: string;
  readonly responseJson: string;
  readonly shadowJson: string;
};

type StoredAuditEntry = Omit<AuditEntry, "payload"> & { readonly payloadJson: string };

type StoredDocument = Omit<DocumentRecord, "body"> & { readonly bodyJson: string };

/** The key of the (kind, lookupKey) index; the NUL cannot occur in either part. */
const lookupIndexKey = (kind: DocumentKind, lookupKey: string): string => `${kind}\u0000${lookupKey}`;

/** Rows by primary key, with a sorted view that is rebuilt on the first read after a write. */
class Table<K, V> {
  readonly rows = new Map<K, V>();
  #sorted: V[] | null = null;
  readonly #compare: (a: V, b: V) => number;

  constructor(compare: (a: V, b: V) => number) {
    this.#compare = compare;
  }

  write(changes: ReadonlyMap<K, V>): void {
    if (changes.size === 0) {
      return;
    }
    for (const [key, value] of changes) {
      this.rows.set(key, value);
    }
    this.#sorted = null;
  }

  sorted(): readonly V[] {
    if (this.#sorted === null) {
      this.#sorted = [...this.rows.values()].sort(this.#compare);
    }
    return this.#sorted;
  }
}

/**
 * A batch's writes to one map, kept apart from the map until the whole batch has passed, so a
 * refused batch leaves nothing behind. Reads see the batch's own earlier writes first.
 */
class Staged<K, V> {
  readonly writes = new Map<K, V>();
  readonly #base: ReadonlyMap<K, V>;

  constructor(base: ReadonlyMap<K, V>) {
    this.#base = base;
  }

  get(key: K): V | undefined {
    return this.writes.has(key) ? this.writes.get(key) : this.#base.get(key);
  }

  has(key: K): boolean {
    return this.writes.has(key) || this.#base.has(key);
  }

  set(key: K, value: V): void {
    this.writes.set(key, value);
  }
}

/** Ids are ASCII, where UTF-16 order equals the bytewise order of PostgreSQL's "C" collation. */
function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function compareDecisions(a: StoredDecision, b: StoredDecision): number {
  return a.occurredAtMs - b.occurredAtMs || compareText(a.authorizationId, b.authorizationId);
}

function createTables() {
  return {
    cardholders: new Table<string, CardholderRecord>((a, b) => compareText(a.id, b.id)),
    cards: new Table<string, CardRecord>((a, b) => compareText(a.id, b.id)),
    cardIdsByPanHash: new Map<string, string>(),
    merchants: new Table<string, MerchantRecord>((a, b) => compareText(a.id, b.id)),
    rulesets: new Table<string, RulesetRecord>((a, b) => b.version - a.version),
    rulesetIdsByVersion: new Map<number, string>(),
    decisions: new Table<string, StoredDecision>(compareDecisions),
    decisionIdsByExternalId: new Map<string, string>(),
    audit: new Table<number, StoredAuditEntry>((a, b) => a.seq - b.seq),
    settings: new Map<string, string>(),
    documents: new Table<string, StoredDocument>(
      (a, b) => a.createdAtMs - b.createdAtMs || compareText(a.id, b.id),
    ),
    /** Null marks a key freed by an update, so a staged batch can release one. */
    documentIdsByLookupKey: new Map<string, string | null>(),
  };
}

type Tables = ReturnType<typeof createTables>;

function stage(tables: Tables) {
  return {
    cardholders: new Staged(tables.cardholders.rows),
    cards: new Staged(tables.cards.rows),
    cardIdsByPanHash: new Staged(tables.cardIdsByPanHash),
    merchants: new Staged(tables.merchants.rows),
    rulesets: new Staged(tables.rulesets.rows),
    rulesetIdsByVersion: new Staged(tables.rulesetIdsByVersion),
    decisions: new Staged(tables.decisions.rows),
    decisionIdsByExternalId: new Staged(tables.decisionIdsByExternalId),
    audit: new Staged(tables.audit.rows),
    settings: new Staged(tables.settings),
    documents: new Staged(tables.documents.rows),
    documentIdsByLookupKey: new Staged(tables.documentIdsByLookupKey),
  };
}

type Stage = ReturnType<typeof stage>;

function applyStage(tables: Tables, staged: Stage): void {
  tables.cardholders.write(staged.cardholders.writes);
  tables.cards.write(staged.cards.writes);
  tables.merchants.write(staged.merchants.writes);
  tables.rulesets.write(staged.rulesets.writes);
  tables.decisions.write(staged.decisions.writes);
  tables.audit.write(staged.audit.writes);
  copyInto(tables.cardIdsByPanHash, staged.cardIdsByPanHash.writes);
  copyInto(tables.rulesetIdsByVersion, staged.rulesetIdsByVersion.writes);
  copyInto(tables.decisionIdsByExternalId, staged.decisionIdsByExternalId.writes);
  copyInto(tables.settings, staged.settings.writes);
  tables.documents.write(staged.documents.writes);
  for (const [key, id] of staged.documentIdsByLookupKey.writes) {
    if (id === null) {
      tables.documentIdsByLookupKey.delete(key);
    } else {
      tables.documentIdsByLookupKey.set(key, id);
    }
  }
}

function copyInto<K, V>(target: Map<K, V>, source: ReadonlyMap<K, V>): void {
  for (const [key, value] of source) {
    target.set(key, value);
  }
}

/**
 * Stages one operation and returns the conflict it meets, or null. The checks run in the order
 * PostgreSQL meets them (primary key before the other unique keys), so both adapters name the
 * same code when a row breaks two keys at once.
 */
function stageOp(staged: Stage, op: WriteOp): ConflictCode | null {
  switch (op.kind) {
    case "insertCardholder": {
      if (staged.cardholders.has(op.cardholder.id)) {
        return "duplicate_id";
      }
      staged.cardholders.set(op.cardholder.id, copyCardholder(op.cardholder));
      return null;
    }
    case "insertCard": {
      if (staged.cards.has(op.card.id)) {
        return "duplicate_id";
      }
      if (staged.cardIdsByPanHash.has(op.card.panHash)) {
        return "duplicate_pan";
      }
      staged.cards.set(op.card.id, copyCard(op.card));
      staged.cardIdsByPanHash.set(op.card.panHash, op.card.id);
      return null;
    }
    case "updateCardState": {
      const card = staged.cards.get(op.cardId);
      if (card === undefined) {
        return "not_found";
      }
      staged.cards.set(op.cardId, copyCard({ ...card, state: op.state, updatedAtMs: op.atMs }));
      return null;
    }
    case "upsertMerchant": {
      staged.merchants.set(op.merchant.id, copyMerchant(op.merchant));
      return null;
    }
    case "insertRuleset": {
      if (staged.rulesets.has(op.ruleset.id)) {
        return "duplicate_id";
      }
      // The version is the ruleset's second identifier, so taking it again is a duplicate id too.
      if (staged.rulesetIdsByVersion.has(op.ruleset.version)) {
        return "duplicate_id";
      }
      staged.rulesets.set(op.ruleset.id, copyRuleset(op.ruleset));
      staged.rulesetIdsByVersion.set(op.ruleset.version, op.ruleset.id);
      return null;
    }
    case "updateRulesetStatus": {
      const ruleset = staged.rulesets.get(op.rulesetId);
      if (ruleset === undefined) {
        return "not_found";
      }
      staged.rulesets.set(op.rulesetId, copyRuleset({ ...ruleset, status: op.status, updatedAtMs: op.atMs }));
      return null;
    }
    case "insertDecision": {
      if (staged.decisions.has(op.decision.authorizationId)) {
        return "duplicate_id";
      }
      if (staged.decisionIdsByExternalId.has(op.decision.externalId)) {
        return "duplicate_external_id";
      }
      staged.decisions.set(op.decision.authorizationId, storeDecision(op.decision));
      staged.decisionIdsByExternalId.set(op.decision.externalId, op.decision.authorizationId);
      return null;
    }
    case "appendAudit": {
      if (staged.audit.has(op.entry.seq)) {
        return "duplicate_id";
      }
      staged.audit.set(op.entry.seq, storeAuditEntry(op.entry));
      return null;
    }
    case "setSetting": {
      staged.settings.set(op.key, op.value);
      return null;
    }
    case "insertDocument": {
      const document = op.document;
      if (staged.documents.has(document.id)) {
        return "duplicate_id";
      }
      if (document.lookupKey !== null) {
        const key = lookupIndexKey(document.kind, document.lookupKey);
        if ((staged.documentIdsByLookupKey.get(key) ?? null) !== null) {
          return "duplicate_lookup_key";
        }
        staged.documentIdsByLookupKey.set(key, document.id);
      }
      staged.documents.set(document.id, storeDocument(document));
      return null;
    }
    case "updateDocument": {
      const document = op.document;
      const stored = staged.documents.get(document.id);
      if (stored === undefined || stored.kind !== document.kind) {
        return "not_found";
      }
      if (stored.version !== document.version - 1) {
        return "version_conflict";
      }
      if (stored.lookupKey !== document.lookupKey) {
        if (document.lookupKey !== null) {
          const key = lookupIndexKey(document.kind, document.lookupKey);
          if ((staged.documentIdsByLookupKey.get(key) ?? null) !== null) {
            return "duplicate_lookup_key";
          }
          staged.documentIdsByLookupKey.set(key, document.id);
        }
        if (stored.lookupKey !== null) {
          staged.documentIdsByLookupKey.set(lookupIndexKey(stored.kind, stored.lookupKey), null);
        }
      }
      staged.documents.set(document.id, storeDocument({ ...document, createdAtMs: stored.createdAtMs }));
      return null;
    }
    default:
      return assertNever(op);
  }
}

function copyCardholder(r: CardholderRecord): CardholderRecord {
  return Object.freeze({
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    language: r.language,
    timeZone: r.timeZone,
    homeCountry: r.homeCountry,
    securityPhrase: r.securityPhrase,
    stepUpChannel: r.stepUpChannel,
    createdAtMs: r.createdAtMs,
  });
}

function copyCard(r: CardRecord): CardRecord {
  return Object.freeze({
    id: r.id,
    cardholderId: r.cardholderId,
    panHash: r.panHash,
    panCiphertext: r.panCiphertext,
    panBin: r.panBin,
    panLast4: r.panLast4,
    expiry: r.expiry,
    state: r.state,
    replacesCardId: r.replacesCardId,
    createdAtMs: r.createdAtMs,
    updatedAtMs: r.updatedAtMs,
  });
}

function copyMerchant(r: MerchantRecord): MerchantRecord {
  return Object.freeze({ id: r.id, name: r.name, mcc: r.mcc, country: r.country });
}

function copyRuleset(r: RulesetRecord): RulesetRecord {
  return Object.freeze({
    id: r.id,
    version: r.version,
    name: r.name,
    text: r.text,
    status: r.status,
    createdAtMs: r.createdAtMs,
    updatedAtMs: r.updatedAtMs,
  });
}

function storeDecision(r: DecisionRecord): StoredDecision {
  return Object.freeze({
    authorizationId: r.authorizationId,
    externalId: r.externalId,
    requestHash: r.requestHash,
    cardId: r.cardId,
    occurredAtMs: r.occurredAtMs,
    decidedAtMs: r.decidedAtMs,
    outcome: r.outcome,
    score: r.score,
    rulesetId: r.rulesetId,
    rulesetVersion: r.rulesetVersion,
    authorizationJson: encodeJson(r.authorization, "decision.authorization"),
    snapshotJson: encodeJson(r.snapshot, "decision.snapshot"),
    responseJson: encodeJson(r.response, "decision.response"),
    shadowJson: encodeJson(r.shadow, "decision.shadow"),
  });
}

function loadDecision(r: StoredDecision): DecisionRecord {
  return {
    authorizationId: r.authorizationId,
    externalId: r.externalId,
    requestHash: r.requestHash,
    cardId: r.cardId,
    occurredAtMs: r.occurredAtMs,
    decidedAtMs: r.decidedAtMs,
    outcome: r.outcome,
    score: r.score,
    rulesetId: r.rulesetId,
    rulesetVersion: r.rulesetVersion,
    authorization: decodeJson(r.authorizationJson),
    snapshot: decodeJson(r.snapshotJson),
    response: decodeJson(r.responseJson),
    shadow: decodeJson(r.shadowJson),
  };
}

function storeAuditEntry(e: AuditEntry): StoredAuditEntry {
  return Object.freeze({
    seq: e.seq,
    atMs: e.atMs,
    actor: e.actor,
    action: e.action,
    subjectId: e.subjectId,
    payloadJson: encodeJson(e.payload, "audit.payload"),
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

function loadAuditEntry(e: StoredAuditEntry): AuditEntry {
  return {
    seq: e.seq,
    atMs: e.atMs,
    actor: e.actor,
    action: e.action,
    subjectId: e.subjectId,
    payload: decodeJson(e.payloadJson),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

function storeDocument(r: DocumentRecord): StoredDocument {
  return Object.freeze({
    kind: r.kind,
    id: r.id,
    version: r.version,
    cardId: r.cardId,
    cardholderId: r.cardholderId,
    state: r.state,
    dueAtMs: r.dueAtMs,
    lookupKey: r.lookupKey,
    createdAtMs: r.createdAtMs,
    updatedAtMs: r.updatedAtMs,
    bodyJson: encodeJson(r.body, "document.body"),
  });
}

function loadDocument(r: StoredDocument): DocumentRecord {
  const { bodyJson, ...fields } = r;
  return { ...fields, body: decodeJson(bodyJson) };
}

function compareDue(a: StoredDocument, b: StoredDocument): number {
  return (a.dueAtMs ?? 0) - (b.dueAtMs ?? 0) || compareText(a.id, b.id);
}

/** The index of the first row for which `isAfter` holds; rows are sorted, so it holds for all after it. */
function firstIndexWhere<V>(rows: readonly V[], isAfter: (row: V) => boolean): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const row = rows[middle];
    assert(row !== undefined, "the middle index lies inside the array");
    if (isAfter(row)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

/** `limit` rows from `start`, with the cursor of the last one when more rows follow. */
function pageFrom<V, R>(
  rows: readonly V[],
  start: number,
  limit: number,
  load: (row: V) => R,
  cursorOf: (row: V) => string,
): Page<R> {
  const slice = rows.slice(start, start + limit);
  const last = slice.at(-1);
  const hasMore = start + limit < rows.length;
  return { rows: slice.map(load), nextCursor: hasMore && last !== undefined ? cursorOf(last) : null };
}

function pageById<V extends { readonly id: string }>(
  table: Table<string, V>,
  cursor: string | null,
  limit: number,
): Page<V> {
  assertPageLimit(limit, limits.storePageRowsMax);
  const rows = table.sorted();
  const start = cursor === null ? 0 : firstIndexWhere(rows, (row) => row.id > cursor);
  return pageFrom(
    rows,
    start,
    limit,
    (row) => row,
    (row) => row.id,
  );
}

type Changed = { readonly updatedAtMs: number; readonly id: string };

function compareChanged(a: Changed, b: Changed): number {
  return a.updatedAtMs - b.updatedAtMs || compareText(a.id, b.id);
}

/**
 * One page of the rows that pass `isIncluded` with updatedAtMs ≥ sinceMs, after the cursor, in
 * (updatedAtMs, id) order. The tables are sorted for other reads, so the changed rows are sorted
 * here: a scan per page, which serves tests and the simulator.
 */
function pageChangedSince<V extends Changed, R>(
  rows: Iterable<V>,
  isIncluded: (row: V) => boolean,
  sinceMs: number,
  cursor: string | null,
  limit: number,
  load: (row: V) => R,
): Page<R> {
  assertPageLimit(limit, limits.storePageRowsMax);
  assert(Number.isSafeInteger(sinceMs), "sinceMs is an integer");
  const after = cursor === null ? null : decodeTimeCursor(cursor);
  const changed = [...rows]
    .filter(
      (row) =>
        isIncluded(row) &&
        row.updatedAtMs >= sinceMs &&
        (after === null || compareChanged(row, { updatedAtMs: after.atMs, id: after.id }) > 0),
    )
    .sort(compareChanged);
  return pageFrom(changed, 0, limit, load, changeCursorOf);
}

export function createMemoryStore(): Store {
  const tables = createTables();
  let isOpen = true;

  const assertOpen = (): void => {
    assert(isOpen, "the store is closed");
  };

  const dueDocuments = (kind: DocumentKind, state: string, dueAtMs: number, limit: number) =>
    tables.documents
      .sorted()
      .filter(
        (row) => row.kind === kind && row.state === state && row.dueAtMs !== null && row.dueAtMs <= dueAtMs,
      )
      .sort(compareDue)
      .slice(0, limit);

  return {
    async commit(units) {
      assertOpen();
      for (const unit of units) {
        for (const op of unit) {
          assertWriteOpValid(op);
        }
      }
      // Staging and applying run without an await in between, so no other call sees half a batch.
      const staged = stage(tables);
      for (const [unitIndex, unit] of units.entries()) {
        for (const [opIndex, op] of unit.entries()) {
          const code = stageOp(staged, op);
          if (code !== null) {
            return { ok: false, code, unitIndex, opIndex };
          }
        }
      }
      applyStage(tables, staged);
      return { ok: true };
    },

    async getCardholder(id) {
      assertOpen();
      return tables.cardholders.rows.get(id) ?? null;
    },

    async listCardholders(cursor, limit) {
      assertOpen();
      return pageById(tables.cardholders, cursor, limit);
    },

    async getCard(id) {
      assertOpen();
      return tables.cards.rows.get(id) ?? null;
    },

    async listCards(cursor, limit) {
      assertOpen();
      return pageById(tables.cards, cursor, limit);
    },

    async listCardsChangedSince(sinceMs, cursor, limit) {
      assertOpen();
      return pageChangedSince(
        tables.cards.rows.values(),
        () => true,
        sinceMs,
        cursor,
        limit,
        (row) => row,
      );
    },

    async listMerchants(cursor, limit) {
      assertOpen();
      return pageById(tables.merchants, cursor, limit);
    },

    async getRuleset(id) {
      assertOpen();
      return tables.rulesets.rows.get(id) ?? null;
    },

    async listRulesets() {
      assertOpen();
      return [...tables.rulesets.sorted()];
    },

    async getDecisionByExternalId(externalId) {
      assertOpen();
      const authorizationId = tables.decisionIdsByExternalId.get(externalId);
      const stored = authorizationId === undefined ? undefined : tables.decisions.rows.get(authorizationId);
      return stored === undefined ? null : loadDecision(stored);
    },

    async listDecisions(fromMs, cursor, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      assert(Number.isSafeInteger(fromMs), "fromMs is an integer");
      const after = cursor === null ? null : decodeTimeCursor(cursor);
      const rows = tables.decisions.sorted();
      // Both conditions only turn from false to true along the sort order, so their conjunction does too.
      const start = firstIndexWhere(
        rows,
        (row) =>
          row.occurredAtMs >= fromMs &&
          (after === null ||
            row.occurredAtMs > after.atMs ||
            (row.occurredAtMs === after.atMs && row.authorizationId > after.id)),
      );
      return pageFrom(rows, start, limit, loadDecision, (row) =>
        encodeTimeCursor({ atMs: row.occurredAtMs, id: row.authorizationId }),
      );
    },

    async getDecision(authorizationId) {
      assertOpen();
      const stored = tables.decisions.rows.get(authorizationId);
      return stored === undefined ? null : loadDecision(stored);
    },

    async listDecisionsByCard(cardId, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = tables.decisions.sorted().filter((row) => row.cardId === cardId);
      return rows.slice(-limit).reverse().map(loadDecision);
    },

    async countDecisions() {
      assertOpen();
      return tables.decisions.rows.size;
    },

    async getAuditHead() {
      assertOpen();
      const head = tables.audit.sorted().at(-1);
      return head === undefined ? null : loadAuditEntry(head);
    },

    async listAudit(afterSeq, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = tables.audit.sorted();
      const start = firstIndexWhere(rows, (row) => row.seq > afterSeq);
      return rows.slice(start, start + limit).map(loadAuditEntry);
    },

    async getSetting(key) {
      assertOpen();
      return tables.settings.get(key) ?? null;
    },

    async getDocument(kind, id) {
      assertOpen();
      const stored = tables.documents.rows.get(id);
      return stored === undefined || stored.kind !== kind ? null : loadDocument(stored);
    },

    async findDocumentByLookupKey(kind, lookupKey) {
      assertOpen();
      const id = tables.documentIdsByLookupKey.get(lookupIndexKey(kind, lookupKey));
      const stored = id === undefined || id === null ? undefined : tables.documents.rows.get(id);
      return stored === undefined ? null : loadDocument(stored);
    },

    async listDocuments(kind, by, state, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      const isOwned =
        "cardId" in by
          ? (row: StoredDocument) => row.cardId === by.cardId
          : (row: StoredDocument) => row.cardholderId === by.cardholderId;
      return tables.documents
        .sorted()
        .filter((row) => row.kind === kind && isOwned(row) && (state === null || row.state === state))
        .slice(0, limit)
        .map(loadDocument);
    },

    async listDocumentsDue(kind, state, dueAtMs, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      return dueDocuments(kind, state, dueAtMs, limit).map(loadDocument);
    },

    async claimDocumentsDue(kind, state, dueAtMs, leaseUntilMs, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      assertClaimLeaseValid(dueAtMs, leaseUntilMs);
      // Read and write without an await in between: no other claim can take the same documents.
      const claimed = dueDocuments(kind, state, dueAtMs, limit).map((row) =>
        Object.freeze({ ...row, version: row.version + 1, dueAtMs: leaseUntilMs }),
      );
      tables.documents.write(new Map(claimed.map((row) => [row.id, row])));
      return claimed.map(loadDocument);
    },

    async listDocumentsInState(kind, state, cursor, limit) {
      assertOpen();
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = [...tables.documents.rows.values()]
        .filter((row) => row.kind === kind && row.state === state && (cursor === null || row.id > cursor))
        .sort((a, b) => compareText(a.id, b.id));
      return pageFrom(rows, 0, limit, loadDocument, (row) => row.id);
    },

    async listDocumentsChangedSince(kinds, sinceMs, cursor, limit) {
      assertOpen();
      assert(kinds.length > 0, "at least one document kind is followed");
      return pageChangedSince(
        tables.documents.rows.values(),
        (row) => kinds.includes(row.kind),
        sinceMs,
        cursor,
        limit,
        loadDocument,
      );
    },

    async close() {
      isOpen = false;
    },
  };
}
