/**
 * `mimamori replay`: scores a recorded or synthetic history through the real engine, in time
 * order, on a clock that follows the data. Cards the file names are enrolled on first sight with
 * a made-up test number, since histories reference cards, never their numbers.
 */
import { createHash } from "node:crypto";
import { AuthorizationBody } from "@mimamori/contracts";
import { Compile } from "typebox/compile";
import { withLuhnCheckDigit } from "../cards/index.ts";
import { startPlatform } from "../main.ts";
import { createManualClock } from "../platform/clock.ts";
import { createSeededRandom } from "../platform/random.ts";
import { createProgressBar, ReplayInputError, type ReplayRow, readReplayInput } from "../replay/index.ts";
import { parseArgs } from "./args.ts";
import { historyInputFromArgs, historySwitches, historyValueFlags } from "./history-flags.ts";

/** Rows skip the HTTP edge, so they pass the same schema here. */
const authorizationBodyCheck = Compile(AuthorizationBody);

/** How many authorizations are in flight at once: they still score in file order (see below). */
const replayInFlightMax = 64;

export async function runReplay(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, {
    values: [...historyValueFlags, "data"],
    switches: [...historySwitches, "json"],
  });
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  const { args } = parsed;
  const history = historyInputFromArgs(args);
  if (!history.ok) {
    process.stderr.write(`error invalid_option: ${history.message}\n`);
    return 2;
  }

  const clock = createManualClock(0);
  const platform = await startPlatform({
    dataDir: args.values.get("data") ?? null,
    clock,
    random: createSeededRandom(1),
    seedDemo: false,
  });
  const cardIds = new Map<string, string>();
  const enroll = async (row: ReplayRow): Promise<string> => {
    let cardId = cardIds.get(row.cardRef);
    if (cardId === undefined) {
      const holder = await platform.cards.registerCardholder({
        name: `Replay ${row.cardRef}`,
        phone: "+81000000000",
        email: "replay@example.invalid",
        language: "en",
        timeZone: row.timeZone,
        homeCountry: row.homeCountry,
      });
      if (!holder.ok) {
        throw new Error(`replay cardholder for ${row.cardRef}: ${holder.code}`);
      }
      const digits = BigInt(`0x${createHash("sha256").update(row.cardRef).digest("hex").slice(0, 15)}`)
        .toString()
        .padStart(14, "0")
        .slice(-14);
      const card = await platform.cards.issueCard({
        cardholderId: holder.cardholder.id,
        pan: withLuhnCheckDigit(`9${digits}`),
        expiry: "2099-12",
      });
      if (!card.ok) {
        throw new Error(`replay card for ${row.cardRef}: ${card.code}`);
      }
      cardId = card.card.id;
      cardIds.set(row.cardRef, cardId);
    }
    return cardId;
  };

  const outcomes: Record<string, number> = { approve: 0, step_up: 0, hold: 0, decline: 0 };
  const errors: Record<string, number> = {};
  const labelled = { fraud: 0, fraudStopped: 0, genuine: 0, genuineStopped: 0 };
  let rows = 0;
  let lastMs = Number.NEGATIVE_INFINITY;
  let progress: ReturnType<typeof createProgressBar> | null = null;
  const inFlight: Promise<void>[] = [];
  const startedAtMs = performance.now();
  try {
    for await (const item of readReplayInput({
      ...history.input,
      onProgress: (bytesRead, bytesTotal) => {
        progress ??= createProgressBar({
          label: "replay",
          total: bytesTotal,
          stream: process.stderr,
          unit: "bytes",
        });
        progress.update(bytesRead);
      },
    })) {
      if ("code" in item) {
        errors[item.code] = (errors[item.code] ?? 0) + 1;
        continue;
      }
      if (item.occurredAtMs < lastMs) {
        errors.out_of_order = (errors.out_of_order ?? 0) + 1;
        continue;
      }
      lastMs = item.occurredAtMs;
      const cardId = await enroll(item);
      const body = toBody(item, cardId);
      if (!authorizationBodyCheck.Check(body)) {
        errors.invalid_request = (errors.invalid_request ?? 0) + 1;
        continue;
      }
      clock.setMs(item.occurredAtMs);
      // authorize() scores synchronously before its first await, so issuing calls in file order
      // scores them in file order even with several commits in flight.
      const pending = platform.authorizations.authorize(body).then((result) => {
        if (!result.ok) {
          errors[result.code] = (errors[result.code] ?? 0) + 1;
          return;
        }
        const outcome = (JSON.parse(result.body) as { outcome: string }).outcome;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (item.label !== null) {
          const isStopped = outcome !== "approve";
          if (item.label) {
            labelled.fraud++;
            labelled.fraudStopped += isStopped ? 1 : 0;
          } else {
            labelled.genuine++;
            labelled.genuineStopped += isStopped ? 1 : 0;
          }
        }
      });
      rows++;
      inFlight.push(pending);
      if (inFlight.length >= replayInFlightMax) {
        await inFlight.shift();
      }
    }
    await Promise.all(inFlight);
  } catch (error) {
    if (error instanceof ReplayInputError) {
      process.stderr.write(`error ${error.code}: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    (progress as ReturnType<typeof createProgressBar> | null)?.stop();
    await platform.close();
  }
  const seconds = (performance.now() - startedAtMs) / 1000;
  const summary = {
    rows,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSec: Math.round(rows / Math.max(seconds, 1e-9)),
    outcomes,
    errors,
    labelled: labelled.fraud + labelled.genuine > 0 ? labelled : null,
  };
  if (args.switches.has("json")) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(
      `replayed ${rows} authorizations in ${summary.seconds} s (${summary.rowsPerSec}/s)\n` +
        `outcomes: ${Object.entries(outcomes)
          .map(([key, value]) => `${key} ${value}`)
          .join(", ")}\n` +
        (Object.keys(errors).length > 0 ? `rejected rows: ${JSON.stringify(errors)}\n` : "") +
        (summary.labelled === null
          ? ""
          : `labelled fraud stopped ${labelled.fraudStopped}/${labelled.fraud}, genuine stopped ${labelled.genuineStopped}/${labelled.genuine}\n`),
    );
  }
  return 0;
}

function toBody(row: ReplayRow, cardId: string): AuthorizationBody {
  const offset = row.occurredAtOffsetMinutes;
  const local = new Date(row.occurredAtMs + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offset) % 60).padStart(2, "0");
  const device: { ip?: string; fingerprint?: string } = {};
  if (row.device.ip !== null) {
    device.ip = row.device.ip;
  }
  if (row.device.fingerprint !== null) {
    device.fingerprint = row.device.fingerprint;
  }
  return {
    id: row.id,
    card: { cardId },
    amount: { minor: row.amountMinor, currency: row.currency },
    merchant: {
      id: row.merchant.id,
      name: row.merchant.name,
      mcc: row.merchant.mcc,
      country: row.merchant.country,
      ...(row.merchant.terminalId === null ? {} : { terminalId: row.merchant.terminalId }),
    },
    channel: row.channel as AuthorizationBody["channel"],
    occurredAt: `${local}${sign}${hours}:${minutes}`,
    ...(Object.keys(device).length === 0 ? {} : { device }),
  };
}
