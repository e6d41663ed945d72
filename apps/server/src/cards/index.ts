export type { CardDirectory } from "./card-directory.ts";
export { createCardDirectory, loadCardDirectory } from "./card-directory.ts";
export type {
  CardService,
  CardView,
  IssueCardResult,
  NewCard,
  NewCardholder,
  RegisterCardholderResult,
  ResolveCardResult,
} from "./card-service.ts";
export { createCardService, isValidTimeZone, toCardView } from "./card-service.ts";
export type { PanKey, PanVault } from "./pan.ts";
export {
  createPanVault,
  findPanCandidates,
  isLuhnValid,
  maskPan,
  parsePan,
  withLuhnCheckDigit,
} from "./pan.ts";
