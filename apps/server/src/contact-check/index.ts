/**
 * The contact checker ("is this really us?"): the official channel registry, the analysis of
 * phone numbers, links and words, and the verdict built from them.
 */

export type {
  ContactCheck,
  ContactChecker,
  ContactCheckInput,
  ContactReason,
  InputKind,
  OwnMessageMatch,
  Verdict,
} from "./checker.ts";
export { createContactChecker, verdictOf } from "./checker.ts";
export type { CardholderContactCheckInput, ContactCheckService } from "./contact-check-service.ts";
export { createContactCheckService } from "./contact-check-service.ts";
export { findEmailAddresses, findLinks } from "./links.ts";
export type { ContactChannel, ContactFacts, ContactRecords } from "./records.ts";
export { createContactRecords } from "./records.ts";
export { indexRegistry, loadContactRegistry, type RegistryIndex, registryPaths } from "./registry.ts";
export type { ContactRegistry } from "./registry-types.ts";
export type { Language, Severity, Signal } from "./signal.ts";
export type { Secret, TextSignalCode } from "./text-cues.ts";
export { namesIssuer, normalizeText, requestedSecrets, sentencesOf, textSignals } from "./text-cues.ts";
