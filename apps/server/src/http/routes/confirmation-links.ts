/**
 * The one-time link's page, served on the issuer's official domain (which points here in
 * production). GET shows the question and spends nothing, since mail scanners open links before
 * people do; only the form's POST answers, through the same resolution as every other channel,
 * and spends the link. Browsers get HTML; a client that asks for JSON gets the usual coded body.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AnswerBody, ConfirmationLinkParams } from "@mimamori/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { limits, time } from "../../config/limits.ts";
import type { HoldService, LinkResult } from "../../holds/index.ts";
import type { HttpApp } from "../app.ts";
import {
  confirmationPageHeaders,
  renderAnswerPage,
  renderQuestionPage,
  renderRefusalPage,
} from "../confirmation-page.ts";
import { sendError, sendErrorPage } from "../errors.ts";

export type ConfirmationLinkRoutesDeps = { holds: Pick<HoldService, "viewLink" | "answerByLink"> };

function isJsonClient(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("application/json");
}

export function registerConfirmationLinkRoutes(app: HttpApp, deps: ConfirmationLinkRoutesDeps): void {
  const { holds } = deps;

  /** Answers with the page on success, else the refusal as a page or, for JSON clients, a code. */
  const respond = (
    request: FastifyRequest,
    reply: FastifyReply,
    result: LinkResult,
    render: (ok: Extract<LinkResult, { ok: true }>) => string,
  ): FastifyReply => {
    if (!result.ok) {
      return isJsonClient(request)
        ? sendError(reply, result.code)
        : sendErrorPage(reply, result.code, renderRefusalPage(result.code));
    }
    return isJsonClient(request)
      ? reply.send({ state: result.hold.state })
      : reply.type("text/html; charset=utf-8").send(render(result));
  };

  // Encapsulated, so the form parser and the page headers apply to these routes alone.
  app.register(async (instance) => {
    const links = instance.withTypeProvider<TypeBoxTypeProvider>();
    links.addHook("onSend", async (_request, reply, payload) => {
      reply.headers(confirmationPageHeaders);
      return payload;
    });
    // The page's form posts "answer=mine" as form-urlencoded: a few bytes, the one field checked
    // by the same schema as the portal's JSON answer.
    links.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: limits.confirmationLinkBodyBytesMax },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );

    // Tokens are 128 bits, so the limit is not what stops guessing; it keeps one address from
    // spending the store's lookups, and refuses with the same coded 429 as the other public routes.
    const rateLimit = { max: limits.confirmationLinkRequestsPerMinuteMax, timeWindow: time.minuteMs };

    links.get(
      "/c/:token",
      { schema: { params: ConfirmationLinkParams, hide: true }, config: { rateLimit } },
      async (request, reply) =>
        respond(request, reply, await holds.viewLink(request.params.token), ({ page }) =>
          renderQuestionPage(page),
        ),
    );

    links.post(
      "/c/:token",
      {
        bodyLimit: limits.confirmationLinkBodyBytesMax,
        schema: { params: ConfirmationLinkParams, body: AnswerBody, hide: true },
        config: { rateLimit },
      },
      async (request, reply) =>
        respond(
          request,
          reply,
          await holds.answerByLink(request.params.token, request.body.answer),
          ({ page }) => renderAnswerPage(page, request.body.answer),
        ),
    );
  });
}
