import type { Channel } from "@mimamori/contracts";
import { assert, assertNever } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import { currencyExponent, minorFromJpy, roundSignificant } from "./amounts.ts";
import type { PlannedAuthorization } from "./authorization-queue.ts";
import { type Cardholder, syntheticDevice, syntheticIp } from "./cardholder.ts";
import { chance, floatBetween, intBetween, lognormal, pick, stratifiedCount } from "./distributions.ts";
import {
  type CampaignKind,
  type CategoryKey,
  type CountryCode,
  campaignKinds,
  simulationConfig,
} from "./issuer-config.ts";
import type { Merchant, MerchantCatalogue } from "./merchant-catalogue.ts";
import { dayMs, hourMs, minuteMs, type ZoneClock } from "./zone-clock.ts";

const campaigns = simulationConfig.campaigns;

export type CampaignStart = {
  readonly kind: CampaignKind;
  readonly startMs: number;
  readonly cardholderIndex: number;
};

export type CampaignContext = {
  readonly random: Random;
  readonly catalogue: MerchantCatalogue;
  readonly zoneClock: ZoneClock;
  readonly cardholders: readonly Cardholder[];
};

/** How long after its start a campaign's rows run, so starts leave room for them in the history. */
const campaignSpanMs: Record<CampaignKind, number> = {
  stolen_number_abroad_night: dayMs,
  resellable_burst: hourMs,
  card_testing: 2 * hourMs,
  compromised_terminal:
    (campaigns.compromised_terminal.skimWindowDays[1] +
      campaigns.compromised_terminal.fraudDelayDays[1] +
      1) *
    dayMs,
  lost_card_shops: dayMs,
};

/**
 * Decides up front when each campaign starts and against whom, sorted by start. The list is small
 * (one entry per campaign, not per row), so planning it whole keeps the history lazy.
 */
export function planCampaigns(
  random: Random,
  world: { cardholders: number; startMs: number; days: number },
): CampaignStart[] {
  const endMs = world.startMs + world.days * dayMs;
  // Starts fall on whole seconds, as occurredAt is written to the second.
  const firstStartMs = Math.ceil(world.startMs / 1000) * 1000;
  const cardholderDays = world.cardholders * world.days;
  const starts: CampaignStart[] = [];
  for (const kind of campaignKinds) {
    const expected = (campaigns[kind].perThousandCardholderDays * cardholderDays) / 1000;
    const count = Math.max(1, stratifiedCount(random, expected));
    const latestStartMs = Math.max(firstStartMs, endMs - campaignSpanMs[kind]);
    const startSeconds = Math.floor((latestStartMs - firstStartMs) / 1000) + 1;
    for (let n = 0; n < count; n++) {
      starts.push({
        kind,
        startMs: firstStartMs + random.int(startSeconds) * 1000,
        cardholderIndex: random.int(world.cardholders),
      });
    }
  }
  // Array sort is stable, so equal starts keep their planning order and the output stays deterministic.
  return starts.sort((a, b) => a.startMs - b.startMs);
}

type FraudFields = Omit<PlannedAuthorization, "isFraud" | "campaign" | "cardholder">;

function fraud(kind: CampaignKind, cardholder: Cardholder, fields: FraudFields): PlannedAuthorization {
  return { ...fields, cardholder, isFraud: true, campaign: kind };
}

function otherThan<T extends string>(items: readonly T[], home: string): readonly T[] {
  const others = items.filter((item) => item !== home);
  assert(others.length > 0, `no choice other than ${home}`);
  return others;
}

/** An address in a country fraudsters connect from, never the cardholder's own. */
function fraudIp(random: Random, homeCountry: CountryCode): string {
  const codes = simulationConfig.fraudIpCallingCodes;
  const country = pick(random, otherThan(Object.keys(codes) as (keyof typeof codes)[], homeCountry));
  return syntheticIp(random, codes[country]);
}

function nearbyMerchant(
  context: CampaignContext,
  country: CountryCode,
  areaIndex: number,
  category: CategoryKey,
): Merchant {
  const nearby = context.catalogue.inArea(country, areaIndex, category);
  return pick(context.random, nearby.length > 0 ? nearby : context.catalogue.inCountry(country, category));
}

function randomSecondMs(random: Random): number {
  return random.int(60) * 1000;
}

