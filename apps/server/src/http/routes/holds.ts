/**
 * The confirmation loop over HTTP: holds, cases, account updates and the outbox for the issuer
 * (API key); the SMS provider's inbound webhook; and the cardholder's own API (a session token),
 * where a cardholder reaches only their own holds and cards.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  AnalystActionBody,
  AnswerBody,
  CardholderQuery,
  CardholderSessionBody,
  CardQuery,
  IdParams,
  ReportLostBody,
  SmsInboundBody,
} from "@mimamori/contracts";
import type { Redis } from "ioredis";
import type { CardService } from "../../cards/index.ts";
import { limits } from "../../config/limits.ts";
import { type HoldService, holdView, type ResolveResult } from "../../holds/index.ts";
import type { Sessions } from "../../identity/index.ts";
import { type BodySealer, outboxFromDocument, outboxView } from "../../outbox/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { DocumentKind, DocumentRecord, Store } from "../../storage/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";
import { createWebhookSignatureCheck, webhookSignatureHeader } from "../webhook-signature.ts";
import { registerCardholderScope } from "./cardholder-scope.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's sender may sign the body instead of holding the API key (a provider's webhook). */
    isSignedWebhook?: boolean;
  }
}

export type HoldRoutesDeps = {
  holds: HoldService;
  sessions: Sessions;
  cards: CardService;
  store: Store;
  /** Opens sealed message bodies for the outbox record. */
  sealer: BodySealer;
  /** Step-up's SMS keyword ("9": a code I did not ask for); null leaves the reply to the loop. */
  stepUpSmsReply: (from: string, text: string) => Promise<object | null>;
  /** The SMS provider signs its replies with this key; see webhook-signature.ts. */
  smsInboundSigningKey: Buffer;
  clock: Clock;
  rateLimitStore: { redis: Redis; keyPrefix: string } | null;
};

/** Documents shown by the API: their own fields, times as ISO 8601. */
function documentView(document: DocumentRecord) {
  return {
    id: document.id,
    cardId: document.cardId,
    cardholderId: document.cardholderId,
    state: document.state,
    createdAt: new Date(document.createdAtMs).toISOString(),
    updatedAt: new Date(document.updatedAtMs).toISOString(),
    ...(document.body as Record<string, unknown>),
  };
}

