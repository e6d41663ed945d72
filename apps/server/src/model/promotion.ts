/**
 * Four eyes on the model that decides: from the console, the shadow model becomes active only
 * when one supervisor asks and a different one approves (the approvals module's flow), as a
 * ruleset's activation does. A request is made on the shadow as it is then; if that model
 * leaves the shadow slot and comes back, the old request approves nothing.
 */
import type { ModelPromotionRequestView } from "@mimamori/contracts";
import { createFourEyes, type FourEyes, type FourEyesDeps } from "../approvals/index.ts";
import type { ModelRegistry, ModelView, PromoteModelResult } from "./registry.ts";

export type ModelPromotions = FourEyes<
  ModelView,
  ModelPromotionRequestView,
  Exclude<PromoteModelResult, { ok: true }>["code"],
  "promotion_not_requested"
>;

export function createModelPromotions(deps: FourEyesDeps & { models: ModelRegistry }): ModelPromotions {
  const { models } = deps;
  return createFourEyes(deps, {
    documentKind: "promotion_request",
    idPrefix: "promreq",
    actions: { requested: "model.promotion_requested", approved: "model.promotion_approved" },
    notRequested: "promotion_not_requested",
    refusal(modelId) {
      const model = models.find(modelId);
      if (model === null) {
        return { ok: false, code: "model_not_found", message: `No model ${modelId} in the registry.` };
      }
      return model.state === "shadow"
        ? null
        : {
            ok: false,
            code: "model_not_shadow",
            message: `${modelId} is ${model.state}; only the shadow model can be promoted.`,
          };
    },
    stamp: (modelId) => models.stampOf(modelId),
    async apply(modelId, by) {
      const promoted = await models.promote(modelId, by.id);
      return promoted.ok ? { ok: true, value: promoted.model } : promoted;
    },
    view: ({ subjectId, requestedBy, requestedAt }) => ({ modelId: subjectId, requestedBy, requestedAt }),
  });
}
