import { readAuditEntries, verifyAuditChain } from "../../audit/index.ts";
import type { Store } from "../../storage/index.ts";
import type { HttpApp } from "../app.ts";

export type SystemRoutesDeps = {
  store: Pick<Store, "listAudit">;
  health: () => Record<string, unknown>;
};

export function registerSystemRoutes(app: HttpApp, deps: SystemRoutesDeps): void {
  app.get("/v1/health", { schema: { summary: "Liveness and a few counts" } }, async () => ({
    status: "ok",
    ...deps.health(),
  }));

  app.get("/v1/audit/verify", { schema: { summary: "Verify the hash chain of the audit log" } }, async () =>
    verifyAuditChain(readAuditEntries(deps.store)),
  );
}
