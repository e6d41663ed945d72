/**
 * Builds the Fastify instance: schemas compiled by ajv (no coercion, no silent stripping of
 * unknown fields), one error handler, the API-key check, and one plugin per module's routes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { limits } from "../config/limits.ts";
import { createApiKeyCheck } from "./auth.ts";
import { handleError, sendError } from "./errors.ts";
import { type AuthorizationRoutesDeps, registerAuthorizationRoutes } from "./routes/authorizations.ts";
import { type CardRoutesDeps, registerCardRoutes } from "./routes/cards.ts";
import { registerConfirmationLinkRoutes } from "./routes/confirmation-links.ts";
import { type ConsoleRoutesDeps, registerConsoleRoutes } from "./routes/console.ts";
import { type ContactCheckRoutesDeps, registerContactCheckRoutes } from "./routes/contact-checks.ts";
import { type GuidanceRoutesDeps, registerGuidanceRoutes } from "./routes/guidance.ts";
import { type HoldRoutesDeps, registerHoldRoutes } from "./routes/holds.ts";
import { type LabelRoutesDeps, registerLabelRoutes } from "./routes/labels.ts";
import { type PortalRoutesDeps, registerPortalRoutes } from "./routes/portal.ts";
import { type RulesetRoutesDeps, registerRulesetRoutes } from "./routes/rulesets.ts";
import { registerStepUpRoutes, type StepUpRoutesDeps } from "./routes/step-up.ts";
import { registerSystemRoutes, type SystemRoutesDeps } from "./routes/system.ts";
import { registerWebApps } from "./web-apps.ts";
import { webhookSignatureHeader } from "./webhook-signature.ts";
import { findMalformedText } from "./well-formed-text.ts";

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type HttpDeps = AuthorizationRoutesDeps &
  CardRoutesDeps &
  ConsoleRoutesDeps &
  ContactCheckRoutesDeps &
  PortalRoutesDeps &
  GuidanceRoutesDeps &
  HoldRoutesDeps &
  LabelRoutesDeps &
  RulesetRoutesDeps &
  StepUpRoutesDeps &
  SystemRoutesDeps & {
    logger: Logger;
    apiKey: string;
    /** Adds POST /v1/bench/empty: same body schema, no work. Only the benchmark turns it on. */
    withEmptyBenchRoute?: boolean;
    /** The built portal and console (apps/web/dist); null serves a "not built" answer instead. */
    webDistDir: string | null;
    /** True once a stop has begun: answers then close their connection, so keep-alive ends too. */
    isDraining: () => boolean;
    /**
     * Where the public routes' rate limits count, so a client spreading requests over several
     * processes meets one limit; null counts in this process.
     */
    rateLimitStore: { redis: Redis; keyPrefix: string } | null;
  };

/** Who may call a route: anyone, the issuer's host (API key), a cardholder or an operator. */
export type RouteAccess = "public" | "api_key" | "cardholder" | "operator";

/** Paths any caller may use without a credential. */
const publicPaths = new Set([
  // The bare address only redirects a browser to the portal, so it must not ask for the API key.
  "/",
  "/v1/health",
  "/v1/ready",
  "/openapi.json",
  "/v1/contact-checks",
  "/v1/guidance",
  "/v1/channels",
  "/v1/portal/sign-in",
  "/v1/console/sign-in",
]);
/** Path prefixes of what needs no API key: the web apps' files and the one-time link's page. */
const publicPrefixes = ["/portal", "/console", "/assets/", "/c/"];

/** The one reading of a path's access, used by the API-key hook and by the route table. */
export function accessOf(path: string): RouteAccess {
  if (publicPaths.has(path) || publicPrefixes.some((prefix) => path.startsWith(prefix))) {
    return "public";
  }
  if (path.startsWith("/v1/cardholder/")) {
    return "cardholder";
  }
  if (path.startsWith("/v1/console/")) {
    return "operator";
  }
  return "api_key";
}

/** Methods that change nothing, which a browser may send from any site (links, navigation). */
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export type RouteEntry = { method: string; url: string; access: RouteAccess; roles: readonly string[] };
const routeTables = new WeakMap<object, RouteEntry[]>();

/** Every route the app serves with who may call it: what the access tests walk. */
export function routeTableOf(app: HttpApp): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

