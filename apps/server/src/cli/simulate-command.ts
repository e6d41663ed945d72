import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createProgressBar } from "../replay/index.ts";
import { generateIssuerHistory } from "../simulation/index.ts";
import { integerArg, parseArgs } from "./args.ts";

export async function runSimulate(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, { values: ["seed", "cardholders", "days", "out", "start"] });
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  const { args } = parsed;
  const seed = integerArg(args, "seed", 1, 0, 2 ** 31 - 1);
  const cardholders = integerArg(args, "cardholders", 1_000, 1, 10_000_000);
  const days = integerArg(args, "days", 30, 1, 3_650);
  const out = args.values.get("out");
  for (const value of [seed, cardholders, days]) {
    if (typeof value === "string") {
      process.stderr.write(`error invalid_option: ${value}\n`);
      return 2;
    }
  }
  if (out === undefined) {
    process.stderr.write("error invalid_option: --out FILE is required\n");
    return 2;
  }
  const startText = args.values.get("start") ?? "2026-01-01T00:00:00Z";
  const startMs = Date.parse(startText);
  if (!Number.isFinite(startMs)) {
    process.stderr.write("error invalid_option: --start must be an ISO 8601 date\n");
    return 2;
  }

  const file = createWriteStream(out);
  // The generator reports simulated hours, so the bar counts hours of the whole history.
  const progress = createProgressBar({
    label: "simulate",
    total: Number(days) * 24,
    stream: process.stderr,
    unit: "hours",
  });
  let rows = 0;
  let frauds = 0;
  const byCampaign = new Map<string, number>();
  for (const row of generateIssuerHistory({
    seed: Number(seed),
    cardholders: Number(cardholders),
    days: Number(days),
    startMs,
    onProgress: (done) => progress.update(done),
  })) {
    rows++;
    if (row.isFraud) {
      frauds++;
      byCampaign.set(row.campaign ?? "unknown", (byCampaign.get(row.campaign ?? "unknown") ?? 0) + 1);
    }
    if (!file.write(`${JSON.stringify(row)}\n`)) {
      await once(file, "drain");
    }
  }
  progress.stop();
  file.end();
  await once(file, "finish");
  process.stdout.write(
    `${JSON.stringify({ out, seed, cardholders, days, rows, frauds, fraudsByCampaign: Object.fromEntries(byCampaign) })}\n`,
  );
  return 0;
}
