/**
 * Step-up authentication, 3-D Secure style: risk-based answers to an ACS's authentication
 * requests, one-time code challenges, and the cardholder's "I did not ask for this code" report.
 */
export { type AuthenticationState, authenticationStates } from "./authentication.ts";
export { answerFor, eciFor, type TransStatus } from "./authentication-result.ts";
export { type ChallengeState, challengeStates } from "./challenge.ts";
export { createStepUpMessages, type StepUpMessages } from "./step-up-messages.ts";
export {
  type AuthenticateResult,
  type ChallengeActionResult,
  createStepUpService,
  type ReportResult,
  type ResendResult,
  type StepUpKeys,
  type StepUpService,
} from "./step-up-service.ts";
