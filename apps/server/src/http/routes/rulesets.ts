import { CreateRulesetBody, IdParams, RulesetTransitionBody } from "@mimamori/contracts";
import { limits } from "../../config/limits.ts";
import type { RulesetService } from "../../rulesets/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type RulesetRoutesDeps = { rulesets: RulesetService };

export function registerRulesetRoutes(app: HttpApp, deps: RulesetRoutesDeps): void {
  const { rulesets } = deps;

  app.get("/v1/rulesets", async () => ({ rulesets: rulesets.list() }));

  app.post(
    "/v1/rulesets",
    { bodyLimit: limits.rulesetBodyBytesMax, schema: { body: CreateRulesetBody } },
    async (request, reply) => {
      const result = await rulesets.create(request.body);
      if (!result.ok) {
        return sendError(reply, result.code, result.message, result.diagnostics);
      }
      return reply.code(201).send(result.ruleset);
    },
  );

  app.get("/v1/rulesets/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const ruleset = rulesets.get(request.params.id);
    return ruleset === undefined ? sendError(reply, "ruleset_not_found") : ruleset;
  });

  app.post(
    "/v1/rulesets/:id/status",
    { schema: { params: IdParams, body: RulesetTransitionBody } },
    async (request, reply) => {
      const result = await rulesets.transition(request.params.id, request.body.status);
      if (!result.ok) {
        return sendError(reply, result.code, result.message);
      }
      return result.ruleset;
    },
  );
}
