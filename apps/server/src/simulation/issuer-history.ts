import type { Channel } from "@mimamori/contracts";
import { assert } from "../platform/assert.ts";
import { createSeededRandom } from "../platform/random.ts";
import { createAuthorizationQueue, type PlannedAuthorization } from "./authorization-queue.ts";
import { type CampaignContext, expandCampaign, planCampaigns } from "./campaigns.ts";
import { cardRef } from "./cardholder.ts";
import { deriveSeed } from "./distributions.ts";
import { planGenuineDay } from "./genuine-spending.ts";
import type { CampaignKind } from "./issuer-config.ts";
import { createWorld, randomStreams } from "./world.ts";
import { createZoneClock, formatLocalIso, hourMs, type ZoneClock } from "./zone-clock.ts";

/** One authorization of the synthetic issuer, labelled. Cards are references, never numbers. */
export type SyntheticAuthorization = {
  /** Unique within a history: "sim-<seed>-<n>", n counting from 1 in time order. */
  id: string;
  cardRef: string;
  cardholderRef: string;
  homeCountry: string;
  /** The cardholder's home IANA zone, consistent with `homeCountry`. */
  timeZone: string;
  /** ISO 8601 in the merchant's local offset, e.g. "2026-11-20T14:03:11+09:00". */
  occurredAt: string;
  /** In `currency`'s minor units: yen at home, the local currency abroad. */
  amountMinor: number;
  currency: string;
  merchantId: string;
  merchantName: string;
  mcc: string;
  merchantCountry: string;
  terminalId: string | null;
  channel: Channel;
  deviceFingerprint: string | null;
  ip: string | null;
  isFraud: boolean;
  /** The campaign a row belongs to; skimmed-terminal visits carry it with `isFraud: false`. */
  campaign: CampaignKind | null;
};

export type IssuerHistoryOptions = {
  /** An integer in [0, 2^32): the seeded generator keeps 32 bits, and ids stay short. */
  seed: number;
  cardholders: number;
  days: number;
  startMs: number;
  /** Called after each simulated hour, counted in hours: `total` is `days * 24`. */
  onProgress?: (done: number, total: number) => void;
};

/** A bound on the world: larger runs belong in a sharded generator, not one process. */
const cardholdersMax = 10_000_000;
/** Ten years of history; offsets are cached per hour, so longer runs only cost time. */
const daysMax = 3_660;

function materialize(
  planned: PlannedAuthorization,
  id: string,
  zones: readonly string[],
  zoneClock: ZoneClock,
): SyntheticAuthorization {
  const { cardholder, merchant } = planned;
  const timeZone = zones[cardholder.homeZoneIndex];
  assert(timeZone !== undefined, "cardholder zone out of range");
  return {
    id,
    cardRef: cardRef(planned.cardIndex),
    cardholderRef: cardholder.ref,
    homeCountry: cardholder.homeCountry,
    timeZone,
    occurredAt: formatLocalIso(planned.atMs, zoneClock.offsetMinutesAt(merchant.zoneIndex, planned.atMs)),
    amountMinor: planned.amountMinor,
    currency: merchant.currency,
    merchantId: merchant.id,
    merchantName: merchant.name,
    mcc: merchant.mcc,
    merchantCountry: merchant.country,
    terminalId: planned.terminalId,
    channel: planned.channel,
    deviceFingerprint: planned.deviceFingerprint,
    ip: planned.ip,
    isFraud: planned.isFraud,
    campaign: planned.campaign,
  };
}

/** Preconditions: the CLI parses its flags at the edge, so a bad value here is a bug. */
function assertHistoryOptions(options: IssuerHistoryOptions): void {
  const { seed, cardholders, days, startMs } = options;
  assert(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, "seed must be an integer in [0, 2^32)");
  assert(Number.isInteger(cardholders) && cardholders > 0, "cardholders must be a positive integer");
  assert(cardholders <= cardholdersMax, `cardholders must be at most ${cardholdersMax}`);
  assert(Number.isInteger(days) && days > 0 && days <= daysMax, `days must be an integer in [1, ${daysMax}]`);
  assert(Number.isSafeInteger(startMs), "startMs must be an integer");
}

