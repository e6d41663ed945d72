export type { ErrorCode } from "./errors.ts";
export { errorCatalogue, statusOf } from "./errors.ts";
export type { CardState, Channel } from "./schemas.ts";
export {
  AuthorizationBody,
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
  RulesetTransitionBody,
  rulesetTransitionValues,
} from "./schemas.ts";
