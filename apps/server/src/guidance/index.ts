/**
 * Support guidance: "what should I do now?" for a situation at an instant, the directory of our
 * channels with what is open, and the directory of where victims report outside the issuer.
 */
export type {
  ChannelDirectory,
  ChannelKind,
  ChannelView,
  DirectoryEntry,
  Guidance,
  GuidanceDeps,
  GuidanceRequest,
  NextOpening,
  ReportPlaceView,
  SelfServiceActionView,
} from "./guidance.ts";
export { channelDirectory, guidanceFor } from "./guidance.ts";
export type { ReportDirectory, ReportPlace } from "./report-directory.ts";
export { loadReportDirectory, parseReportDirectory, reportDirectoryPaths } from "./report-directory.ts";
export type { SelfServiceActionId } from "./situations.ts";
