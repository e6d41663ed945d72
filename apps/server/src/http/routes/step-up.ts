/**
 * Step-up over HTTP: the issuer's ACS asks for a risk-based answer and runs the challenge
 * (issuer key); the cardholder lists recent codes and reports one they did not ask for (session).
 */
import { IdParams, StepUpAuthenticationBody, VerifyChallengeBody } from "@mimamori/contracts";
import type { Sessions } from "../../identity/index.ts";
import type { ChallengeActionResult, ResendResult, StepUpService } from "../../stepup/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";
import { registerCardholderScope } from "./cardholder-scope.ts";

export type StepUpRoutesDeps = { stepUp: StepUpService; sessions: Sessions };

type Reply = Parameters<typeof sendError>[0];

/** A closed challenge is an error for the caller, and still carries its final 3DS status. */
function sendChallengeResult(reply: Reply, result: ChallengeActionResult | ResendResult) {
  if (result.ok) {
    return reply.send(result.body);
  }
  switch (result.code) {
    case "challenge_closed":
      return sendError(reply, result.code, result.message, undefined, result.body);
    case "resend_too_soon":
      reply.header("retry-after", String(Math.ceil(result.retryAfterMs / 1000)));
      return sendError(reply, result.code, result.message, [{ retryAfterMs: result.retryAfterMs }]);
    default:
      return sendError(reply, result.code, result.message);
  }
}

export function registerStepUpRoutes(app: HttpApp, deps: StepUpRoutesDeps): void {
  const { stepUp } = deps;

  app.post(
    "/v1/step-up/authentications",
    {
      schema: {
        body: StepUpAuthenticationBody,
        summary: "Answer a 3-D Secure authentication request (idempotent by id)",
      },
    },
    async (request, reply) => {
      const result = await stepUp.authenticate(request.body);
      if (!result.ok) {
        return sendError(reply, result.code, result.message);
      }
      if (result.isReplay) {
        reply.header("idempotent-replayed", "true");
      }
      return reply.send(result.response);
    },
  );

  app.get("/v1/step-up/authentications/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const view = await stepUp.getAuthentication(request.params.id);
    return view === null ? sendError(reply, "authentication_not_found") : view;
  });

  app.get("/v1/step-up/challenges/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const view = await stepUp.getChallenge(request.params.id);
    return view === null ? sendError(reply, "challenge_not_found") : view;
  });

  app.post(
    "/v1/step-up/challenges/:id/verify",
    { schema: { params: IdParams, body: VerifyChallengeBody } },
    async (request, reply) =>
      sendChallengeResult(reply, await stepUp.verify(request.params.id, request.body.code)),
  );

  app.post("/v1/step-up/challenges/:id/resend", { schema: { params: IdParams } }, async (request, reply) =>
    sendChallengeResult(reply, await stepUp.resend(request.params.id)),
  );

  app.post("/v1/step-up/challenges/:id/cancel", { schema: { params: IdParams } }, async (request, reply) =>
    sendChallengeResult(reply, await stepUp.cancel(request.params.id)),
  );

  // The console's and the contact center's way: the cardholder called or wrote in.
  app.post(
    "/v1/step-up/challenges/:id/report-unrequested",
    { schema: { params: IdParams } },
    async (request, reply) => {
      const result = await stepUp.reportUnrequested(request.params.id, {
        channel: "console",
        actor: "api_key",
        cardholderId: null,
      });
      return result.ok ? result.body : sendError(reply, result.code, result.message);
    },
  );

  app.get(
    "/v1/step-up/metrics",
    { schema: { summary: "Frictionless, challenge and success rates" } },
    async () => stepUp.metrics(),
  );

  registerCardholderScope(app, deps.sessions, (portal, cardholderOf) => {
    portal.get("/v1/cardholder/step-up/challenges", async (request) => ({
      challenges: await stepUp.listChallengesOf(cardholderOf(request)),
    }));

    portal.post(
      "/v1/cardholder/step-up/challenges/:id/report-unrequested",
      { schema: { params: IdParams } },
      async (request, reply) => {
        const cardholderId = cardholderOf(request);
        const result = await stepUp.reportUnrequested(request.params.id, {
          channel: "portal",
          actor: `cardholder:${cardholderId}`,
          cardholderId,
        });
        return result.ok ? result.body : sendError(reply, result.code, result.message);
      },
    );
  });
}
