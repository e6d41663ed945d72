export type { OpeningCalendar } from "../contact-check/opening-hours.ts";
export {
  describeHours,
  describeLocalTime,
  isOpenAt,
  localIsoOf,
  nextOpeningAtMs,
} from "../contact-check/opening-hours.ts";
export { phoneCostText } from "../contact-check/phone.ts";
export type { Problem } from "../contact-check/registry.ts";
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
  readDataFile,
  registryPaths,
  SituationSchema,
  schemaProblems,
} from "../contact-check/registry.ts";
export type {
  ContactRegistry,
  Direction,
  Localized,
  OpeningHours,
  PhoneCost,
  Provenance,
  RegistryChannel,
  RegistryPhone,
  Situation,
} from "../contact-check/registry-types.ts";
export type { Language } from "../contact-check/signal.ts";
