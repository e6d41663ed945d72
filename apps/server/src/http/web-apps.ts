/**
 * The portal and the console are static files built by Vite (apps/web/dist): one HTML page per
 * app and hashed assets. The pages go out with a strict content security policy (scripts and
 * styles from this origin only, no framing), so an injected script or a framing site gets nowhere.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { HttpApp } from "./app.ts";
import { sendError } from "./errors.ts";

const pageHeaders = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

/** A built asset's name: letters, digits, "-", "_" and dots, not starting with a dot. */
const assetNamePattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export async function registerWebApps(app: HttpApp, distDir: string | null): Promise<void> {
  const isBuilt = distDir !== null && existsSync(join(distDir, "portal", "index.html"));
  for (const name of ["portal", "console"] as const) {
    for (const path of [`/${name}`, `/${name}/`]) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) => {
        if (!isBuilt) {
          return sendError(reply, "web_not_built");
        }
        // The page changes with each build; its hashed assets may be cached, the page may not.
        return reply.headers(pageHeaders).sendFile(join(name, "index.html"));
      });
    }
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/portal/"));
  if (isBuilt) {
    await app.register(fastifyStatic, { root: distDir, prefix: "/assets/", serve: false });
    app.get("/assets/*", { schema: { hide: true } }, async (request, reply) => {
      const file = (request.params as { "*": string })["*"];
      // The build writes flat, hashed file names; anything else (a path with "..", a subfolder,
      // a hidden file) is no asset of ours, answered as any unknown path is.
      if (!assetNamePattern.test(file)) {
        return sendError(reply, "not_found");
      }
      return reply
        .header("cache-control", "public, max-age=31536000, immutable")
        .sendFile(join("assets", file));
    });
  }
}
