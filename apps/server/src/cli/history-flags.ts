/**
 * The flags that `replay` and `evaluate` share to read a history file: the file and its format,
 * the column (CSV header or NDJSON key) of each field, and the defaults for absent columns.
 */
import type { ColumnMapping, ReplayInputOptions } from "../replay/index.ts";
import type { ParsedArgs } from "./args.ts";

const columnFlags: Readonly<Record<string, keyof ColumnMapping>> = {
  "id-column": "id",
  "time-column": "time",
  "card-column": "card",
  "amount-column": "amount",
  "currency-column": "currency",
  "merchant-column": "merchant",
  "merchant-name-column": "merchantName",
  "mcc-column": "mcc",
  "country-column": "country",
  "terminal-column": "terminal",
  "channel-column": "channel",
  "device-column": "device",
  "ip-column": "ip",
  "label-column": "label",
  "home-country-column": "homeCountry",
  "time-zone-column": "timeZone",
};

/** Flags that take a value, for `parseArgs`. */
export const historyValueFlags = [
  "input",
  "format",
  "currency",
  "home-country",
  "time-zone",
  "channel",
  ...Object.keys(columnFlags),
] as const;

/** Flags without a value, for `parseArgs`. */
export const historySwitches = ["amount-is-major"] as const;

/**
 * How to read the history the flags name, or why they cannot say (an `invalid_option`). Columns
 * not named keep the default mapping, which is the simulator's field names.
 */
export function historyInputFromArgs(
  args: ParsedArgs,
): { ok: true; input: Omit<ReplayInputOptions, "onProgress"> } | { ok: false; message: string } {
  const path = args.values.get("input");
  if (path === undefined) {
    return { ok: false, message: "--input FILE is required" };
  }
  const format = args.values.get("format");
  if (format !== undefined && format !== "csv" && format !== "ndjson") {
    return { ok: false, message: "--format must be csv or ndjson" };
  }
  const columns: Partial<ColumnMapping> = {};
  for (const [flag, key] of Object.entries(columnFlags)) {
    const value = args.values.get(flag);
    if (value !== undefined) {
      columns[key] = value;
    }
  }
  return {
    ok: true,
    input: {
      path,
      ...(format === undefined ? {} : { format }),
      columns,
      defaults: {
        currency: args.values.get("currency") ?? "JPY",
        homeCountry: args.values.get("home-country") ?? "JP",
        timeZone: args.values.get("time-zone") ?? "Asia/Tokyo",
        channel: args.values.get("channel") ?? "pos",
      },
      amountIsMajor: args.switches.has("amount-is-major"),
    },
  };
}
