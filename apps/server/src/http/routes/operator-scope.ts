/**
 * The console's API: every route registered here answers only to an operator's session token
 * and names the roles that may call it; a route without roles is a bug caught at start-up, so
 * nothing in the console is open to every operator by omission.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { OperatorRole } from "@mimamori/contracts";
import type { Operator, Operators } from "../../identity/index.ts";
import { assert } from "../../platform/assert.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The operator roles a console route answers to. */
    roles?: readonly OperatorRole[];
  }
}

export type OperatorOf = (request: object) => Operator;

export const caseWorkers: readonly OperatorRole[] = ["analyst", "supervisor"];
export const ruleAuthors: readonly OperatorRole[] = ["supervisor"];
export const everyRole: readonly OperatorRole[] = ["analyst", "supervisor", "admin"];
export const admins: readonly OperatorRole[] = ["admin"];

export function registerOperatorScope(
  app: HttpApp,
  operators: Operators,
  register: (console: HttpApp, operatorOf: OperatorOf) => void,
): void {
  app.register(async (instance) => {
    const scoped = instance.withTypeProvider<TypeBoxTypeProvider>();
    scoped.addHook("onRoute", (route) => {
      const roles = route.config?.roles;
      assert(roles !== undefined && roles.length > 0, `console route ${route.url} names its roles`);
    });
    scoped.decorateRequest("operator", null);
    scoped.addHook("onRequest", async (request, reply) => {
      const operator = await operators.fromAuthorization(request.headers.authorization);
      if (operator === null) {
        return sendError(reply, "session_invalid");
      }
      if (!(request.routeOptions.config.roles ?? []).includes(operator.role)) {
        return sendError(reply, "forbidden");
      }
      (request as unknown as { operator: Operator }).operator = operator;
      return undefined;
    });
    register(scoped, (request) => (request as { operator: Operator }).operator);
  });
}
