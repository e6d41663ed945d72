/**
 * The SQL adapter, for any Kysely PostgreSQL dialect (PGlite embedded, pg in production).
 *
 * A commit is one transaction. The fast path groups each table's operations (their order kept)
 * and writes runs of one kind as multi-row statements, so a batch of 256 decisions is one INSERT.
 * Reordering across tables is safe because no constraint or trigger spans two tables. When the fast
 * path meets a unique violation or a missing row it rolls back, and the batch runs again one
 * operation at a time in the caller's order: that names the first operation to fail exactly as the
 * memory adapter does, and it commits the batch if the conflict has gone meanwhile.
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import { limits } from "../../config/limits.ts";
import { assert, assertNever } from "../../platform/assert.ts";
import { assertPageLimit, changeCursorOf, decodeTimeCursor, encodeTimeCursor } from "../cursors.ts";
import { decodeJson, encodeJson } from "../json-text.ts";
import {
  assertAuditEntryValid,
  assertCardholderValid,
  assertCardValid,
  assertClaimLeaseValid,
  assertDecisionValid,
  assertDocumentValid,
  assertMerchantValid,
  assertRulesetValid,
  assertWriteOpValid,
} from "../record-checks.ts";
import type {
  AuditEntry,
  CardholderRecord,
  CardRecord,
  DecisionRecord,
  DocumentRecord,
  MerchantRecord,
  RulesetRecord,
  WriteOp,
} from "../records.ts";
import type { CommitResult, Page, Store } from "../store.ts";
import type { Database } from "./database.ts";

export type SqlStoreOptions = {
  /** Rows per multi-row INSERT; smaller values only serve tests of the chunking. */
  readonly insertRowsMax?: number;
  /**
   * Several processes write this database (PostgreSQL behind several API or worker processes):
   * the store then offers commitChained, which appends to the audit chain under a lock.
   */
  readonly isShared?: boolean;
};

type Refused = Extract<CommitResult, { ok: false }>;
type ConflictCode = Refused["code"];
type Kind = WriteOp["kind"];
type OpOf<K extends Kind> = Extract<WriteOp, { kind: K }>;
type Step = { readonly unitIndex: number; readonly opIndex: number; readonly op: WriteOp };
type Run = { readonly kind: Kind; readonly steps: Step[] };
/** Gives a transaction the steps to apply: fixed for commit, built from the head for commitChained. */
type Prepare = (trx: Transaction<Database>) => Promise<readonly Step[]>;

/**
 * The transaction-level advisory lock that orders every appender of the audit chain on one
 * database. Any constant works if nothing else on the database uses it: this is "mimamori" in
 * ASCII, read as a signed 64-bit integer, and differs from Kysely's migration lock.
 */
const auditChainLockKey = 0x6d696d616d6f7269n;

/** What each unique constraint of migration 0001 means to the caller. */
const conflictCodes: Readonly<Record<string, ConflictCode>> = {
  cardholders_pkey: "duplicate_id",
  cards_pkey: "duplicate_id",
  cards_pan_hash_key: "duplicate_pan",
  rulesets_pkey: "duplicate_id",
  // The version is the ruleset's second identifier, so taking it again is a duplicate id too.
  rulesets_version_key: "duplicate_id",
  decisions_pkey: "duplicate_id",
  decisions_external_id_key: "duplicate_external_id",
  audit_log_pkey: "duplicate_id",
  documents_pkey: "duplicate_id",
  documents_lookup_key_idx: "duplicate_lookup_key",
};

const tableOfKind: Readonly<Record<Kind, keyof Database>> = {
  insertCardholder: "cardholders",
  insertCard: "cards",
  updateCardState: "cards",
  upsertMerchant: "merchants",
  insertRuleset: "rulesets",
  updateRulesetStatus: "rulesets",
  insertDecision: "decisions",
  appendAudit: "audit_log",
  setSetting: "settings",
  insertDocument: "documents",
  updateDocument: "documents",
};

/** Carries a refusal out of a transaction callback, which makes Kysely roll back. */
class Refusal extends Error {
  readonly result: Refused;

  constructor(result: Refused) {
    super(`commit refused: ${result.code}`);
    this.result = result;
  }
}

