export { errorCatalogue, statusOf } from "./errors.ts";
export type { ErrorCode } from "./errors.ts";
export type { CardState, Channel } from "./schemas.ts";
export {
  AuthorizationBody,
  CardView,
  cardStateValues,
  channelValues,
  CreateCardBody,
  CreateCardholderBody,
  CreateRulesetBody,
  ErrorBody,
  IdParams,
  outcomeValues,
  Reason,
  RulesetTransitionBody,
  rulesetTransitionValues,
} from "./schemas.ts";
