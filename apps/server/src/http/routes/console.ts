/**
 * The analyst console over HTTP: sign-in, the work queue, cases (timeline, contact log, labels),
 * hold actions, the rules editor (live check, drafts, backtest, shadow, four-eyes activation),
 * the model registry (upload to shadow, promote, retire), charts, the development outbox and
 * operator management. Each route names the roles it serves.
 */
import {
  AnalystActionBody,
  BacktestBody,
  CaseLabelBody,
  CaseQuery,
  ContactRecordBody,
  CreateOperatorBody,
  CreateRulesetBody,
  IdParams,
  ModelArtifactBody,
  ModelIdParams,
  RulesetTextBody,
  SignInBody,
} from "@mimamori/contracts";
import { Type } from "typebox";
import { backtestRuleset, decisionStats } from "../../analytics/index.ts";
import type { CaseService } from "../../cases/index.ts";
import { limits, time } from "../../config/limits.ts";
import type { HoldService } from "../../holds/index.ts";
import { holdView } from "../../holds/index.ts";
import { type Operators, operatorView } from "../../identity/index.ts";
import type { ModelPromotions, ModelRegistry } from "../../model/index.ts";
import { outboxFromDocument, outboxView } from "../../outbox/index.ts";
import type { Clock } from "../../platform/clock.ts";
import { type ActivationRequests, compileRulesetText, type RulesetService } from "../../rulesets/index.ts";
import type { Store } from "../../storage/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";
import { admins, caseWorkers, everyRole, registerOperatorScope, ruleAuthors } from "./operator-scope.ts";

export type ConsoleRoutesDeps = {
  operators: Operators;
  caseService: CaseService;
  holds: HoldService;
  rulesets: RulesetService;
  activations: ActivationRequests;
  models: ModelRegistry;
  promotions: ModelPromotions;
  store: Store;
  clock: Clock;
  /** The issuer's zone: the charts' days are its calendar days. */
  issuerTimeZone: string;
};

const StatsQuery = Type.Object(
  { days: Type.Optional(Type.String({ pattern: "^[0-9]{1,3}$" })) },
  { additionalProperties: false },
);

