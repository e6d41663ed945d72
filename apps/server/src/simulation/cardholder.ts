import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import { subscriptionPriceMinor } from "./amounts.ts";
import { chance, createWeightedPicker, floatBetween, intBetween, lognormal, pick } from "./distributions.ts";
import { type CountryCode, categoryKeys, simulationConfig } from "./issuer-config.ts";
import type { Merchant, MerchantCatalogue } from "./merchant-catalogue.ts";

const habits = simulationConfig.habits;

export type Subscription = {
  readonly merchant: Merchant;
  readonly cardIndex: number;
  /** Billed on this day of the month, in this hour, in the cardholder's home time. */
  readonly dayOfMonth: number;
  readonly localHour: number;
  readonly amountMinor: number;
};

/** A stay abroad: while it lasts, the cardholder's habits run on the destination's clock. */
export type Trip = {
  readonly country: CountryCode;
  readonly zoneIndex: number;
  readonly endMs: number;
  readonly merchants: readonly Merchant[];
  /** The hotel's network, from which e-commerce arrives during the stay. */
  readonly ip: string;
};

export type Cardholder = {
  readonly index: number;
  readonly ref: string;
  readonly homeCountry: CountryCode;
  readonly homeAreaIndex: number;
  readonly homeZoneIndex: number;
  readonly cardIndexes: readonly number[];
  readonly dailyAuthorizations: number;
  /** Cumulative shares of the day's spending by local hour 00–23; the last is 1. */
  readonly hourCumulative: readonly number[];
  readonly amountLevel: number;
  readonly ecommerceShare: number;
  readonly contactlessShare: number;
  readonly usualPresent: readonly Merchant[];
  readonly usualOnline: readonly Merchant[];
  readonly subscriptions: readonly Subscription[];
  readonly devices: readonly string[];
  readonly homeIp: string;
  readonly mobileIp: string;
  readonly tripStartChancePerDay: number;
  /** The one mutable field: the generator starts and ends trips as simulated days pass. */
  trip: Trip | null;
};

const hourCumulativeProfiles: readonly (readonly number[])[] = habits.hourProfiles.map((weights) => {
  assert(weights.length === 24, "an hour profile has 24 weights");
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  return weights.map((weight) => {
    cumulative += weight / total;
    return cumulative;
  });
});

export function cardRef(cardIndex: number): string {
  return `card-${String(cardIndex).padStart(6, "0")}`;
}

function cardholderRef(index: number): string {
  return `ch-${String(index).padStart(6, "0")}`;
}

/**
 * An address in the IPv6 documentation prefix (RFC 3849) with the country's calling code as the
 * third group: it never names a real host, and a reader can still tell the country.
 */
export function syntheticIp(random: Random, callingCode: string): string {
  return `2001:db8:${callingCode}:${random.int(0x10000).toString(16)}::${(1 + random.int(0xfffe)).toString(16)}`;
}

/** Eight hex digits: a fingerprint can never be mistaken for a card number. */
export function syntheticDevice(random: Random): string {
  return `dev-${random
    .int(2 ** 32)
    .toString(16)
    .padStart(8, "0")}`;
}

/** A category for a card-present purchase, by the categories' present weights. */
export const pickPresentCategory = createWeightedPicker(
  categoryKeys.map((key) => [key, simulationConfig.categories[key].presentWeight] as const),
);
const pickOnlineCategory = createWeightedPicker(
  categoryKeys.map((key) => [key, simulationConfig.categories[key].onlineWeight] as const),
);
const pickHomeCountry = createWeightedPicker(Object.entries(simulationConfig.homeCountryShares)) as (
  random: Random,
) => CountryCode;

function pickUsualPresent(
  random: Random,
  catalogue: MerchantCatalogue,
  country: CountryCode,
  area: number,
): Merchant {
  const category = pickPresentCategory(random);
  const nearby = catalogue.inArea(country, area, category);
  if (nearby.length > 0 && chance(random, habits.homeAreaShare)) {
    return pick(random, nearby);
  }
  return pick(random, catalogue.inCountry(country, category));
}

