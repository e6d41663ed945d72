export type { CardDirectory } from "./card-directory.ts";
export { createCardDirectory, loadCardDirectory } from "./card-directory.ts";
export type {
  CardHostKeys,
  CardHostPayload,
  CardHostReason,
  CardHostWebhookBody,
  OpenFromCardHostResult,
} from "./card-host.ts";
export { cardHostTokenType, cardHostWebhookBody, openFromCardHost, sealForCardHost } from "./card-host.ts";
export type { CardNetwork, DisputeChannel, FraudDisputeReason } from "./card-networks.ts";
export { cardNetworkOf, expiryAfter, fraudDisputeReasonOf, isCardAbsent } from "./card-networks.ts";
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
export type { ReplacementPanResult } from "./replacement-card.ts";
export { generateCvv, generateReplacementPan, replacementPrefixLength } from "./replacement-card.ts";
export { newSecurityPhrase } from "./security-phrase.ts";
export type {
  NewWalletToken,
  RegisterWalletTokenResult,
  TokenPanUpdate,
  WalletToken,
  WalletTokenMove,
  WalletTokenRequestor,
  WalletTokenService,
  WalletTokenState,
} from "./wallet-tokens.ts";
export {
  createWalletTokenService,
  isLiveWalletToken,
  moveWalletTokens,
  walletTokenFromDocument,
  walletTokenToDocument,
  walletTokenView,
} from "./wallet-tokens.ts";
