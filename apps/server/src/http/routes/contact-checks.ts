/**
 * "Is this really us?" over HTTP: public (rate-limited per client address, no key) and for a
 * signed-in cardholder, who also hears what our records say. Request bodies never reach a log.
 */
import { CardholderContactCheckBody, ContactCheckBody } from "@mimamori/contracts";
import { limits } from "../../config/limits.ts";
import type { ContactCheckService } from "../../contact-check/index.ts";
import type { Sessions } from "../../identity/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";
import { registerCardholderScope } from "./cardholder-scope.ts";

export type ContactCheckRoutesDeps = { contactChecks: ContactCheckService; sessions: Sessions };

/** The first of "ja" or "en" the client prefers; Japanese, the issuer's language, otherwise. */
function languageOf(acceptLanguage: string | undefined): "ja" | "en" {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "ja" || tag === "en") {
      return tag;
    }
  }
  return "ja";
}

export function registerContactCheckRoutes(app: HttpApp, deps: ContactCheckRoutesDeps): void {
  const { contactChecks } = deps;

  app.post(
    "/v1/contact-checks",
    {
      schema: { body: ContactCheckBody, summary: "Is this number, address, URL or message really from us?" },
      config: { rateLimit: { max: limits.contactChecksPerMinuteMax, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { input, from, language } = request.body;
      const result = contactChecks.checkPublic(
        { text: input, from: from ?? null },
        language ?? languageOf(request.headers["accept-language"]),
      );
      return reply.send(result);
    },
  );

  registerCardholderScope(app, deps.sessions, (portal, cardholderOf) => {
    portal.post(
      "/v1/cardholder/contact-checks",
      {
        schema: { body: CardholderContactCheckBody },
        config: { rateLimit: { max: limits.contactChecksPerMinuteMax, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const { input, from, language, channel, receivedAt } = request.body;
        const receivedAtMs = receivedAt === undefined ? undefined : Date.parse(receivedAt);
        if (receivedAtMs !== undefined && Number.isNaN(receivedAtMs)) {
          return sendError(reply, "invalid_request", "receivedAt is not a valid time.");
        }
        const result = await contactChecks.checkForCardholder(cardholderOf(request), {
          text: input,
          from: from ?? null,
          ...(language === undefined ? {} : { language }),
          ...(channel === undefined ? {} : { channel }),
          ...(receivedAtMs === undefined ? {} : { receivedAtMs }),
        });
        return reply.send(result);
      },
    );
  });
}
