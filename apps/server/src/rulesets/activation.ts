/**
 * Four eyes on the rules in force: from the console, a ruleset becomes active only when one
 * supervisor asks and a different one approves (the approvals module's flow).
 */
import type { ActivationRequestView } from "@mimamori/contracts";
import { createFourEyes, type FourEyes, type FourEyesDeps } from "../approvals/index.ts";
import type { RulesetService, RulesetView } from "./ruleset-service.ts";

type ActivationCode = "ruleset_not_found" | "ruleset_transition_invalid";

export type ActivationRequests = FourEyes<
  RulesetView,
  ActivationRequestView,
  ActivationCode,
  "activation_not_requested"
>;

export function createActivationRequests(
  deps: FourEyesDeps & { rulesets: RulesetService },
): ActivationRequests {
  const { rulesets } = deps;
  return createFourEyes(deps, {
    documentKind: "activation_request",
    idPrefix: "actreq",
    actions: { requested: "ruleset.activation_requested", approved: "ruleset.activation_approved" },
    notRequested: "activation_not_requested",
    refusal(rulesetId) {
      const ruleset = rulesets.get(rulesetId);
      if (ruleset === undefined) {
        return { ok: false, code: "ruleset_not_found" };
      }
      return ruleset.status === "draft" || ruleset.status === "shadow"
        ? null
        : { ok: false, code: "ruleset_transition_invalid" };
    },
    // A ruleset leaves draft and shadow only forward, so a request never goes stale.
    stamp: () => null,
    async apply(rulesetId, by) {
      const moved = await rulesets.transition(rulesetId, "active", by.id);
      return moved.ok ? { ok: true, value: moved.ruleset } : moved;
    },
    view: ({ subjectId, requestedBy, requestedAt }) => ({ rulesetId: subjectId, requestedBy, requestedAt }),
  });
}
