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
export type { OpeningCalendar } from "./opening-hours.ts";
export { describeHours, describeLocalTime, isOpenAt, localIsoOf, nextOpeningAtMs } from "./opening-hours.ts";
export type { PhoneAnalysis, PhoneContext, PhoneSignalCode } from "./phone.ts";
export {
  analyzePhoneNumber,
  findPhoneNumbers,
  phoneCostText,
  phoneReasonMessages,
  phoneSignals,
} from "./phone.ts";
export type { ContactChannel, ContactFacts, ContactRecords } from "./records.ts";
export { createContactRecords } from "./records.ts";
export type { DataFileResult, Problem } from "./registry.ts";
export {
  describeProblems,
  indexRegistry,
  isCalendarDate,
  isHostName,
  LocalizedSchema,
  loadContactRegistry,
  OpeningHoursSchema,
  openingHoursProblems,
  ProvenanceSchema,
  parseContactRegistry,
  type RegistryIndex,
  readDataFile,
  registryPaths,
  SituationSchema,
  schemaProblems,
} from "./registry.ts";
export type {
  ContactRegistry,
  Direction,
  Localized,
  OpeningHours,
  PhoneCost,
  Provenance,
  RegistryChannel,
  RegistryPhone,
  RegistrySmsSender,
  Situation,
} from "./registry-types.ts";
export type { Language, Severity, Signal } from "./signal.ts";
export type { Secret, TextSignalCode } from "./text-cues.ts";
export { namesIssuer, normalizeText, requestedSecrets, sentencesOf, textSignals } from "./text-cues.ts";
