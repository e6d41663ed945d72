/**
 * The shapes that storage persists. Every adapter (memory, PGlite, PostgreSQL) stores and returns
 * exactly these; times are epoch milliseconds, money is integer minor units.
 */

import type { CardState } from "@mimamori/contracts";
import type { Outcome } from "@mimamori/rules";

export type CardholderRecord = {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
  readonly email: string;
  readonly language: "ja" | "en";
  readonly timeZone: string;
  readonly homeCountry: string;
  /**
   * Shown in every genuine message to the cardholder and known to them, so a message without it
   * is not ours. Not a secret we check: a phrase the cardholder recognises.
   */
  readonly securityPhrase: string;
  /** Where one-time codes go: the cardholder's choice, SMS unless they chose otherwise. */
  readonly stepUpChannel: StepUpChannel;
  readonly createdAtMs: number;
};

export const stepUpChannels = ["sms", "email", "push"] as const;
export type StepUpChannel = (typeof stepUpChannels)[number];

export type CardRecord = {
  readonly id: string;
  readonly cardholderId: string;
  /** `v<keyVersion>:<hex HMAC-SHA-256 of the PAN>`: the lookup key, never reversible. */
  readonly panHash: string;
  /** `v<keyVersion>:<base64 iv|tag|ciphertext>` under AES-256-GCM. */
  readonly panCiphertext: string;
  readonly panBin: string;
  readonly panLast4: string;
  /** `YYYY-MM`. */
  readonly expiry: string;
  readonly state: CardState;
  /** The blocked card this one replaced (reissue), or null for a first card. */
  readonly replacesCardId: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
};

export type MerchantRecord = {
  readonly id: string;
  readonly name: string;
  readonly mcc: string;
  readonly country: string;
};

export const rulesetStatuses = ["draft", "shadow", "active", "retired"] as const;
export type RulesetStatus = (typeof rulesetStatuses)[number];

export type RulesetRecord = {
  readonly id: string;
  /** Increases by one per saved ruleset, across the issuer. */
  readonly version: number;
  readonly name: string;
  readonly text: string;
  readonly status: RulesetStatus;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
};

/** Everything needed to answer a retry byte for byte and to replay the decision identically. */
export type DecisionRecord = {
  readonly authorizationId: string;
  readonly externalId: string;
  /** SHA-256 of the request body's canonical JSON, to tell a retry from a conflicting reuse. */
  readonly requestHash: string;
  readonly cardId: string;
  readonly occurredAtMs: number;
  readonly decidedAtMs: number;
  readonly outcome: Outcome;
  readonly score: number;
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  /** The parsed authorization (no PAN: the card is referenced by id). */
  readonly authorization: unknown;
  /** The feature snapshot `decide()` saw. */
  readonly snapshot: unknown;
  /** The HTTP response body sent, returned again for an idempotent retry. */
  readonly response: unknown;
  /** The shadow ruleset's decision, recorded and not enforced; null when none is in shadow. */
  readonly shadow: unknown;
};

/** One entry of the append-only, hash-chained audit log. */
export type AuditEntry = {
  /** 1, 2, 3…: the position in the chain. */
  readonly seq: number;
  readonly atMs: number;
  /** Who acted: `api_key`, `system`, later an operator id. */
  readonly actor: string;
  /** What happened, e.g. `card.created`, `decision.recorded`, `ruleset.activated`. */
  readonly action: string;
  readonly subjectId: string;
  readonly payload: unknown;
  /** Hash of the previous entry (64 zeros for the first). */
  readonly prevHash: string;
  /** SHA-256 over prevHash and this entry's canonical content. */
  readonly hash: string;
};

export const documentKinds = [
  "hold",
  "case",
  "outbox_message",
  "account_update",
  "allow_window",
  "dispute_flag",
  "cardholder_session",
  "wallet_token",
  "confirmation_link",
  "authentication",
  "challenge",
  "operator",
  "operator_session",
  "portal_credential",
  "contact_record",
  "case_label",
  "activation_request",
  "promotion_request",
  "model",
  "payment_label",
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/**
 * The confirmation loop's records (holds, cases, outbox messages, …): few per hold rather than
 * per authorization, read by the same handful of keys, and changed by compare-and-set, so they
 * share one table whose common columns are indexed and whose kind-specific fields are JSON
 * (docs/decisions/0002-loop-documents.md). The owning module types and checks the body.
 */
export type DocumentRecord = {
  readonly kind: DocumentKind;
  /** Prefixed and unique across kinds: `hold_…`, `case_…`, `msg_…`. */
  readonly id: string;
  /** 1 when inserted, one more with every update: the compare-and-set token. */
  readonly version: number;
  readonly cardId: string | null;
  readonly cardholderId: string | null;
  /** The kind's own state (`pending`, `sent`, `open`…), indexed for the workers. */
  readonly state: string;
  /** When a worker must next act on it (a hold's expiry, a message's next attempt); null if never. */
  readonly dueAtMs: number | null;
  /** A second key, unique within the kind when set (a session token's hash, a reply reference). */
  readonly lookupKey: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly body: unknown;
};

/** A document's first version, created and last updated now; no deadline or second key unless given. */
export function newDocument(
  fields: Omit<DocumentRecord, "version" | "createdAtMs" | "updatedAtMs" | "dueAtMs" | "lookupKey"> &
    Partial<Pick<DocumentRecord, "dueAtMs" | "lookupKey">>,
  nowMs: number,
): DocumentRecord {
  return {
    dueAtMs: null,
    lookupKey: null,
    ...fields,
    version: 1,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
}

/** One change in a unit of work. A unit commits atomically: all of its operations or none. */
export type WriteOp =
  | { readonly kind: "insertCardholder"; readonly cardholder: CardholderRecord }
  | { readonly kind: "insertCard"; readonly card: CardRecord }
  | {
      readonly kind: "updateCardState";
      readonly cardId: string;
      readonly state: CardState;
      readonly atMs: number;
    }
  | { readonly kind: "upsertMerchant"; readonly merchant: MerchantRecord }
  | { readonly kind: "insertRuleset"; readonly ruleset: RulesetRecord }
  | {
      readonly kind: "updateRulesetStatus";
      readonly rulesetId: string;
      readonly status: RulesetStatus;
      readonly atMs: number;
    }
  | { readonly kind: "insertDecision"; readonly decision: DecisionRecord }
  | { readonly kind: "appendAudit"; readonly entry: AuditEntry }
  | { readonly kind: "setSetting"; readonly key: string; readonly value: string }
  | { readonly kind: "insertDocument"; readonly document: DocumentRecord }
  /** Applies only while the stored version is `document.version - 1`, else `version_conflict`. */
  | { readonly kind: "updateDocument"; readonly document: DocumentRecord };
