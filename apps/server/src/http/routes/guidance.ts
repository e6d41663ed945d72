/**
 * Support guidance over HTTP, public like the issuer's own help pages: "what should I do now?"
 * for a situation, and the channel directory. Both answer for now on the injected clock, or for
 * the instant in `at`, so a page can show what is open when the cardholder will call.
 */
import { ChannelDirectoryView, ChannelsQuery, GuidanceQuery, GuidanceView } from "@mimamori/contracts";
import { channelDirectory, type GuidanceDeps, guidanceFor } from "../../guidance/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type GuidanceRoutesDeps = { clock: Clock; guidance: GuidanceDeps };

/** The first of "ja" or "en" the client prefers; Japanese, the issuer's language, otherwise. */
function languageOf(lang: "ja" | "en" | undefined, acceptLanguage: string | undefined): "ja" | "en" {
  if (lang !== undefined) {
    return lang;
  }
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "ja" || tag === "en") {
      return tag;
    }
  }
  return "ja";
}

/**
 * `at` as an instant (the schema already checked its form), else now. Null for a time that does
 * not exist, such as 02-30 or 25:00, which Date.parse would quietly roll over into another day.
 */
function instantOf(at: string | undefined, clock: Clock): number | null {
  if (at === undefined) {
    return clock.nowMs();
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(at);
  const [year, month, day, hour, minute, second] = (match?.slice(1) ?? []).map((part) => Number(part ?? 0));
  if (year === undefined || month === undefined || day === undefined) {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const isRealDay = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!isRealDay || (hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) {
    return null;
  }
  const atMs = Date.parse(at);
  return Number.isNaN(atMs) ? null : atMs;
}

export function registerGuidanceRoutes(app: HttpApp, deps: GuidanceRoutesDeps): void {
  const { clock, guidance } = deps;

  app.get(
    "/v1/guidance",
    {
      schema: {
        querystring: GuidanceQuery,
        response: { 200: GuidanceView },
        summary:
          "What to do now in a situation: self-service, open channels, what to prepare, where to report",
        security: [],
      },
    },
    async (request, reply) => {
      const { situation, lang, at } = request.query;
      const atMs = instantOf(at, clock);
      if (atMs === null) {
        return sendError(reply, "invalid_request", "at is not a real date and time.");
      }
      const language = languageOf(lang, request.headers["accept-language"]);
      return reply.send(guidanceFor({ situation, atMs, language }, guidance));
    },
  );

  app.get(
    "/v1/channels",
    {
      schema: {
        querystring: ChannelsQuery,
        response: { 200: ChannelDirectoryView },
        summary:
          "Every official line, channel, sender, domain and app, with what is open now and what a call costs",
        security: [],
      },
    },
    async (request, reply) => {
      const { lang, at } = request.query;
      const atMs = instantOf(at, clock);
      if (atMs === null) {
        return sendError(reply, "invalid_request", "at is not a real date and time.");
      }
      const language = languageOf(lang, request.headers["accept-language"]);
      return reply.send(channelDirectory({ atMs, language }, { registry: guidance.registry }));
    },
  );
}
