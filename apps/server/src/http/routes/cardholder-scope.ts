/**
 * The cardholder's API: routes registered here answer only to a cardholder's session token, and
 * learn whose it is from the session alone, so other cardholders' ids are unknown to them.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Sessions } from "../../identity/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type CardholderOf = (request: object) => string;

export function registerCardholderScope(
  app: HttpApp,
  sessions: Sessions,
  register: (portal: HttpApp, cardholderOf: CardholderOf) => void,
): void {
  app.register(async (instance) => {
    const portal = instance.withTypeProvider<TypeBoxTypeProvider>();
    portal.decorateRequest("cardholderId", "");
    portal.addHook("onRequest", async (request, reply) => {
      const cardholderId = await sessions.cardholderOf(request.headers.authorization);
      if (cardholderId === null) {
        return sendError(reply, "session_invalid");
      }
      (request as unknown as { cardholderId: string }).cardholderId = cardholderId;
      return undefined;
    });
    register(portal, (request) => (request as { cardholderId: string }).cardholderId);
  });
}
