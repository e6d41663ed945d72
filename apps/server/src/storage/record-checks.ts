/**
 * Paired checks: every adapter asserts a record before it writes it, and the SQL adapter again
 * after it reads one back, so a bad value is caught where it enters and a drifted column where it
 * leaves, not three modules later.
 */

import { cardStateValues as cardStates } from "@mimamori/contracts";
import { assert, assertNever } from "../platform/assert.ts";
import type {
  AuditEntry,
  CardholderRecord,
  CardRecord,
  DecisionRecord,
  DocumentRecord,
  MerchantRecord,
  RulesetRecord,
  WriteOp,
} from "./records.ts";
import { documentKinds, rulesetStatuses, stepUpChannels } from "./records.ts";

const hashPattern = /^[0-9a-f]{64}$/;
const languages: readonly string[] = ["ja", "en"];

function assertKey(value: string, field: string): void {
  assert(typeof value === "string" && value.length > 0, `${field} is a non-empty string`);
}

function assertText(value: string, field: string): void {
  assert(typeof value === "string", `${field} is a string`);
}

function assertTimeMs(value: number, field: string): void {
  assert(Number.isSafeInteger(value) && value >= 0, `${field} is a non-negative integer of milliseconds`);
}

function assertCount(value: number, field: string): void {
  assert(Number.isSafeInteger(value) && value >= 1, `${field} is a positive integer`);
}

export function assertCardholderValid(record: CardholderRecord): void {
  assertKey(record.id, "cardholder.id");
  assertText(record.name, "cardholder.name");
  assertText(record.phone, "cardholder.phone");
  assertText(record.email, "cardholder.email");
  assert(languages.includes(record.language), "cardholder.language is ja or en");
  assertKey(record.timeZone, "cardholder.timeZone");
  assertKey(record.homeCountry, "cardholder.homeCountry");
  assertKey(record.securityPhrase, "cardholder.securityPhrase");
  assert(stepUpChannels.includes(record.stepUpChannel), "cardholder.stepUpChannel is sms, email or push");
  assertTimeMs(record.createdAtMs, "cardholder.createdAtMs");
}

export function assertCardValid(record: CardRecord): void {
  assertKey(record.id, "card.id");
  assertKey(record.cardholderId, "card.cardholderId");
  assertKey(record.panHash, "card.panHash");
  assertKey(record.panCiphertext, "card.panCiphertext");
  assertText(record.panBin, "card.panBin");
  assertText(record.panLast4, "card.panLast4");
  assertText(record.expiry, "card.expiry");
  assert(cardStates.includes(record.state), "card.state is a known card state");
  assert(
    record.replacesCardId === null ||
      (typeof record.replacesCardId === "string" && record.replacesCardId !== record.id),
    "card.replacesCardId is null or another card's id",
  );
  assertTimeMs(record.createdAtMs, "card.createdAtMs");
  assertTimeMs(record.updatedAtMs, "card.updatedAtMs");
  assert(record.updatedAtMs >= record.createdAtMs, "a card is updated after it is created");
}

export function assertMerchantValid(record: MerchantRecord): void {
  assertKey(record.id, "merchant.id");
  assertText(record.name, "merchant.name");
  assertText(record.mcc, "merchant.mcc");
  assertText(record.country, "merchant.country");
}

export function assertRulesetValid(record: RulesetRecord): void {
  assertKey(record.id, "ruleset.id");
  assertCount(record.version, "ruleset.version");
  assertText(record.name, "ruleset.name");
  assertText(record.text, "ruleset.text");
  assert(rulesetStatuses.includes(record.status), "ruleset.status is a known status");
  assertTimeMs(record.createdAtMs, "ruleset.createdAtMs");
  assertTimeMs(record.updatedAtMs, "ruleset.updatedAtMs");
}