export function registerHoldRoutes(app: HttpApp, deps: HoldRoutesDeps): void {
  const { holds, sessions, cards, store } = deps;

  const sendResolution = (reply: Parameters<typeof sendError>[0], result: ResolveResult) => {
    if (!result.ok) {
      return sendError(reply, result.code, result.message);
    }
    return reply.send({ hold: holdView(result.hold) });
  };

  const listByCard = (kind: DocumentKind, cardId: string) =>
    store.listDocuments(kind, { cardId }, null, limits.pageSizeMax);

  app.get("/v1/holds/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const hold = await holds.getHold(request.params.id);
    return hold === null ? sendError(reply, "hold_not_found") : { hold: holdView(hold) };
  });

  // An analyst's release or block; the console (issue #6) adds operator identity and roles.
  for (const [action, resolve] of [
    ["release", holds.releaseByAnalyst],
    ["block", holds.blockByAnalyst],
  ] as const) {
    app.post(
      `/v1/holds/:id/${action}`,
      { schema: { params: IdParams, body: AnalystActionBody } },
      async (request, reply) =>
        sendResolution(
          reply,
          await resolve(request.params.id, {
            channel: "console",
            actor: "api_key",
            reason: request.body.reason,
          }),
        ),
    );
  }

  app.get("/v1/cases", { schema: { querystring: CardQuery } }, async (request) => ({
    cases: (await listByCard("case", request.query.cardId)).map(documentView),
  }));

  app.get("/v1/account-updates", { schema: { querystring: CardQuery } }, async (request) => ({
    accountUpdates: (await listByCard("account_update", request.query.cardId)).map(documentView),
  }));

  app.get("/v1/authorizations/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const decision = await store.getDecision(request.params.id);
    if (decision === null) {
      return sendError(reply, "authorization_not_found");
    }
    const dispute = await store.findDocumentByLookupKey("dispute_flag", decision.authorizationId);
    return {
      ...(decision.response as Record<string, unknown>),
      dispute: dispute === null ? null : documentView(dispute),
    };
  });

  app.get("/v1/outbox", { schema: { querystring: CardholderQuery } }, async (request) => {
    const documents = await store.listDocuments(
      "outbox_message",
      { cardholderId: request.query.cardholderId },
      null,
      limits.outboxListedMax,
    );
    return {
      messages: documents.map((document) => outboxView(outboxFromDocument(document), deps.sealer)),
    };
  });

  // The provider's webhook. It always answers 200 with what it did, so the provider does not
  // retry an answer that was understood; only malformed requests get a 4xx. The sender either
  // holds the API key (the issuer's own relay) or signs the raw body with the time, so that a
  // provider needs no API key and a captured reply cannot be sent again. Encapsulated, so the
  // parser that keeps the raw body for the signature applies to this route alone.
  const checkSignature = createWebhookSignatureCheck({
    signingKey: deps.smsInboundSigningKey,
    clock: deps.clock,
    replayStore: deps.rateLimitStore,
  });
  app.register(async (instance) => {
    const inbound = instance.withTypeProvider<TypeBoxTypeProvider>();
    const parseJson = inbound.getDefaultJsonParser("error", "error");
    const rawBodies = new WeakMap<object, string>();
    inbound.removeContentTypeParser("application/json");
    inbound.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
      rawBodies.set(request, body as string);
      parseJson(request, body as string, done);
    });
    inbound.addHook("preValidation", async (request, reply) => {
      const header = request.headers[webhookSignatureHeader];
      // Without a signature the API key was required, and checked, before this hook.
      if (header === undefined) {
        return undefined;
      }
      const refusal = await checkSignature(header, rawBodies.get(request) ?? "");
      return refusal === null ? undefined : sendError(reply, refusal);
    });
    inbound.post(
      "/v1/messaging/sms/inbound",
      { schema: { body: SmsInboundBody }, config: { isSignedWebhook: true } },
      async (request) =>
        (await deps.stepUpSmsReply(request.body.from, request.body.body)) ??
        holds.handleSmsReply(request.body.from, request.body.body),
    );
  });

  app.post("/v1/cardholder-sessions", { schema: { body: CardholderSessionBody } }, async (request, reply) => {
    if (cards.getCardholder(request.body.cardholderId) === undefined) {
      return sendError(reply, "cardholder_not_found");
    }
    const session = await sessions.open({ cardholderId: request.body.cardholderId }, "api_key");
    return reply
      .code(201)
      .send({ token: session.token, expiresAt: new Date(session.expiresAtMs).toISOString() });
  });

  registerCardholderScope(app, sessions, (portal, cardholderOf) => {
    portal.get("/v1/cardholder/confirmations", async (request) => ({
      confirmations: (await holds.pendingFor(cardholderOf(request)))
        .slice(0, limits.cardholderHoldsListedMax)
        .map(holdView),
    }));

    portal.post(
      "/v1/cardholder/confirmations/:id/answer",
      { schema: { params: IdParams, body: AnswerBody } },
      async (request, reply) => {
        const hold = await holds.getHold(request.params.id);
        if (hold === null || hold.cardholderId !== cardholderOf(request)) {
          return sendError(reply, "hold_not_found");
        }
        return sendResolution(
          reply,
          await holds.answer(hold.id, request.body.answer, {
            channel: "portal",
            actor: `cardholder:${cardholderOf(request)}`,
            reason: null,
          }),
        );
      },
    );

    const ownCard = (request: object, cardId: string) => {
      const card = cards.getCard(cardId);
      return card !== undefined && card.cardholderId === cardholderOf(request) ? card : undefined;
    };
    for (const [action, isLocked] of [
      ["lock", true],
      ["unlock", false],
    ] as const) {
      portal.post(
        `/v1/cardholder/cards/:id/${action}`,
        { schema: { params: IdParams } },
        async (request, reply) => {
          if (ownCard(request, request.params.id) === undefined) {
            return sendError(reply, "card_not_found");
          }
          const result = await holds.setLocked(request.params.id, isLocked, {
            channel: "portal",
            actor: `cardholder:${cardholderOf(request)}`,
            reason: null,
          });
          return result.ok ? { state: result.state } : sendError(reply, result.code, result.message);
        },
      );
    }
    portal.post(
      "/v1/cardholder/cards/:id/report-lost",
      { schema: { params: IdParams, body: ReportLostBody } },
      async (request, reply) => {
        if (ownCard(request, request.params.id) === undefined) {
          return sendError(reply, "card_not_found");
        }
        const result = await holds.reportLostOrStolen(request.params.id, request.body.kind, {
          channel: "portal",
          actor: `cardholder:${cardholderOf(request)}`,
          reason: request.body.kind,
        });
        return result.ok
          ? { replacementCardId: result.replacementCardId, caseId: result.caseId }
          : sendError(reply, result.code, result.message);
      },
    );
  });
}
