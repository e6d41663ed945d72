import { readAuditEntries, verifyAuditChain } from "../../audit/index.ts";
import type { Readiness } from "../../observability/index.ts";
import type { Store } from "../../storage/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type SystemRoutesDeps = {
  store: Pick<Store, "listAudit">;
  health: () => Record<string, unknown>;
  ready: () => Promise<Readiness>;
};

export function registerSystemRoutes(app: HttpApp, deps: SystemRoutesDeps): void {
  app.get("/v1/health", { schema: { summary: "Liveness and a few counts" } }, async () => ({
    status: "ok",
    ...deps.health(),
  }));

  app.get(
    "/v1/ready",
    { schema: { summary: "Readiness: every dependency answers and the process is not stopping" } },
    async (_request, reply) => {
      const readiness = await deps.ready();
      if (readiness.ready) {
        return { ready: true, checks: readiness.checks };
      }
      const message =
        readiness.code === "draining"
          ? undefined
          : `Not ready: ${readiness.failing.map((name) => `${name} ${readiness.checks[name]}`).join(", ")}.`;
      return sendError(reply, readiness.code, message, undefined, { ready: false, checks: readiness.checks });
    },
  );

  app.get("/v1/audit/verify", { schema: { summary: "Verify the hash chain of the audit log" } }, async () =>
    verifyAuditChain(readAuditEntries(deps.store)),
  );
}