export async function buildHttpApp(deps: HttpDeps): Promise<HttpApp> {
  let requestCount = 0;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request log lines would cost more than a decision; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.requestBodyBytesMax,
    genReqId: () => `req_${(++requestCount).toString(36)}`,
    // A request already on an open connection when a stop begins is answered, not refused with a
    // bare 503: an authorization is cheaper to finish than to retry elsewhere. The drain timeout
    // bounds this, and each such answer closes its connection (the onSend hook below).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    // A path that is not valid percent-encoded UTF-8, or a path parameter longer than any id, is
    // refused by the router before any hook runs; without this Fastify answers its own uncoded body.
    frameworkErrors: (error, _request, reply) =>
      sendError(
        reply,
        "invalid_request",
        error.code === "FST_ERR_MAX_PARAM_LENGTH" ? "A path segment is too long." : "The URL is not valid.",
      ),
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "mimamori", version: "0.1.0", description: "Issuer-side card fraud engine." },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
  });

  // The API speaks JSON only: a text body is refused as the wrong media type, not half-parsed.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(handleError);
  // Only routes that ask for it are limited (the public checks); the issuer's host is not.
  await app.register(rateLimit, {
    global: false,
    ...(deps.rateLimitStore === null
      ? {}
      : { redis: deps.rateLimitStore.redis, nameSpace: `${deps.rateLimitStore.keyPrefix}rate:` }),
    // Thrown as an error with status 429, which the one error handler maps to rate_limited.
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `retry in ${context.after}` }),
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, "not_found"));

  const routeTable: RouteEntry[] = [];
  routeTables.set(app, routeTable);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") {
        routeTable.push({
          method,
          url: route.url,
          access: accessOf(route.url),
          roles: route.config?.roles ?? [],
        });
      }
    }
  });

  // Cardholder and operator routes check their own session in their scope's hook.
  const isAuthorized = createApiKeyCheck(deps.apiKey);
  app.addHook("onRequest", async (request, reply) => {
    // Sessions are bearer tokens, never cookies, so a page on another site has no credential to
    // ride on. A browser also says where a request comes from: a state-changing one started by
    // another site (or a sibling subdomain) is refused outright, in case a credential ever
    // becomes ambient. Servers and apps send no Sec-Fetch-Site and are not affected.
    const fetchSite = request.headers["sec-fetch-site"];
    if (!safeMethods.has(request.method) && (fetchSite === "cross-site" || fetchSite === "same-site")) {
      return sendError(reply, "cross_site_request");
    }
    if (
      accessOf(request.url.split("?", 1)[0] ?? "") === "api_key" &&
      !isAuthorized(request.headers.authorization) &&
      // A signed webhook's route checks the signature itself, once the raw body is read.
      !(
        request.routeOptions.config.isSignedWebhook === true &&
        request.headers[webhookSignatureHeader] !== undefined
      )
    ) {
      return sendError(reply, "unauthorized");
    }
    return undefined;
  });
  app.addHook("preValidation", async (request, reply) => {
    const path = findMalformedText(request.body);
    if (path !== null) {
      return sendError(reply, "invalid_request", "The request does not match the schema.", [
        { path: `body${path}`, problem: "must be well-formed Unicode (no lone UTF-16 surrogate)" },
      ]);
    }
    return undefined;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (!reply.hasHeader("cache-control")) {
      reply.header("cache-control", "no-store");
    }
    reply.header("x-content-type-options", "nosniff");
    // Browsers honour this only on answers that came over HTTPS (RFC 6797 §8.1), so plain-HTTP
    // development is unaffected; behind the TLS terminator it keeps the browser on HTTPS.
    reply.header("strict-transport-security", "max-age=31536000");
    if (deps.isDraining()) {
      reply.header("connection", "close");
    }
    return payload;
  });

  registerSystemRoutes(app, deps);
  registerCardRoutes(app, deps);
  registerAuthorizationRoutes(app, deps);
  registerRulesetRoutes(app, deps);
  registerLabelRoutes(app, deps);
  registerHoldRoutes(app, deps);
  registerConfirmationLinkRoutes(app, deps);
  registerStepUpRoutes(app, deps);
  registerContactCheckRoutes(app, deps);
  registerGuidanceRoutes(app, deps);
  registerPortalRoutes(app, deps);
  registerConsoleRoutes(app, deps);
  await registerWebApps(app, deps.webDistDir);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