export function registerConsoleRoutes(app: HttpApp, deps: ConsoleRoutesDeps): void {
  const { operators, caseService, holds, rulesets, activations, models, promotions, store, clock } = deps;

  app.post(
    "/v1/console/sign-in",
    {
      schema: { body: SignInBody, summary: "An operator signs in with password and authenticator code" },
      config: { rateLimit: { max: limits.signInsPerMinuteMax, timeWindow: time.minuteMs } },
    },
    async (request, reply) => {
      const result = await operators.signIn(request.body);
      if (!result.ok) {
        return sendError(reply, result.code);
      }
      return {
        token: result.token,
        expiresAt: new Date(result.expiresAtMs).toISOString(),
        operator: operatorView(result.operator),
      };
    },
  );

  // The first operators are made by the issuer's provisioning with the API key; admins add the rest.
  app.post("/v1/operators", { schema: { body: CreateOperatorBody } }, async (request, reply) => {
    const result = await operators.create(request.body, "api_key");
    return result.ok
      ? reply.code(201).send({ operator: operatorView(result.operator), totp: result.totp })
      : sendError(reply, result.code);
  });

  registerOperatorScope(app, operators, (console, operatorOf) => {
    console.post("/v1/console/sign-out", { config: { roles: everyRole } }, async (request, reply) => {
      await operators.signOut(request.headers.authorization, operatorOf(request).id);
      return reply.code(204).send();
    });
    console.get("/v1/console/me", { config: { roles: everyRole } }, async (request) => ({
      operator: operatorView(operatorOf(request)),
    }));

    console.get("/v1/console/queue", { config: { roles: caseWorkers } }, async () => caseService.queue());
    console.get(
      "/v1/console/cases",
      { schema: { querystring: CaseQuery }, config: { roles: caseWorkers } },
      async (request) => ({
        cases: await caseService.search(request.query.query ?? "", request.query.state),
      }),
    );
    console.get(
      "/v1/console/cases/:id",
      { schema: { params: IdParams }, config: { roles: caseWorkers } },
      async (request, reply) => {
        const detail = await caseService.detail(request.params.id);
        return detail === null ? sendError(reply, "case_not_found") : detail;
      },
    );
    console.post(
      "/v1/console/cases/:id/contact-records",
      { schema: { params: IdParams, body: ContactRecordBody }, config: { roles: caseWorkers } },
      async (request, reply) => {
        const result = await caseService.addContactRecord(
          request.params.id,
          request.body,
          operatorOf(request),
        );
        return result.ok ? reply.code(201).send(result.value) : sendError(reply, result.code, result.message);
      },
    );
    console.post(
      "/v1/console/cases/:id/labels",
      { schema: { params: IdParams, body: CaseLabelBody }, config: { roles: caseWorkers } },
      async (request, reply) => {
        const result = await caseService.label(request.params.id, request.body, operatorOf(request));
        return result.ok ? reply.code(201).send(result.value) : sendError(reply, result.code, result.message);
      },
    );
    for (const [action, resolve] of [
      ["release", holds.releaseByAnalyst],
      ["block", holds.blockByAnalyst],
    ] as const) {
      console.post(
        `/v1/console/holds/:id/${action}`,
        { schema: { params: IdParams, body: AnalystActionBody }, config: { roles: caseWorkers } },
        async (request, reply) => {
          const result = await resolve(request.params.id, {
            channel: "console",
            actor: operatorOf(request).id,
            reason: request.body.reason,
          });
          return result.ok ? { hold: holdView(result.hold) } : sendError(reply, result.code, result.message);
        },
      );
    }

    console.get("/v1/console/rulesets", { config: { roles: caseWorkers } }, async () => ({
      rulesets: rulesets.list(),
      activationRequests: await activations.pending(),
    }));
    console.get(
      "/v1/console/rulesets/:id",
      { schema: { params: IdParams }, config: { roles: caseWorkers } },
      async (request, reply) => rulesets.get(request.params.id) ?? sendError(reply, "ruleset_not_found"),
    );
    console.post(
      "/v1/console/rulesets/check",
      {
        bodyLimit: limits.rulesetBodyBytesMax,
        schema: { body: RulesetTextBody },
        config: { roles: ruleAuthors },
      },
      async (request) => {
        const compiled = compileRulesetText(request.body.text);
        return { ok: compiled.ok, diagnostics: compiled.ok ? [] : compiled.diagnostics };
      },
    );
    console.post(
      "/v1/console/rulesets",
      {
        bodyLimit: limits.rulesetBodyBytesMax,
        schema: { body: CreateRulesetBody },
        config: { roles: ruleAuthors },
      },
      async (request, reply) => {
        const result = await rulesets.create(request.body, operatorOf(request).id);
        return result.ok
          ? reply.code(201).send(result.ruleset)
          : sendError(reply, result.code, result.message, result.diagnostics);
      },
    );
    console.post(
      "/v1/console/rulesets/:id/backtest",
      { schema: { params: IdParams, body: BacktestBody }, config: { roles: ruleAuthors } },
      async (request, reply) => {
        const ruleset = rulesets.get(request.params.id);
        if (ruleset === undefined) {
          return sendError(reply, "ruleset_not_found");
        }
        const toMs = request.body.to === undefined ? clock.nowMs() : Date.parse(request.body.to);
        const fromMs =
          request.body.from === undefined ? toMs - 30 * time.dayMs : Date.parse(request.body.from);
        if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) {
          return sendError(reply, "invalid_request", "from and to must be ISO 8601 times, from before to.");
        }
        const compiled = compileRulesetText(ruleset.text);
        if (!compiled.ok) {
          return sendError(reply, "ruleset_invalid", undefined, compiled.diagnostics);
        }
        const result = await backtestRuleset(
          { store },
          { ruleset: { id: ruleset.id, version: ruleset.version, compiled: compiled.value }, fromMs, toMs },
        );
        return {
          rulesetId: ruleset.id,
          from: new Date(fromMs).toISOString(),
          to: new Date(toMs).toISOString(),
          ...result,
          examples: result.examples.map((example) => ({
            authorizationId: example.authorizationId,
            occurredAt: new Date(example.occurredAtMs).toISOString(),
            recorded: example.recorded,
            would: example.would,
            rulesFired: example.rulesFired,
          })),
        };
      },
    );
    console.post(
      "/v1/console/rulesets/:id/shadow",
      { schema: { params: IdParams }, config: { roles: ruleAuthors } },
      async (request, reply) => {
        const result = await rulesets.transition(request.params.id, "shadow", operatorOf(request).id);
        return result.ok ? result.ruleset : sendError(reply, result.code, result.message);
      },
    );
    /**
     * A change that takes four eyes, as two routes: `…-requests`, where a supervisor asks (201
     * with the request), and `…-approvals`, where a different supervisor approves (the changed
     * ruleset or model).
     */
    const fourEyesRoutes = (
      path: string,
      params: typeof IdParams | typeof ModelIdParams,
      flow: ActivationRequests | ModelPromotions,
    ): void => {
      console.post(
        `${path}-requests`,
        { schema: { params }, config: { roles: ruleAuthors } },
        async (request, reply) => {
          const result = await flow.request(request.params.id, operatorOf(request));
          return result.ok
            ? reply.code(201).send(result.request)
            : sendError(reply, result.code, result.message);
        },
      );
      console.post(
        `${path}-approvals`,
        { schema: { params }, config: { roles: ruleAuthors } },
        async (request, reply) => {
          const result = await flow.approve(request.params.id, operatorOf(request));
          return result.ok ? result.value : sendError(reply, result.code, result.message);
        },
      );
    };
    fourEyesRoutes("/v1/console/rulesets/:id/activation", IdParams, activations);

    // A model in shadow changes no outcome, so analysts may upload one; only supervisors, who
    // change the rules, change the model that decides.
    console.get("/v1/console/models", { config: { roles: caseWorkers } }, async () => ({
      models: models.list(),
      promotionRequests: await promotions.pending(),
    }));
    console.post(
      "/v1/console/models",
      {
        bodyLimit: limits.modelBodyBytesMax,
        schema: { body: ModelArtifactBody },
        config: { roles: caseWorkers },
      },
      async (request, reply) => {
        const result = await models.upload(request.body, operatorOf(request).id);
        return result.ok ? reply.code(201).send(result.model) : sendError(reply, result.code, result.message);
      },
    );
    // Promotion changes every decision, so it takes two supervisors, as a ruleset's activation
    // does. Retiring only takes a model out of use, and one supervisor may do that at once.
    fourEyesRoutes("/v1/console/models/:id/promotion", ModelIdParams, promotions);
    console.post(
      "/v1/console/models/:id/retire",
      { schema: { params: ModelIdParams }, config: { roles: ruleAuthors } },
      async (request, reply) => {
        const result = await models.retire(request.params.id, operatorOf(request).id);
        return result.ok ? result.model : sendError(reply, result.code, result.message);
      },
    );

    console.get(
      "/v1/console/stats",
      { schema: { querystring: StatsQuery }, config: { roles: everyRole } },
      async (request, reply) => {
        const days = Number(request.query.days ?? "14");
        if (days < 1 || days > limits.statsDaysMax) {
          return sendError(reply, "invalid_request", `days must be from 1 to ${limits.statsDaysMax}.`);
        }
        const toMs = clock.nowMs();
        return decisionStats(
          { store },
          { fromMs: toMs - days * time.dayMs, toMs, timeZone: deps.issuerTimeZone },
        );
      },
    );

    // The development outbox: what the platform sent. Bodies that carry a code or an answer link
    // stay sealed here; an operator never needs a cardholder's code.
    console.get("/v1/console/outbox", { config: { roles: everyRole } }, async () => {
      const pages = await Promise.all(
        (["pending", "sent", "failed"] as const).map((state) =>
          store.listDocumentsInState("outbox_message", state, null, limits.outboxListedMax),
        ),
      );
      return {
        messages: pages
          .flatMap((page) => page.rows)
          .map((document) => outboxView(outboxFromDocument(document), null)),
      };
    });

    console.get("/v1/console/operators", { config: { roles: admins } }, async () => ({
      operators: (await operators.list()).map(operatorView),
    }));
    console.post(
      "/v1/console/operators",
      { schema: { body: CreateOperatorBody }, config: { roles: admins } },
      async (request, reply) => {
        const result = await operators.create(request.body, operatorOf(request).id);
        return result.ok
          ? reply.code(201).send({ operator: operatorView(result.operator), totp: result.totp })
          : sendError(reply, result.code);
      },
    );
  });
}
