/**
 * Structured JSON logs (pino) that cannot carry a card number: every string that reaches a log
 * line is scanned, and any Luhn-valid run of 13–19 digits is replaced before it is written.
 */
import { type DestinationStream, type Logger, pino } from "pino";
import { isLuhnValid } from "../cards/index.ts";

const digitRun = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

export function redactPans(text: string): string {
  return text.replace(digitRun, (match) =>
    isLuhnValid(match.replace(/[ -]/g, "")) ? "[PAN REDACTED]" : match,
  );
}

function redactDeep(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return redactPans(value);
  }
  if (depth > 8 || value === null || typeof value !== "object") {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactDeep(item, depth + 1));
  }
  if (value instanceof Error) {
    return { type: value.name, message: redactPans(value.message), stack: redactPans(value.stack ?? "") };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = redactDeep(item, depth + 1);
  }
  return out;
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "mimamori" },
      formatters: { log: (object) => redactDeep(object, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactDeep(arg, 0)) as Parameters<typeof method>);
        },
      },
      // Request and reply objects never reach a line whole: only these fields.
      serializers: {
        req: (request: { method?: string; url?: string; id?: string }) => ({
          method: request.method,
          url: redactPans(request.url ?? ""),
          id: request.id,
        }),
        err: (error: Error) => redactDeep(error, 0),
      },
    },
    options.destination,
  );
}