/** The CommitResult code for a unique violation (SQLSTATE 23505), or null for any other error. */
function conflictCodeOf(error: unknown): ConflictCode | null {
  if (typeof error !== "object" || error === null || !("code" in error) || error.code !== "23505") {
    return null;
  }
  const constraint = "constraint" in error && typeof error.constraint === "string" ? error.constraint : "";
  const code = conflictCodes[constraint];
  assert(code !== undefined, `unique constraint ${constraint} has no CommitResult code`);
  return code;
}

/** int8 arrives as a number, a bigint or a string depending on the driver; times must stay exact. */
function toSafeInteger(value: number | bigint | string, field: string): number {
  const number = typeof value === "number" ? value : Number(value);
  assert(Number.isSafeInteger(number), `${field} is a safe integer`);
  return number;
}

function isKind<K extends Kind>(op: WriteOp, kind: K): op is OpOf<K> {
  return op.kind === kind;
}

function opsOf<K extends Kind>(steps: readonly Step[], kind: K): OpOf<K>[] {
  return steps.map(({ op }) => {
    assert(isKind(op, kind), "a run holds operations of one kind");
    return op;
  });
}

/** Every operation of every unit, checked, with the indexes a refusal names. */
function stepsOf(units: readonly (readonly WriteOp[])[]): Step[] {
  const steps: Step[] = [];
  for (const [unitIndex, unit] of units.entries()) {
    for (const [opIndex, op] of unit.entries()) {
      assertWriteOpValid(op);
      steps.push({ unitIndex, opIndex, op });
    }
  }
  return steps;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    out.push(items.slice(start, start + size));
  }
  return out;
}

/** Each table's steps in the caller's order, cut into runs of one kind. */
function planRuns(steps: readonly Step[]): Run[] {
  const byTable = new Map<keyof Database, Step[]>();
  for (const step of steps) {
    const table = tableOfKind[step.op.kind];
    const tableSteps = byTable.get(table) ?? [];
    tableSteps.push(step);
    byTable.set(table, tableSteps);
  }
  const runs: Run[] = [];
  for (const tableSteps of byTable.values()) {
    let run: Run | null = null;
    for (const step of tableSteps) {
      if (run === null || run.kind !== step.op.kind) {
        run = { kind: step.op.kind, steps: [] };
        runs.push(run);
      }
      run.steps.push(step);
    }
  }
  return runs;
}

function cardholderRow(r: CardholderRecord) {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    language: r.language,
    time_zone: r.timeZone,
    home_country: r.homeCountry,
    security_phrase: r.securityPhrase,
    step_up_channel: r.stepUpChannel,
    created_at_ms: r.createdAtMs,
  };
}

function cardRow(r: CardRecord) {
  return {
    id: r.id,
    cardholder_id: r.cardholderId,
    pan_hash: r.panHash,
    pan_ciphertext: r.panCiphertext,
    pan_bin: r.panBin,
    pan_last4: r.panLast4,
    expiry: r.expiry,
    state: r.state,
    replaces_card_id: r.replacesCardId,
    created_at_ms: r.createdAtMs,
    updated_at_ms: r.updatedAtMs,
  };
}

function documentRow(r: DocumentRecord) {
  return {
    id: r.id,
    kind: r.kind,
    version: r.version,
    card_id: r.cardId,
    cardholder_id: r.cardholderId,
    state: r.state,
    due_at_ms: r.dueAtMs,
    lookup_key: r.lookupKey,
    created_at_ms: r.createdAtMs,
    updated_at_ms: r.updatedAtMs,
    body_json: encodeJson(r.body, "document.body"),
  };
}

function rulesetRow(r: RulesetRecord) {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    text: r.text,
    status: r.status,
    created_at_ms: r.createdAtMs,
    updated_at_ms: r.updatedAtMs,
  };
}

