import {
  CardholderQuery,
  CreateCardBody,
  CreateCardholderBody,
  IdParams,
  RegisterWalletTokenBody,
} from "@mimamori/contracts";
import { type CardService, type WalletTokenService, walletTokenView } from "../../cards/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type CardRoutesDeps = { cards: CardService; walletTokens: WalletTokenService };

export function registerCardRoutes(app: HttpApp, deps: CardRoutesDeps): void {
  const { cards, walletTokens } = deps;

  app.post("/v1/cardholders", { schema: { body: CreateCardholderBody } }, async (request, reply) => {
    const result = await cards.registerCardholder(request.body);
    if (!result.ok) {
      return sendError(reply, result.code, result.message);
    }
    return reply.code(201).send({ id: result.cardholder.id });
  });

  app.get("/v1/cardholders/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const cardholder = cards.getCardholder(request.params.id);
    if (cardholder === undefined) {
      return sendError(reply, "cardholder_not_found");
    }
    const { createdAtMs, ...rest } = cardholder;
    return { ...rest, createdAt: new Date(createdAtMs).toISOString() };
  });

  app.post("/v1/cards", { schema: { body: CreateCardBody } }, async (request, reply) => {
    const result = await cards.issueCard(request.body);
    if (!result.ok) {
      return sendError(reply, result.code, result.message);
    }
    return reply.code(201).send(result.card);
  });

  app.get("/v1/cards", { schema: { querystring: CardholderQuery } }, async (request, reply) => {
    if (cards.getCardholder(request.query.cardholderId) === undefined) {
      return sendError(reply, "cardholder_not_found");
    }
    return { cards: cards.listCardsOf(request.query.cardholderId) };
  });

  app.get("/v1/cards/:id", { schema: { params: IdParams } }, async (request, reply) => {
    const card = cards.getCard(request.params.id);
    if (card === undefined) {
      return sendError(reply, "card_not_found");
    }
    return card;
  });

  // The issuer's token-service connector reports what VTS or MDES provisioned for a card.
  app.post(
    "/v1/cards/:id/wallet-tokens",
    { schema: { params: IdParams, body: RegisterWalletTokenBody } },
    async (request, reply) => {
      const result = await walletTokens.register(request.params.id, request.body);
      if (!result.ok) {
        return sendError(reply, result.code, result.message);
      }
      return reply.code(201).send(walletTokenView(result.token));
    },
  );

  app.get("/v1/cards/:id/wallet-tokens", { schema: { params: IdParams } }, async (request, reply) => {
    if (cards.getCard(request.params.id) === undefined) {
      return sendError(reply, "card_not_found");
    }
    return { walletTokens: (await walletTokens.tokensOf(request.params.id)).map(walletTokenView) };
  });
}
