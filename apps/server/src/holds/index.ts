/**
 * Holds and the confirmation loop: a hold decision suspends the card and asks the cardholder;
 * the answer, the window or an analyst resolves it exactly once; "not mine" blocks and reissues.
 */

export {
  type AnswerChannel,
  type HeldAuthorization,
  type Hold,
  type HoldState,
  holdFromDocument,
  holdStates,
  holdView,
} from "./hold.ts";
export { createHoldMessages, type ReplyKind } from "./hold-messages.ts";
export {
  type ConfirmationPage,
  createHoldService,
  type HoldEffect,
  type HoldMessages,
  type HoldService,
  type HoldServiceDeps,
  type LinkResult,
  type ResolveResult,
} from "./hold-service.ts";
