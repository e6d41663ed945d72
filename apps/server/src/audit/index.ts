/**
 * The audit module: canonical JSON and the SHA-256 hash chain that makes the append-only audit log
 * tamper-evident. Entries are written by storage's group committer; this module computes and checks
 * their hashes.
 */
export {
  type AuditChainHead,
  type AuditChainVerification,
  type AuditFields,
  auditHeadOf,
  genesisHash,
  hashAuditEntry,
  loadAuditHead,
  readAuditEntries,
  verifyAuditChain,
} from "./audit-chain.ts";
export { canonicalJson } from "./canonical-json.ts";