export function assertDecisionValid(record: DecisionRecord): void {
  assertKey(record.authorizationId, "decision.authorizationId");
  assertKey(record.externalId, "decision.externalId");
  assertKey(record.requestHash, "decision.requestHash");
  assertKey(record.cardId, "decision.cardId");
  assertTimeMs(record.occurredAtMs, "decision.occurredAtMs");
  assertTimeMs(record.decidedAtMs, "decision.decidedAtMs");
  assertKey(record.outcome, "decision.outcome");
  assert(Number.isFinite(record.score), "decision.score is a finite number");
  assertKey(record.rulesetId, "decision.rulesetId");
  assertCount(record.rulesetVersion, "decision.rulesetVersion");
}

export function assertDocumentValid(record: DocumentRecord): void {
  assert(documentKinds.includes(record.kind), "document.kind is a known kind");
  assertKey(record.id, "document.id");
  assertCount(record.version, "document.version");
  assert(record.cardId === null || assertKeyIs(record.cardId), "document.cardId is null or an id");
  assert(
    record.cardholderId === null || assertKeyIs(record.cardholderId),
    "document.cardholderId is null or an id",
  );
  assertKey(record.state, "document.state");
  assert(
    record.dueAtMs === null || (Number.isSafeInteger(record.dueAtMs) && record.dueAtMs >= 0),
    "document.dueAtMs is null or epoch milliseconds",
  );
  assert(record.lookupKey === null || assertKeyIs(record.lookupKey), "document.lookupKey is null or a key");
  assertTimeMs(record.createdAtMs, "document.createdAtMs");
  assertTimeMs(record.updatedAtMs, "document.updatedAtMs");
  assert(record.updatedAtMs >= record.createdAtMs, "a document is updated after it is created");
}

function assertKeyIs(value: unknown): boolean {
  return typeof value === "string" && value.length > 0;
}

export function assertAuditEntryValid(entry: AuditEntry): void {
  assertCount(entry.seq, "audit.seq");
  assertTimeMs(entry.atMs, "audit.atMs");
  assertKey(entry.actor, "audit.actor");
  assertKey(entry.action, "audit.action");
  assertText(entry.subjectId, "audit.subjectId");
  assert(hashPattern.test(entry.prevHash), "audit.prevHash is 64 lowercase hex digits");
  assert(hashPattern.test(entry.hash), "audit.hash is 64 lowercase hex digits");
}

/** The check every adapter runs on each operation of a batch before it applies any of them. */
export function assertWriteOpValid(op: WriteOp): void {
  switch (op.kind) {
    case "insertCardholder":
      assertCardholderValid(op.cardholder);
      return;
    case "insertCard":
      assertCardValid(op.card);
      return;
    case "updateCardState":
      assertKey(op.cardId, "updateCardState.cardId");
      assert(cardStates.includes(op.state), "updateCardState.state is a known card state");
      assertTimeMs(op.atMs, "updateCardState.atMs");
      return;
    case "upsertMerchant":
      assertMerchantValid(op.merchant);
      return;
    case "insertRuleset":
      assertRulesetValid(op.ruleset);
      return;
    case "updateRulesetStatus":
      assertKey(op.rulesetId, "updateRulesetStatus.rulesetId");
      assert(rulesetStatuses.includes(op.status), "updateRulesetStatus.status is a known status");
      assertTimeMs(op.atMs, "updateRulesetStatus.atMs");
      return;
    case "insertDecision":
      assertDecisionValid(op.decision);
      return;
    case "appendAudit":
      assertAuditEntryValid(op.entry);
      return;
    case "setSetting":
      assertKey(op.key, "setting.key");
      assertText(op.value, "setting.value");
      return;
    case "insertDocument":
      assertDocumentValid(op.document);
      assert(op.document.version === 1, "an inserted document has version 1");
      return;
    case "updateDocument":
      assertDocumentValid(op.document);
      assert(op.document.version >= 2, "an updated document's version follows the stored one");
      return;
    default:
      assertNever(op);
  }
}

/** A claim runs from a due time to a later lease end, both exact epoch milliseconds. */
export function assertClaimLeaseValid(dueAtMs: number, leaseUntilMs: number): void {
  assertTimeMs(dueAtMs, "dueAtMs");
  assertTimeMs(leaseUntilMs, "leaseUntilMs");
  assert(leaseUntilMs > dueAtMs, "a lease ends after the time it is taken at");
}