function pickUsualOnline(random: Random, catalogue: MerchantCatalogue, homeCountry: CountryCode): Merchant {
  const category = pickOnlineCategory(random);
  const foreign = habits.foreignOnlineCountries.filter((country) => country !== homeCountry);
  const country = chance(random, habits.foreignOnlineShare) ? pick(random, foreign) : homeCountry;
  return pick(random, catalogue.inCountry(country, category));
}

function createSubscription(
  random: Random,
  catalogue: MerchantCatalogue,
  homeCountry: CountryCode,
  cardIndexes: readonly number[],
): Subscription {
  const country =
    chance(random, habits.foreignSubscriptionShare) && homeCountry !== "US" ? "US" : homeCountry;
  const merchant = pick(random, catalogue.inCountry(country, "subscription"));
  return {
    merchant,
    cardIndex: pick(random, cardIndexes),
    dayOfMonth: 1 + random.int(habits.subscriptionDayOfMonthMax),
    localHour: intBetween(random, habits.subscriptionHours),
    amountMinor: subscriptionPriceMinor(pick(random, habits.subscriptionPricesJpy), merchant.currency),
  };
}

/** At most one subscription per merchant, so each recurring series is one billing day a month. */
function createSubscriptions(
  random: Random,
  catalogue: MerchantCatalogue,
  homeCountry: CountryCode,
  cardIndexes: readonly number[],
): Subscription[] {
  const subscriptions: Subscription[] = [];
  const count = intBetween(random, habits.subscriptions);
  for (let n = 0; n < count; n++) {
    const subscription = createSubscription(random, catalogue, homeCountry, cardIndexes);
    if (subscriptions.every((other) => other.merchant !== subscription.merchant)) {
      subscriptions.push(subscription);
    }
  }
  return subscriptions;
}

/** One cardholder with their habits; `firstCardIndex` numbers cards across the whole issuer. */
export function createCardholder(
  random: Random,
  catalogue: MerchantCatalogue,
  index: number,
  firstCardIndex: number,
): Cardholder {
  const homeCountry = pickHomeCountry(random);
  const areas = simulationConfig.countries[homeCountry].areas;
  const homeAreaIndex = random.int(areas.length);
  const homeArea = areas[homeAreaIndex];
  assert(homeArea !== undefined, "area index out of range");
  const cardCount = chance(random, habits.secondCardShare) ? 2 : 1;
  const cardIndexes = Array.from({ length: cardCount }, (_, k) => firstCardIndex + k);
  const [dailyMin, dailyMax] = habits.dailyAuthorizationsRange;
  const callingCode = simulationConfig.countries[homeCountry].callingCode;
  return {
    index,
    ref: cardholderRef(index),
    homeCountry,
    homeAreaIndex,
    homeZoneIndex: catalogue.zones.indexOf(homeArea.timeZone),
    cardIndexes,
    dailyAuthorizations: Math.min(
      dailyMax,
      Math.max(
        dailyMin,
        lognormal(random, habits.dailyAuthorizationsMedian, habits.dailyAuthorizationsSigma),
      ),
    ),
    hourCumulative: pick(random, hourCumulativeProfiles),
    amountLevel: lognormal(random, 1, habits.amountLevelSigma),
    ecommerceShare: floatBetween(random, habits.ecommerceShare),
    contactlessShare: floatBetween(random, habits.contactlessShare),
    usualPresent: Array.from({ length: intBetween(random, habits.usualPresentMerchants) }, () =>
      pickUsualPresent(random, catalogue, homeCountry, homeAreaIndex),
    ),
    usualOnline: Array.from({ length: intBetween(random, habits.usualOnlineMerchants) }, () =>
      pickUsualOnline(random, catalogue, homeCountry),
    ),
    subscriptions: createSubscriptions(random, catalogue, homeCountry, cardIndexes),
    devices: Array.from({ length: intBetween(random, habits.devices) }, () => syntheticDevice(random)),
    homeIp: syntheticIp(random, callingCode),
    mobileIp: syntheticIp(random, callingCode),
    tripStartChancePerDay: chance(random, simulationConfig.travel.travellerShare)
      ? simulationConfig.travel.tripsPerYear / 365
      : 0,
    trip: null,
  };
}
