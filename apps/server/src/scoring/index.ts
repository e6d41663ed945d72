export type {
  AllowWindow,
  Authorization,
  CardContext,
  CardState,
  Channel,
  ThreeDsStatus,
} from "./authorization.ts";
export { cardStates, channels, stepUpChannels } from "./authorization.ts";
export type {
  AuthenticationHooks,
  AuthorizationResponse,
  AuthorizationService,
  AuthorizeResult,
  HoldHooks,
  PaymentRequestRefusal,
} from "./authorization-service.ts";
export { createAuthorizationService, parseOccurredAt } from "./authorization-service.ts";
export { decide } from "./decide.ts";
export type { Decision, Explanation, LoadedRuleset, Reason } from "./decision.ts";
export { outcomeForScore, strictestOutcome } from "./decision.ts";
export type {
  EntityKeys,
  EntityKind,
  FeatureSnapshot,
  FeatureState,
  RingArithmetic,
  SharedRingKind,
} from "./features/index.ts";
export { createFeatureState, createRingArithmetic, featureSchema, mccGroups } from "./features/index.ts";
export type { IdempotencyIndex } from "./idempotency-index.ts";
export { createIdempotencyIndex } from "./idempotency-index.ts";
export type {
  ModelContribution,
  ModelScore,
  ModelSlots,
  ServingModel,
  ShadowModelScore,
} from "./model-port.ts";
export { rebuildHotState } from "./rebuild.ts";
export { replayRecordedDecision } from "./recorded-decision.ts";
export type { Scored, ScoringEngine, ShadowDecision } from "./scoring-engine.ts";
export { createScoringEngine } from "./scoring-engine.ts";
export type { SharedCounting, SharedCountResult } from "./shared-counting.ts";
export { createSharedCounting } from "./shared-counting.ts";
export type {
  AllowWindowChange,
  CardStateChange,
  CodeFailureLog,
  CountedAttempt,
  CountInput,
  EntityRows,
  Prefetched,
  Reservation,
  RingMove,
  SharedHotState,
  UncountInput,
} from "./shared-hot-state.ts";
export type { StoredSnapshot } from "./snapshot-codec.ts";
export {
  decodeSnapshot,
  decodeSnapshotOrNull,
  encodeSnapshot,
  featureSchemaVersion,
} from "./snapshot-codec.ts";
