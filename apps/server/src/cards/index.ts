export { createCardDirectory, loadCardDirectory } from "./card-directory.ts";
export type { CardDirectory } from "./card-directory.ts";
export { createCardService, isValidTimeZone, toCardView } from "./card-service.ts";
export type {
  CardService,
  CardView,
  IssueCardResult,
  NewCard,
  NewCardholder,
  RegisterCardholderResult,
  ResolveCardResult,
} from "./card-service.ts";
export { createPanVault, findPanCandidates, isLuhnValid, maskPan, parsePan, withLuhnCheckDigit } from "./pan.ts";
export type { PanKey, PanVault } from "./pan.ts";
