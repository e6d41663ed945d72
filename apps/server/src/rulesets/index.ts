export { type ActivationRequests, createActivationRequests } from "./activation.ts";
export { defaultRulesetName, defaultRulesetText } from "./default-ruleset.ts";
export type {
  CreateRulesetResult,
  RulesetService,
  RulesetView,
  TransitionResult,
} from "./ruleset-service.ts";
export { compileRulesetText, createRulesetService } from "./ruleset-service.ts";
