/**
 * The cardholder portal's own API: sign-in with password and authenticator code, and the reads
 * the portal's pages need (profile and cards, recent transactions, reissue status). The hold,
 * lock, report and contact-check actions live beside their modules under /v1/cardholder/.
 */
import {
  IdParams,
  type PortalCardView,
  PortalCredentialBody,
  type PortalMeView,
  type PortalTransactionView,
  type ReissueView,
  SignInBody,
} from "@mimamori/contracts";
import type { CardDirectory } from "../../cards/index.ts";
import { maskPan } from "../../cards/index.ts";
import { limits, time } from "../../config/limits.ts";
import type { PortalAccounts, Sessions } from "../../identity/index.ts";
import type { Authorization } from "../../scoring/index.ts";
import type { CardRecord, Store } from "../../storage/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";
import { registerCardholderScope } from "./cardholder-scope.ts";

export type PortalRoutesDeps = {
  portalAccounts: PortalAccounts;
  sessions: Sessions;
  directory: CardDirectory;
  store: Store;
};

const iso = (ms: number) => new Date(ms).toISOString();

function portalCardView(card: CardRecord): PortalCardView {
  return {
    id: card.id,
    panMasked: maskPan(card.panBin, card.panLast4),
    last4: card.panLast4,
    expiry: card.expiry,
    state: card.state,
    replaces: card.replacesCardId,
  };
}

export function registerPortalRoutes(app: HttpApp, deps: PortalRoutesDeps): void {
  const { portalAccounts, sessions, directory, store } = deps;

  // The issuer's registration flow: the API key vouches for who the cardholder is.
  app.post(
    "/v1/cardholders/:id/portal-credentials",
    { schema: { params: IdParams, body: PortalCredentialBody } },
    async (request, reply) => {
      if (directory.getCardholder(request.params.id) === undefined) {
        return sendError(reply, "cardholder_not_found");
      }
      const result = await portalAccounts.enroll(request.params.id, request.body, "api_key");
      return result.ok ? reply.code(201).send({ totp: result.totp }) : sendError(reply, result.code);
    },
  );

  app.post(
    "/v1/portal/sign-in",
    {
      schema: { body: SignInBody, summary: "A cardholder signs in with password and authenticator code" },
      config: { rateLimit: { max: limits.signInsPerMinuteMax, timeWindow: time.minuteMs } },
    },
    async (request, reply) => {
      const result = await portalAccounts.signIn(request.body);
      return result.ok
        ? { token: result.token, expiresAt: iso(result.expiresAtMs) }
        : sendError(reply, result.code);
    },
  );

  registerCardholderScope(app, sessions, (portal, cardholderOf) => {
    portal.post("/v1/cardholder/sign-out", async (request, reply) => {
      await sessions.close(request.headers.authorization, `cardholder:${cardholderOf(request)}`);
      return reply.code(204).send();
    });

    portal.get("/v1/cardholder/me", async (request, reply) => {
      const cardholder = directory.getCardholder(cardholderOf(request));
      if (cardholder === undefined) {
        return sendError(reply, "cardholder_not_found");
      }
      const me: PortalMeView = {
        cardholder: {
          id: cardholder.id,
          name: cardholder.name,
          language: cardholder.language,
          timeZone: cardholder.timeZone,
          securityPhrase: cardholder.securityPhrase,
        },
        cards: directory.cardsOf(cardholder.id).map(portalCardView),
      };
      return me;
    });

    portal.get("/v1/cardholder/transactions", async (request) => {
      const cards = directory.cardsOf(cardholderOf(request));
      const perCard = await Promise.all(
        cards.map(async (card) =>
          (await store.listDecisionsByCard(card.id, limits.portalTransactionsMax)).map(
            (decision): PortalTransactionView => {
              const authorization = decision.authorization as Pick<
                Authorization,
                "amountMinor" | "currency" | "merchant" | "channel"
              >;
              return {
                authorizationId: decision.authorizationId,
                cardId: card.id,
                last4: card.panLast4,
                occurredAt: iso(decision.occurredAtMs),
                amount: { minor: authorization.amountMinor, currency: authorization.currency },
                merchant: { name: authorization.merchant.name, country: authorization.merchant.country },
                channel: authorization.channel,
                outcome: decision.outcome,
              };
            },
          ),
        ),
      );
      const transactions = perCard
        .flat()
        .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
        .slice(0, limits.portalTransactionsMax);
      return { transactions };
    });

    portal.get("/v1/cardholder/reissues", async (request) => {
      const cardholderId = cardholderOf(request);
      const cards = directory.cardsOf(cardholderId);
      const cases = await store.listDocuments("case", { cardholderId }, null, limits.pageSizeMax);
      const reissues: ReissueView[] = [];
      for (const caseDocument of cases) {
        const body = caseDocument.body as { kind?: string; replacementCardId?: string | null };
        const oldCard = cards.find((card) => card.id === caseDocument.cardId);
        if (typeof body.replacementCardId !== "string" || oldCard === undefined) {
          continue;
        }
        const newCard = cards.find((card) => card.id === body.replacementCardId) ?? null;
        const [updates, disputes] = await Promise.all([
          store.listDocuments("account_update", { cardId: oldCard.id }, null, limits.pageSizeMax),
          store.listDocuments("dispute_flag", { cardId: oldCard.id }, null, limits.pageSizeMax),
        ]);
        reissues.push({
          caseId: caseDocument.id,
          openedAt: iso(caseDocument.createdAtMs),
          reason: body.kind ?? "reissue",
          oldCard: { id: oldCard.id, last4: oldCard.panLast4, state: oldCard.state },
          newCard:
            newCard === null
              ? null
              : { id: newCard.id, last4: newCard.panLast4, state: newCard.state, expiry: newCard.expiry },
          cardOnFile: updates.map((update) => ({
            merchantName: String((update.body as { merchantName?: string }).merchantName ?? ""),
            state: update.state,
            updatedAt: iso(update.updatedAtMs),
          })),
          disputedCharges: await Promise.all(
            disputes.map(async (dispute) => {
              const flagged = dispute.body as {
                authorizationId: string;
                amount: { minor: number; currency: string };
                merchantId: string;
              };
              const decision = await store.getDecision(flagged.authorizationId);
              const merchant = (decision?.authorization as { merchant?: { name?: string } } | undefined)
                ?.merchant;
              return {
                authorizationId: flagged.authorizationId,
                amount: flagged.amount,
                merchantName: merchant?.name ?? flagged.merchantId,
                state: dispute.state,
              };
            }),
          ),
        });
      }
      return { reissues: reissues.reverse() };
    });
  });
}