function decisionRow(r: DecisionRecord) {
  return {
    authorization_id: r.authorizationId,
    external_id: r.externalId,
    request_hash: r.requestHash,
    card_id: r.cardId,
    occurred_at_ms: r.occurredAtMs,
    decided_at_ms: r.decidedAtMs,
    outcome: r.outcome,
    score: r.score,
    ruleset_id: r.rulesetId,
    ruleset_version: r.rulesetVersion,
    authorization_json: encodeJson(r.authorization, "decision.authorization"),
    snapshot_json: encodeJson(r.snapshot, "decision.snapshot"),
    response_json: encodeJson(r.response, "decision.response"),
    shadow_json: encodeJson(r.shadow, "decision.shadow"),
  };
}

function auditRow(e: AuditEntry) {
  return {
    seq: e.seq,
    at_ms: e.atMs,
    actor: e.actor,
    action: e.action,
    subject_id: e.subjectId,
    payload_json: encodeJson(e.payload, "audit.payload"),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** Later upserts of a key win, as if they ran one by one; one statement cannot touch a row twice. */
function latestByKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    latest.set(keyOf(item), item);
  }
  return [...latest.values()];
}

/**
 * The hot path's inserts (decisions and their audit entries) travel as one JSON parameter that
 * PostgreSQL unpacks with json_populate_recordset: one bound value instead of 14 per row. On
 * PGlite this measured about 40% more rows per second than a multi-row VALUES list, because the
 * per-parameter encoding in JavaScript was the larger cost. The row objects' keys are the
 * table's column names, so the two cannot drift apart silently: a missing key is a NULL that the
 * NOT NULL constraints refuse.
 */
