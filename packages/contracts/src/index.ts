export type {
  ActivationRequestView,
  BacktestView,
  CaseDetailView,
  CaseSummaryView,
  ContactChannel,
  ContactRecordView,
  DiagnosticView,
  ExplanationNodeView,
  LabelValue,
  LabelView,
  OperatorRole,
  OperatorView,
  QueueHoldView,
  QueueView,
  RulesetView,
  StatsView,
  StepUpReportView,
  TimelineEntryView,
  TimelineKind,
} from "./console.ts";
export {
  BacktestBody,
  CaseLabelBody,
  CaseQuery,
  ContactRecordBody,
  CreateOperatorBody,
  contactChannelValues,
  labelValues,
  operatorRoleValues,
  RulesetTextBody,
} from "./console.ts";
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
export type {
  CardOnFileView,
  Money,
  PortalCardView,
  PortalMeView,
  PortalSessionView,
  PortalTransactionView,
  ReissueView,
  TotpEnrollmentView,
} from "./portal.ts";
export { PortalCredentialBody, SignInBody } from "./portal.ts";
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