function stolenNumberAbroadNight(
  context: CampaignContext,
  victim: Cardholder,
  startMs: number,
): PlannedAuthorization[] {
  const { random, catalogue } = context;
  const config = campaigns.stolen_number_abroad_night;
  const hour = intBetween(random, config.localHours);
  let atMs =
    context.zoneClock.nextLocalTime(victim.homeZoneIndex, startMs, hour, random.int(60)) +
    randomSecondMs(random);
  const country = pick(random, otherThan(config.merchantCountries, victim.homeCountry));
  const pickMerchant = (): Merchant =>
    pick(random, catalogue.inCountry(country, pick(random, config.merchantCategories)));
  const deviceFingerprint = syntheticDevice(random);
  const ip = fraudIp(random, victim.homeCountry);
  const cardIndex = pick(random, victim.cardIndexes);
  let merchant = pickMerchant();
  let amountJpy = lognormal(random, config.firstAmountMedianJpy, config.firstAmountSigma);
  const rows: PlannedAuthorization[] = [];
  const attempts = intBetween(random, config.attempts);
  for (let n = 0; n < attempts; n++) {
    if (n > 0) {
      atMs += intBetween(random, config.gapMinutes) * minuteMs + randomSecondMs(random);
      amountJpy *= floatBetween(random, config.amountGrowth);
      merchant = chance(random, config.sameMerchantShare) ? merchant : pickMerchant();
    }
    const amountMinor = minorFromJpy(amountJpy, merchant.currency);
    rows.push(
      fraud("stolen_number_abroad_night", victim, {
        atMs,
        cardIndex,
        merchant,
        terminalId: null,
        amountMinor,
        channel: "ecommerce",
        deviceFingerprint,
        ip,
      }),
    );
  }
  return rows;
}

function resellableAmountJpy(random: Random, category: CategoryKey): number {
  const config = campaigns.resellable_burst;
  if (category === "giftCard") {
    return pick(random, config.giftCardAmountsJpy);
  }
  if (category === "gamesToys") {
    return pick(random, config.consoleAmountsJpy);
  }
  return lognormal(random, config.electronicsMedianJpy, config.electronicsSigma);
}

function resellableBurst(
  context: CampaignContext,
  victim: Cardholder,
  startMs: number,
): PlannedAuthorization[] {
  const { random } = context;
  const config = campaigns.resellable_burst;
  const isOnline = chance(random, config.ecommerceShare);
  const country = chance(random, config.foreignMerchantShare)
    ? pick(random, otherThan(config.foreignMerchantCountries, victim.homeCountry))
    : victim.homeCountry;
  const areaIndex = random.int(simulationConfig.countries[country].areas.length);
  const deviceFingerprint = isOnline ? syntheticDevice(random) : null;
  const homeCallingCode = simulationConfig.countries[victim.homeCountry].callingCode;
  const onlineIp = chance(random, config.homeProxyShare)
    ? syntheticIp(random, homeCallingCode)
    : fraudIp(random, victim.homeCountry);
  const cardIndex = pick(random, victim.cardIndexes);
  const purchases = intBetween(random, config.purchases);
  const offsetsMs = Array.from(
    { length: purchases },
    () => random.int(config.windowMinutes * 60) * 1000,
  ).sort((a, b) => a - b);
  return offsetsMs.map((offsetMs) => {
    const category = pick(random, config.merchantCategories);
    const merchant = isOnline
      ? pick(random, context.catalogue.inCountry(country, category))
      : nearbyMerchant(context, country, areaIndex, category);
    const amountMinor = minorFromJpy(resellableAmountJpy(random, category), merchant.currency);
    const channel: Channel = isOnline ? "ecommerce" : "pos";
    return fraud("resellable_burst", victim, {
      atMs: startMs + offsetMs,
      cardIndex,
      merchant,
      terminalId: isOnline ? null : pick(random, merchant.terminalIds),
      amountMinor,
      channel,
      deviceFingerprint,
      ip: isOnline ? onlineIp : null,
    });
  });
}

/** Tiny amounts: yen as yen, two-decimal currencies in cents, any other from the yen range. */
function testAmountMinor(random: Random, currency: string): number {
  const config = campaigns.card_testing;
  if (currency === "JPY") {
    return intBetween(random, config.testAmountJpy);
  }
  return currencyExponent(currency) === 2
    ? intBetween(random, config.testAmountMinorForeign)
    : minorFromJpy(intBetween(random, config.testAmountJpy), currency);
}

