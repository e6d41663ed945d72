import { createHash } from "node:crypto";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { AuditEntry, Store } from "../storage/index.ts";
import { canonicalJson } from "./canonical-json.ts";

/** The hash before the first entry: what entry 1 names as its prevHash. */
export const genesisHash = "0".repeat(64);

/** Where the chain continues from: the last entry's seq and hash (0 and the genesis hash when empty). */
export type AuditChainHead = { readonly seq: number; readonly hash: string };

/** The content an entry's hash covers; prevHash links it to the entry before. */
export type AuditFields = Pick<AuditEntry, "seq" | "atMs" | "actor" | "action" | "subjectId" | "payload">;

export type AuditChainVerification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly brokenAtSeq: number; readonly reason: string };

const hashPattern = /^[0-9a-f]{64}$/;

/**
 * SHA-256 (hex) over the previous hash followed by the canonical JSON of the entry's content.
 * prevHash has a fixed length, so the concatenation cannot be read two ways.
 */
export function hashAuditEntry(prevHash: string, fields: AuditFields): string {
  assert(hashPattern.test(prevHash), "prevHash is 64 lowercase hex digits");
  const content = canonicalJson({
    seq: fields.seq,
    atMs: fields.atMs,
    actor: fields.actor,
    action: fields.action,
    subjectId: fields.subjectId,
    payload: fields.payload,
  });
  return createHash("sha256").update(prevHash).update(content).digest("hex");
}

/**
 * Checks a whole log from seq 1: consecutive seqs, each prevHash equal to the hash before, and
 * each hash equal to the hash of the entry's content. The first break is reported, so an operator
 * knows from where on the log cannot be trusted.
 */
export async function verifyAuditChain(
  entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>,
): Promise<AuditChainVerification> {
  let expectedSeq = 1;
  let prevHash = genesisHash;
  for await (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return { ok: false, brokenAtSeq: entry.seq, reason: `expected seq ${expectedSeq}, found ${entry.seq}` };
    }
    if (entry.prevHash !== prevHash) {
      return { ok: false, brokenAtSeq: entry.seq, reason: "prevHash differs from the previous entry's hash" };
    }
    if (hashAuditEntry(prevHash, entry) !== entry.hash) {
      return {
        ok: false,
        brokenAtSeq: entry.seq,
        reason: "hash differs from the hash of the entry's content",
      };
    }
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: expectedSeq - 1 };
}

/** The head to continue the chain from, read from the store. */
export async function loadAuditHead(store: Pick<Store, "getAuditHead">): Promise<AuditChainHead> {
  return auditHeadOf(await store.getAuditHead());
}

/**
 * The head that follows the log's last entry (null for an empty log). The entry's hash is
 * recomputed first: appending to an entry that does not match its own hash would seal a tampered
 * or corrupt log under new entries.
 */
export function auditHeadOf(last: AuditEntry | null): AuditChainHead {
  if (last === null) {
    return { seq: 0, hash: genesisHash };
  }
  assert(
    hashAuditEntry(last.prevHash, last) === last.hash,
    `audit entry ${last.seq} does not match its hash`,
  );
  return { seq: last.seq, hash: last.hash };
}

/** Every entry of the log in seq order, read page by page so memory stays flat on a long log. */
export async function* readAuditEntries(
  store: Pick<Store, "listAudit">,
  pageRows: number = limits.rebuildPageRows,
): AsyncGenerator<AuditEntry> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.listAudit(afterSeq, pageRows);
    yield* page;
    const last = page.at(-1);
    if (page.length < pageRows || last === undefined) {
      return;
    }
    afterSeq = last.seq;
  }
}
