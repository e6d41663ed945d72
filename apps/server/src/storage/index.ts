/**
 * The storage module: the Store port and its records, the adapters behind openStore, the group
 * committer that batches units of work with their audit entries. Other modules use storage only
 * through this file. The contract suite every adapter passes (contract/store-contract.ts) is
 * imported by the adapters' tests directly, so the server never loads node:test.
 */
// Re-exported so the composition root can start a committer from this module alone.
export { loadAuditHead } from "../audit/index.ts";
export {
  type ChangeFollower,
  createChangeFollower,
  createSeenVersions,
  type SeenVersions,
} from "./change-follower.ts";
export {
  type AuditDraft,
  createGroupCommitter,
  type GroupCommitter,
  type GroupCommitterDeps,
  type SubmitResult,
  type UnitOfWork,
} from "./group-commit.ts";
export { migratePostgres, type OpenStoreOptions, openStore, StoreOpenError } from "./open-store.ts";
export {
  type AuditEntry,
  type CardholderRecord,
  type CardRecord,
  type DecisionRecord,
  type DocumentKind,
  type DocumentRecord,
  documentKinds,
  type MerchantRecord,
  newDocument,
  type RulesetRecord,
  type RulesetStatus,
  rulesetStatuses,
  type WriteOp,
} from "./records.ts";
export type { CommitResult, Page, Store } from "./store.ts";
export { forEachDocumentInState, submitOrRestore } from "./unit-of-work.ts";