function cardTesting(context: CampaignContext, victim: Cardholder, startMs: number): PlannedAuthorization[] {
  const { random, catalogue } = context;
  const config = campaigns.card_testing;
  const country = chance(random, config.foreignShare)
    ? pick(random, otherThan(config.testMerchantCountries, victim.homeCountry))
    : victim.homeCountry;
  const testMerchants = Array.from({ length: intBetween(random, config.testMerchants) }, () =>
    pick(random, catalogue.inCountry(country, pick(random, config.testMerchantCategories))),
  );
  const deviceFingerprint = syntheticDevice(random);
  const ip = fraudIp(random, victim.homeCountry);
  const cardIndex = pick(random, victim.cardIndexes);
  const online = { cardIndex, terminalId: null, channel: "ecommerce", deviceFingerprint, ip } as const;
  const rows: PlannedAuthorization[] = [];
  let atMs = startMs;
  const tests = intBetween(random, config.tests);
  for (let n = 0; n < tests; n++) {
    const merchant = pick(random, testMerchants);
    const amountMinor = testAmountMinor(random, merchant.currency);
    rows.push(fraud("card_testing", victim, { ...online, atMs, merchant, amountMinor }));
    atMs += intBetween(random, config.testGapSeconds) * 1000;
  }
  atMs += intBetween(random, config.cashOutDelayMinutes) * minuteMs;
  const cashOutCountry = chance(random, config.cashOutAtTestCountryShare) ? country : victim.homeCountry;
  const merchant = pick(random, catalogue.inCountry(cashOutCountry, pick(random, config.cashOutCategories)));
  const amountMinor = minorFromJpy(
    lognormal(random, config.cashOutMedianJpy, config.cashOutSigma),
    merchant.currency,
  );
  rows.push(fraud("card_testing", victim, { ...online, atMs, merchant, amountMinor }));
  return rows;
}

/** Cardholders living in the country, starting with the anchor, drawn at random without repeats. */
function pickSkimmedCardholders(context: CampaignContext, anchor: Cardholder, count: number): Cardholder[] {
  const chosen = new Set<Cardholder>([anchor]);
  const triesMax = count * 50;
  for (let tries = 0; chosen.size < count && tries < triesMax; tries++) {
    const candidate = pick(context.random, context.cardholders);
    if (candidate.homeCountry === anchor.homeCountry) {
      chosen.add(candidate);
    }
  }
  return [...chosen];
}

function counterfeitUses(
  context: CampaignContext,
  victim: Cardholder,
  cardIndex: number,
  firstUseMs: number,
): PlannedAuthorization[] {
  const { random } = context;
  const config = campaigns.compromised_terminal;
  const country = chance(random, config.foreignUseShare)
    ? pick(random, otherThan(config.useCountries, victim.homeCountry))
    : victim.homeCountry;
  const rows: PlannedAuthorization[] = [];
  let atMs = firstUseMs;
  const uses = intBetween(random, config.usesPerCard);
  for (let n = 0; n < uses; n++) {
    const merchant = pick(random, context.catalogue.inCountry(country, pick(random, config.useCategories)));
    const amountMinor = minorFromJpy(
      lognormal(random, config.useMedianJpy, config.useSigma),
      merchant.currency,
    );
    const isAtm = merchant.category === "atm";
    rows.push(
      fraud("compromised_terminal", victim, {
        atMs,
        cardIndex,
        merchant,
        terminalId: pick(random, merchant.terminalIds),
        amountMinor: isAtm ? roundSignificant(amountMinor, 1) : amountMinor,
        channel: isAtm ? "atm" : "pos",
        deviceFingerprint: null,
        ip: null,
      }),
    );
    atMs += intBetween(random, config.useGapMinutes) * minuteMs;
  }
  return rows;
}

/**
 * Genuine visits to one skimmed terminal, labelled with the campaign but not as fraud, then
 * counterfeit use of each card days later: the delay a compromised-terminal detector must learn.
 */
