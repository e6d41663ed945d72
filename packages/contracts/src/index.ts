export type { ErrorCode } from "./errors.ts";
export { errorCatalogue, statusOf } from "./errors.ts";
export type { CardState, Channel } from "./schemas.ts";
export {
  AnalystActionBody,
  AnswerBody,
  AuthorizationBody,
  CardholderQuery,
  CardholderSessionBody,
  CardQuery,
  CardView,
  CreateCardBody,
  CreateCardholderBody,
  CreateRulesetBody,
  cardStateValues,
  channelValues,
  ErrorBody,
  IdParams,
  outcomeValues,
  Reason,
  ReportLostBody,
  RulesetTransitionBody,
  rulesetTransitionValues,
  SmsInboundBody,
} from "./schemas.ts";
