import { AuthorizationBody } from "@mimamori/contracts";
import type { AuthorizationService } from "../../scoring/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type AuthorizationRoutesDeps = { authorizations: AuthorizationService; withEmptyBenchRoute?: boolean };

export function registerAuthorizationRoutes(app: HttpApp, deps: AuthorizationRoutesDeps): void {
  app.post(
    "/v1/authorizations",
    { schema: { body: AuthorizationBody, summary: "Score one authorization (idempotent by id)" } },
    async (request, reply) => {
      const result = await deps.authorizations.authorize(request.body);
      if (!result.ok) {
        return sendError(reply, result.code, result.message);
      }
      if (result.isReplay) {
        reply.header("idempotent-replayed", "true");
      }
      // The body is the stored JSON text, so a retry gets the identical bytes.
      return reply.type("application/json").send(result.body);
    },
  );

  if (deps.withEmptyBenchRoute === true) {
    const emptyBody = JSON.stringify({ outcome: "approve" });
    app.post(
      "/v1/bench/empty",
      { schema: { body: AuthorizationBody, hide: true } },
      async (_request, reply) => reply.type("application/json").send(emptyBody),
    );
  }
}