function compromisedTerminal(
  context: CampaignContext,
  anchor: Cardholder,
  startMs: number,
): PlannedAuthorization[] {
  const { random } = context;
  const config = campaigns.compromised_terminal;
  const category = pick(random, config.merchantCategories);
  const merchant = nearbyMerchant(context, anchor.homeCountry, anchor.homeAreaIndex, category);
  const terminalId = pick(random, merchant.terminalIds);
  const skimWindowDays = intBetween(random, config.skimWindowDays);
  const rows: PlannedAuthorization[] = [];
  for (const victim of pickSkimmedCardholders(context, anchor, intBetween(random, config.skimmedCards))) {
    const dayStartMs = startMs + random.int(skimWindowDays) * dayMs;
    const hour = intBetween(random, config.visitLocalHours);
    const visitMs = context.zoneClock.nextLocalTime(merchant.zoneIndex, dayStartMs, hour, random.int(60));
    const cardIndex = pick(random, victim.cardIndexes);
    const typical = simulationConfig.categories[category];
    const visitJpy = victim.amountLevel * lognormal(random, typical.amountMedianJpy, typical.amountSigma);
    rows.push({
      atMs: visitMs + randomSecondMs(random),
      cardholder: victim,
      cardIndex,
      merchant,
      terminalId,
      amountMinor: minorFromJpy(visitJpy, merchant.currency),
      channel: "pos",
      deviceFingerprint: null,
      ip: null,
      isFraud: false,
      campaign: "compromised_terminal",
    });
    const firstUseMs =
      visitMs + intBetween(random, config.fraudDelayDays) * dayMs + random.int(24 * 60) * minuteMs;
    rows.push(...counterfeitUses(context, victim, cardIndex, firstUseMs));
  }
  return rows;
}

function lostCardShops(
  context: CampaignContext,
  victim: Cardholder,
  startMs: number,
): PlannedAuthorization[] {
  const { random } = context;
  const config = campaigns.lost_card_shops;
  const country = victim.homeCountry;
  const hour = intBetween(random, config.localHours);
  let atMs =
    context.zoneClock.nextLocalTime(victim.homeZoneIndex, startMs, hour, random.int(60)) +
    randomSecondMs(random);
  const cardIndex = pick(random, victim.cardIndexes);
  const currency = simulationConfig.countries[country].currency;
  const limitMinor = minorFromJpy(simulationConfig.habits.contactlessLimitJpy, currency);
  const rows: PlannedAuthorization[] = [];
  const purchase = (category: CategoryKey, amountMinor: number, channel: Channel): void => {
    const merchant = nearbyMerchant(context, country, victim.homeAreaIndex, category);
    const terminalId = pick(random, merchant.terminalIds);
    const fields = {
      atMs,
      cardIndex,
      merchant,
      terminalId,
      amountMinor,
      channel,
      deviceFingerprint: null,
      ip: null,
    };
    rows.push(fraud("lost_card_shops", victim, fields));
    atMs += intBetween(random, config.gapMinutes) * minuteMs + randomSecondMs(random);
  };
  const smallPurchases = intBetween(random, config.smallPurchases);
  for (let n = 0; n < smallPurchases; n++) {
    const amountMinor = minorFromJpy(lognormal(random, config.smallMedianJpy, config.smallSigma), currency);
    // Staying under the tap limit is the point: no PIN is asked below it.
    purchase(pick(random, config.smallCategories), Math.min(amountMinor, limitMinor - 1), "contactless");
  }
  const bigPurchases = intBetween(random, config.bigPurchases);
  for (let n = 0; n < bigPurchases; n++) {
    const amountMinor = minorFromJpy(lognormal(random, config.bigMedianJpy, config.bigSigma), currency);
    purchase(pick(random, config.bigCategories), Math.max(amountMinor, limitMinor), "pos");
  }
  return rows;
}

/** The rows of one campaign, in any order; the generator's queue puts them in time order. */
export function expandCampaign(context: CampaignContext, start: CampaignStart): PlannedAuthorization[] {
  const victim = context.cardholders[start.cardholderIndex];
  assert(victim !== undefined, "campaign victim out of range");
  switch (start.kind) {
    case "stolen_number_abroad_night":
      return stolenNumberAbroadNight(context, victim, start.startMs);
    case "resellable_burst":
      return resellableBurst(context, victim, start.startMs);
    case "card_testing":
      return cardTesting(context, victim, start.startMs);
    case "compromised_terminal":
      return compromisedTerminal(context, victim, start.startMs);
    case "lost_card_shops":
      return lostCardShops(context, victim, start.startMs);
    default:
      return assertNever(start.kind);
  }
}