async function insertRowsAsJson(
  trx: Transaction<Database>,
  table: "decisions" | "audit_log",
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  await sql`insert into ${sql.table(table)} select * from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
    trx,
  );
}

async function executeRun(trx: Transaction<Database>, run: Run, insertRowsMax: number): Promise<void> {
  switch (run.kind) {
    case "insertCardholder":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await trx
          .insertInto("cardholders")
          .values(chunk.map((op) => cardholderRow(op.cardholder)))
          .execute();
      }
      return;
    case "insertCard":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await trx
          .insertInto("cards")
          .values(chunk.map((op) => cardRow(op.card)))
          .execute();
      }
      return;
    case "insertRuleset":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await trx
          .insertInto("rulesets")
          .values(chunk.map((op) => rulesetRow(op.ruleset)))
          .execute();
      }
      return;
    case "insertDecision":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await insertRowsAsJson(
          trx,
          "decisions",
          chunk.map((op) => decisionRow(op.decision)),
        );
      }
      return;
    case "appendAudit":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await insertRowsAsJson(
          trx,
          "audit_log",
          chunk.map((op) => auditRow(op.entry)),
        );
      }
      return;
    case "upsertMerchant": {
      const merchants = latestByKey(
        opsOf(run.steps, run.kind).map((op) => op.merchant),
        (merchant) => merchant.id,
      );
      for (const chunk of chunks(merchants, insertRowsMax)) {
        await trx
          .insertInto("merchants")
          .values(chunk.map((m) => ({ id: m.id, name: m.name, mcc: m.mcc, country: m.country })))
          .onConflict((conflict) =>
            conflict.column("id").doUpdateSet((eb) => ({
              name: eb.ref("excluded.name"),
              mcc: eb.ref("excluded.mcc"),
              country: eb.ref("excluded.country"),
            })),
          )
          .execute();
      }
      return;
    }
    case "setSetting": {
      const settings = latestByKey(opsOf(run.steps, run.kind), (op) => op.key);
      for (const chunk of chunks(settings, insertRowsMax)) {
        await trx
          .insertInto("settings")
          .values(chunk.map((op) => ({ key: op.key, value: op.value })))
          .onConflict((conflict) =>
            conflict.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })),
          )
          .execute();
      }
      return;
    }
    case "updateCardState":
      for (const step of run.steps) {
        const [op] = opsOf([step], run.kind);
        assert(op !== undefined, "one step gives one operation");
        const result = await trx
          .updateTable("cards")
          .set({ state: op.state, updated_at_ms: op.atMs })
          .where("id", "=", op.cardId)
          .executeTakeFirst();
        refuseIfNoRow(result.numUpdatedRows, step);
      }
      return;
    case "insertDocument":
      for (const chunk of chunks(opsOf(run.steps, run.kind), insertRowsMax)) {
        await trx
          .insertInto("documents")
          .values(chunk.map((op) => documentRow(op.document)))
          .execute();
      }
      return;
    case "updateDocument":
      for (const step of run.steps) {
        const [op] = opsOf([step], run.kind);
        assert(op !== undefined, "one step gives one operation");
        const { id, kind, created_at_ms: _createdAtMs, ...changes } = documentRow(op.document);
        const result = await trx
          .updateTable("documents")
          .set(changes)
          .where("id", "=", id)
          .where("kind", "=", kind)
          .where("version", "=", op.document.version - 1)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) {
          // Missing, or changed by someone else since it was read: the caller needs to know which.
          const stored = await trx
            .selectFrom("documents")
            .select("version")
            .where("id", "=", id)
            .where("kind", "=", kind)
            .executeTakeFirst();
          throw new Refusal({
            ok: false,
            code: stored === undefined ? "not_found" : "version_conflict",
            unitIndex: step.unitIndex,
            opIndex: step.opIndex,
          });
        }
      }
      return;
    case "updateRulesetStatus":
      for (const step of run.steps) {
        const [op] = opsOf([step], run.kind);
        assert(op !== undefined, "one step gives one operation");
        const result = await trx
          .updateTable("rulesets")
          .set({ status: op.status, updated_at_ms: op.atMs })
          .where("id", "=", op.rulesetId)
          .executeTakeFirst();
        refuseIfNoRow(result.numUpdatedRows, step);
      }
      return;
    default:
      return assertNever(run.kind);
  }
}

function refuseIfNoRow(updatedRows: bigint, step: Step): void {
  if (updatedRows === 0n) {
    throw new Refusal({ ok: false, code: "not_found", unitIndex: step.unitIndex, opIndex: step.opIndex });
  }
}

type Row<T extends keyof Database> = Selectable<Database[T]>;

function toCardholder(row: Row<"cardholders">): CardholderRecord {
  const record: CardholderRecord = {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    language: row.language as CardholderRecord["language"],
    timeZone: row.time_zone,
    homeCountry: row.home_country,
    securityPhrase: row.security_phrase,
    stepUpChannel: row.step_up_channel as CardholderRecord["stepUpChannel"],
    createdAtMs: toSafeInteger(row.created_at_ms, "cardholders.created_at_ms"),
  };
  assertCardholderValid(record);
  return record;
}

function toCard(row: Row<"cards">): CardRecord {
  const record: CardRecord = {
    id: row.id,
    cardholderId: row.cardholder_id,
    panHash: row.pan_hash,
    panCiphertext: row.pan_ciphertext,
    panBin: row.pan_bin,
    panLast4: row.pan_last4,
    expiry: row.expiry,
    state: row.state as CardRecord["state"],
    replacesCardId: row.replaces_card_id,
    createdAtMs: toSafeInteger(row.created_at_ms, "cards.created_at_ms"),
    updatedAtMs: toSafeInteger(row.updated_at_ms, "cards.updated_at_ms"),
  };
  assertCardValid(record);
  return record;
}

function toMerchant(row: Row<"merchants">): MerchantRecord {
  const record: MerchantRecord = { id: row.id, name: row.name, mcc: row.mcc, country: row.country };
  assertMerchantValid(record);
  return record;
}

function toRuleset(row: Row<"rulesets">): RulesetRecord {
  const record: RulesetRecord = {
    id: row.id,
    version: row.version,
    name: row.name,
    text: row.text,
    status: row.status as RulesetRecord["status"],
    createdAtMs: toSafeInteger(row.created_at_ms, "rulesets.created_at_ms"),
    updatedAtMs: toSafeInteger(row.updated_at_ms, "rulesets.updated_at_ms"),
  };
  assertRulesetValid(record);
  return record;
}

function toDecision(row: Row<"decisions">): DecisionRecord {
  const record: DecisionRecord = {
    authorizationId: row.authorization_id,
    externalId: row.external_id,
    requestHash: row.request_hash,
    cardId: row.card_id,
    occurredAtMs: toSafeInteger(row.occurred_at_ms, "decisions.occurred_at_ms"),
    decidedAtMs: toSafeInteger(row.decided_at_ms, "decisions.decided_at_ms"),
    outcome: row.outcome as DecisionRecord["outcome"],
    score: row.score,
    rulesetId: row.ruleset_id,
    rulesetVersion: row.ruleset_version,
    authorization: decodeJson(row.authorization_json),
    snapshot: decodeJson(row.snapshot_json),
    response: decodeJson(row.response_json),
    shadow: decodeJson(row.shadow_json),
  };
  assertDecisionValid(record);
  return record;
}

function toDocument(row: Row<"documents">): DocumentRecord {
  const record: DocumentRecord = {
    kind: row.kind as DocumentRecord["kind"],
    id: row.id,
    version: row.version,
    cardId: row.card_id,
    cardholderId: row.cardholder_id,
    state: row.state,
    dueAtMs: row.due_at_ms === null ? null : toSafeInteger(row.due_at_ms, "documents.due_at_ms"),
    lookupKey: row.lookup_key,
    createdAtMs: toSafeInteger(row.created_at_ms, "documents.created_at_ms"),
    updatedAtMs: toSafeInteger(row.updated_at_ms, "documents.updated_at_ms"),
    body: decodeJson(row.body_json),
  };
  assertDocumentValid(record);
  return record;
}

function toAuditEntry(row: Row<"audit_log">): AuditEntry {
  const entry: AuditEntry = {
    seq: toSafeInteger(row.seq, "audit_log.seq"),
    atMs: toSafeInteger(row.at_ms, "audit_log.at_ms"),
    actor: row.actor,
    action: row.action,
    subjectId: row.subject_id,
    payload: decodeJson(row.payload_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  assertAuditEntryValid(entry);
  return entry;
}

async function readAuditHead(db: Kysely<Database>): Promise<AuditEntry | null> {
  const row = await db.selectFrom("audit_log").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirst();
  return row === undefined ? null : toAuditEntry(row);
}

/** The first `limit` rows, and the cursor of the last one when the extra row read shows more follow. */
function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  load: (row: R) => T,
  cursorOf: (record: T) => string,
) {
  const records = rows.slice(0, limit).map(load);
  const last = records.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? cursorOf(last) : null;
  return { rows: records, nextCursor } satisfies Page<T>;
}

export function createSqlStore(db: Kysely<Database>, options: SqlStoreOptions = {}): Store {
  const insertRowsMax = options.insertRowsMax ?? limits.sqlInsertRowsMax;
  assert(Number.isSafeInteger(insertRowsMax) && insertRowsMax >= 1, "insertRowsMax is a positive integer");

  const commitGrouped = async (prepare: Prepare): Promise<void> => {
    await db.transaction().execute(async (trx) => {
      for (const run of planRuns(await prepare(trx))) {
        await executeRun(trx, run, insertRowsMax);
      }
    });
  };

  const commitOneByOne = async (prepare: Prepare): Promise<CommitResult> => {
    try {
      await db.transaction().execute(async (trx) => {
        for (const step of await prepare(trx)) {
          try {
            await executeRun(trx, { kind: step.op.kind, steps: [step] }, insertRowsMax);
          } catch (error) {
            const code = conflictCodeOf(error);
            if (code === null) {
              throw error;
            }
            throw new Refusal({ ok: false, code, unitIndex: step.unitIndex, opIndex: step.opIndex });
          }
        }
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof Refusal) {
        return error.result;
      }
      throw error;
    }
  };

  const commitPrepared = async (prepare: Prepare): Promise<CommitResult> => {
    try {
      await commitGrouped(prepare);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof Refusal) && conflictCodeOf(error) === null) {
        throw error;
      }
    }
    return commitOneByOne(prepare);
  };

  const store: Store = {
    async commit(units) {
      const steps = stepsOf(units);
      if (steps.length === 0) {
        return { ok: true };
      }
      return commitPrepared(async () => steps);
    },

    async getCardholder(id) {
      const row = await db.selectFrom("cardholders").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : toCardholder(row);
    },

    async listCardholders(cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      let query = db.selectFrom("cardholders").selectAll();
      if (cursor !== null) {
        query = query.where("id", ">", cursor);
      }
      const rows = await query
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toCardholder, (record) => record.id);
    },

    async getCard(id) {
      const row = await db.selectFrom("cards").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : toCard(row);
    },

    async listCards(cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      let query = db.selectFrom("cards").selectAll();
      if (cursor !== null) {
        query = query.where("id", ">", cursor);
      }
      const rows = await query
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toCard, (record) => record.id);
    },

    async listMerchants(cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      let query = db.selectFrom("merchants").selectAll();
      if (cursor !== null) {
        query = query.where("id", ">", cursor);
      }
      const rows = await query
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toMerchant, (record) => record.id);
    },

    async listCardsChangedSince(sinceMs, cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      assert(Number.isSafeInteger(sinceMs), "sinceMs is an integer");
      let query = db.selectFrom("cards").selectAll().where("updated_at_ms", ">=", sinceMs);
      if (cursor !== null) {
        const after = decodeTimeCursor(cursor);
        // A row comparison, which the (updated_at_ms, id) index of migration 0004 serves directly.
        query = query.where(sql<boolean>`(updated_at_ms, id) > (${after.atMs}, ${after.id})`);
      }
      const rows = await query
        .orderBy("updated_at_ms")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toCard, changeCursorOf);
    },

    async getRuleset(id) {
      const row = await db.selectFrom("rulesets").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : toRuleset(row);
    },

    async listRulesets() {
      // Unpaged: rulesets are bounded by limits.rulesetVersionsMax.
      const rows = await db.selectFrom("rulesets").selectAll().orderBy("version", "desc").execute();
      return rows.map(toRuleset);
    },

    async getDecisionByExternalId(externalId) {
      const row = await db
        .selectFrom("decisions")
        .selectAll()
        .where("external_id", "=", externalId)
        .executeTakeFirst();
      return row === undefined ? null : toDecision(row);
    },

    async listDecisions(fromMs, cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      assert(Number.isSafeInteger(fromMs), "fromMs is an integer");
      let query = db.selectFrom("decisions").selectAll().where("occurred_at_ms", ">=", fromMs);
      if (cursor !== null) {
        const after = decodeTimeCursor(cursor);
        // A row comparison, which the (occurred_at_ms, authorization_id) index serves directly.
        query = query.where(sql<boolean>`(occurred_at_ms, authorization_id) > (${after.atMs}, ${after.id})`);
      }
      const rows = await query
        .orderBy("occurred_at_ms")
        .orderBy("authorization_id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toDecision, (record) =>
        encodeTimeCursor({ atMs: record.occurredAtMs, id: record.authorizationId }),
      );
    },

    async getDecision(authorizationId) {
      const row = await db
        .selectFrom("decisions")
        .selectAll()
        .where("authorization_id", "=", authorizationId)
        .executeTakeFirst();
      return row === undefined ? null : toDecision(row);
    },

    async listDecisionsByCard(cardId, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = await db
        .selectFrom("decisions")
        .selectAll()
        .where("card_id", "=", cardId)
        .orderBy("occurred_at_ms", "desc")
        .orderBy("authorization_id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toDecision);
    },

    async countDecisions() {
      const row = await db
        .selectFrom("decisions")
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      return toSafeInteger(row.count, "count(decisions)");
    },

    async getAuditHead() {
      return readAuditHead(db);
    },

    async listAudit(afterSeq, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = await db
        .selectFrom("audit_log")
        .selectAll()
        .where("seq", ">", afterSeq)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map(toAuditEntry);
    },

    async getSetting(key) {
      const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
      return row === undefined ? null : row.value;
    },

    async getDocument(kind, id) {
      const row = await db
        .selectFrom("documents")
        .selectAll()
        .where("id", "=", id)
        .where("kind", "=", kind)
        .executeTakeFirst();
      return row === undefined ? null : toDocument(row);
    },

    async findDocumentByLookupKey(kind, lookupKey) {
      const row = await db
        .selectFrom("documents")
        .selectAll()
        .where("kind", "=", kind)
        .where("lookup_key", "=", lookupKey)
        .executeTakeFirst();
      return row === undefined ? null : toDocument(row);
    },

    async listDocuments(kind, by, state, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      let query = db.selectFrom("documents").selectAll().where("kind", "=", kind);
      query =
        "cardId" in by
          ? query.where("card_id", "=", by.cardId)
          : query.where("cardholder_id", "=", by.cardholderId);
      if (state !== null) {
        query = query.where("state", "=", state);
      }
      const rows = await query.orderBy("created_at_ms").orderBy("id").limit(limit).execute();
      return rows.map(toDocument);
    },

    async listDocumentsDue(kind, state, dueAtMs, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      const rows = await db
        .selectFrom("documents")
        .selectAll()
        .where("kind", "=", kind)
        .where("state", "=", state)
        .where("due_at_ms", "<=", dueAtMs)
        .orderBy("due_at_ms")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toDocument);
    },

    async claimDocumentsDue(kind, state, dueAtMs, leaseUntilMs, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      assertClaimLeaseValid(dueAtMs, leaseUntilMs);
      // One statement, so no transaction is needed. SKIP LOCKED passes over rows another claim
      // (or a commit) holds, so concurrent claimers split the due rows instead of queueing for
      // them; a row another claim has already moved is rechecked against due_at_ms and left out.
      const rows = await db
        .with("due", (qb) =>
          qb
            .selectFrom("documents")
            .select(["id", "due_at_ms"])
            .where("kind", "=", kind)
            .where("state", "=", state)
            .where("due_at_ms", "<=", dueAtMs)
            .orderBy("due_at_ms")
            .orderBy("id")
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .updateTable("documents")
        .from("due")
        .set((eb) => ({ due_at_ms: leaseUntilMs, version: eb("documents.version", "+", 1) }))
        .whereRef("documents.id", "=", "due.id")
        .returningAll("documents")
        .returning("due.due_at_ms as was_due_at_ms")
        .execute();
      // RETURNING has no order of its own; the claim is handed back in the order it was due.
      return rows
        .map(({ was_due_at_ms: wasDueAtMs, ...row }) => {
          assert(wasDueAtMs !== null, "a claimed document had a due time");
          return { wasDueAtMs: toSafeInteger(wasDueAtMs, "documents.due_at_ms"), document: toDocument(row) };
        })
        .sort((a, b) => a.wasDueAtMs - b.wasDueAtMs || (a.document.id < b.document.id ? -1 : 1))
        .map((claimed) => claimed.document);
    },

    async listDocumentsInState(kind, state, cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      let query = db.selectFrom("documents").selectAll().where("kind", "=", kind).where("state", "=", state);
      if (cursor !== null) {
        query = query.where("id", ">", cursor);
      }
      const rows = await query
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toDocument, (record) => record.id);
    },

    async listDocumentsChangedSince(kinds, sinceMs, cursor, limit) {
      assertPageLimit(limit, limits.storePageRowsMax);
      assert(kinds.length > 0, "at least one document kind is followed");
      assert(Number.isSafeInteger(sinceMs), "sinceMs is an integer");
      let query = db
        .selectFrom("documents")
        .selectAll()
        .where("kind", "in", kinds)
        .where("updated_at_ms", ">=", sinceMs);
      if (cursor !== null) {
        const after = decodeTimeCursor(cursor);
        // The (updated_at_ms, id) index serves the order; the kind is filtered along the way.
        query = query.where(sql<boolean>`(updated_at_ms, id) > (${after.atMs}, ${after.id})`);
      }
      const rows = await query
        .orderBy("updated_at_ms")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toDocument, changeCursorOf);
    },

    async close() {
      await db.destroy();
    },
  };
  if (options.isShared !== true) {
    return store;
  }
  return {
    ...store,
    async commitChained(build) {
      // The lock is held until this transaction ends, so the head read next stays the head until
      // our entries follow it. Every appender waits here in turn: one chain costs one commit at a
      // time across all processes, which group commit amortizes over its batch.
      return commitPrepared(async (trx) => {
        await sql`select pg_advisory_xact_lock(${auditChainLockKey})`.execute(trx);
        return stepsOf(build(await readAuditHead(trx)));
      });
    },
  };
}
