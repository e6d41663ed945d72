/**
 * Structured JSON logs (pino) that cannot carry a card number: every string that reaches a log
 * line is scanned, and any run of digits that holds a Luhn-valid 13–19 digit number is replaced
 * before it is written, including one glued to more digits (a PAN followed by its expiry).
 */
import { type DestinationStream, type Logger, pino } from "pino";
import { isLuhnValid } from "../cards/index.ts";

/** Runs of at least 13 digits, with the single spaces or dashes a card number is written with. */
const digitRun = /[0-9](?:[ -]?[0-9]){12,}/g;
/** Digits checked window by window; a longer run is redacted whole, since no log needs one. */
const checkedRunDigitsMax = 64;

/** Does some 13–19 digit stretch of the run pass the Luhn check? */
function holdsPan(digits: string): boolean {
  if (digits.length > checkedRunDigitsMax) {
    return true;
  }
  for (let length = 13; length <= Math.min(19, digits.length); length++) {
    for (let start = 0; start + length <= digits.length; start++) {
      if (isLuhnValid(digits.slice(start, start + length))) {
        return true;
      }
    }
  }
  return false;
}

export function redactPans(text: string): string {
  return text.replace(digitRun, (match) => (holdsPan(match.replace(/[ -]/g, "")) ? "[PAN REDACTED]" : match));
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