/**
 * A labelled authorization history, lazily, in non-decreasing time order, the same for the same
 * options. Time runs in one-hour slices. In each slice, the cardholders whose home day begins in it
 * plan that day's genuine spending, the campaigns that start in it expand into rows, and every
 * queued row before the slice's end is released. Memory holds the world and about one day of rows,
 * whatever the number of days. Rows that campaigns plan past the last day are dropped.
 */
export function* generateIssuerHistory(
  options: IssuerHistoryOptions,
): Generator<SyntheticAuthorization, void> {
  const { seed, days, startMs } = options;
  assertHistoryOptions(options);

  const world = createWorld(seed, options.cardholders);
  const zones = world.catalogue.zones;
  const zoneClock = createZoneClock(zones);
  const genuineRandom = createSeededRandom(deriveSeed(seed, randomStreams.genuine));
  const campaignContext: CampaignContext = {
    random: createSeededRandom(deriveSeed(seed, randomStreams.campaigns)),
    catalogue: world.catalogue,
    zoneClock,
    cardholders: world.cardholders,
  };
  const campaignStarts = planCampaigns(campaignContext.random, {
    cardholders: options.cardholders,
    startMs,
    days,
  });
  const queue = createAuthorizationQueue();
  const push = (planned: PlannedAuthorization): void => queue.push(planned);
  const cardholdersByZone = zones.map((_, zoneIndex) =>
    world.cardholders.filter((cardholder) => cardholder.homeZoneIndex === zoneIndex),
  );
  // Each zone's first day starts at its midnight before the history does; its early rows are dropped.
  const nextDayStartMs = zones.map((_, zoneIndex) => zoneClock.localMidnightAtOrBefore(zoneIndex, startMs));
  const hoursTotal = days * 24;
  let nextCampaign = 0;
  let rowNumber = 0;

  for (let slice = 0; slice < hoursTotal; slice++) {
    const sliceEndMs = startMs + (slice + 1) * hourMs;
    for (let zoneIndex = 0; zoneIndex < zones.length; zoneIndex++) {
      // A loop, not an if: when the history starts less than an hour before a zone's midnight,
      // both the first and the second day begin inside slice 0, and planning the second one a
      // slice later would queue rows before rows already released.
      for (
        let dayStartMs = nextDayStartMs[zoneIndex] ?? Number.POSITIVE_INFINITY;
        dayStartMs < sliceEndMs;
        dayStartMs = nextDayStartMs[zoneIndex] ?? Number.POSITIVE_INFINITY
      ) {
        const day = {
          random: genuineRandom,
          catalogue: world.catalogue,
          zoneClock,
          dayStartMs,
          notBeforeMs: startMs,
          push,
        };
        for (const cardholder of cardholdersByZone[zoneIndex] ?? []) {
          planGenuineDay(day, cardholder);
        }
        nextDayStartMs[zoneIndex] = zoneClock.nextLocalTime(zoneIndex, dayStartMs + hourMs, 0, 0);
      }
    }
    for (let start = campaignStarts[nextCampaign]; start !== undefined && start.startMs < sliceEndMs; ) {
      expandCampaign(campaignContext, start).forEach(push);
      nextCampaign += 1;
      start = campaignStarts[nextCampaign];
    }
    for (let planned = queue.popBefore(sliceEndMs); planned !== null; planned = queue.popBefore(sliceEndMs)) {
      rowNumber += 1;
      yield materialize(planned, `sim-${seed}-${rowNumber}`, zones, zoneClock);
    }
    options.onProgress?.(slice + 1, hoursTotal);
  }
}
