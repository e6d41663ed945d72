export { CardholderContactCheckBody, ContactCheckBody, ContactCheckView } from "./contact-check.ts";
export type { ErrorCode } from "./errors.ts";
export { errorCatalogue, statusOf } from "./errors.ts";
export type { Situation } from "./guidance.ts";
export {
  ChannelDirectoryView,
  ChannelsQuery,
  ChannelView,
  GuidanceQuery,
  GuidanceView,
  situationValues,
} from "./guidance.ts";
export type { CardState, ChallengePreference, Channel } from "./schemas.ts";
export {
  AnalystActionBody,
  AnswerBody,
  AuthorizationBody,
  CardholderQuery,
  CardholderSessionBody,
  CardQuery,
  CardView,
  ConfirmationLinkParams,
  CreateCardBody,
  CreateCardholderBody,
  CreateRulesetBody,
  cardStateValues,
  challengePreferenceValues,
  channelValues,
  ErrorBody,
  IdParams,
  outcomeValues,
  Reason,
  RegisterWalletTokenBody,
  ReportLostBody,
  RulesetTransitionBody,
  rulesetTransitionValues,
  SmsInboundBody,
  StepUpAuthenticationBody,
  VerifyChallengeBody,
  walletTokenRequestorValues,
} from "./schemas.ts";
