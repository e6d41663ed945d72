import type { Channel } from "@mimamori/contracts";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import { minorFromJpy, roundSignificant } from "./amounts.ts";
import type { PlannedAuthorization } from "./authorization-queue.ts";
import { type Cardholder, pickPresentCategory, syntheticIp, type Trip } from "./cardholder.ts";
import { chance, createWeightedPicker, intBetween, lognormal, pick, poisson } from "./distributions.ts";
import { type CategoryKey, type CountryCode, simulationConfig } from "./issuer-config.ts";
import type { Merchant, MerchantCatalogue } from "./merchant-catalogue.ts";
import { dayMs, hourMs, type ZoneClock } from "./zone-clock.ts";

const habits = simulationConfig.habits;
const travel = simulationConfig.travel;
/** Where a mail or telephone order is placed: bookings and catalogue shopping. */
const motoCategories: readonly CategoryKey[] = ["hotel", "airline", "department"];
const destinationPickers = new Map(
  Object.entries(travel.destinations).map(([home, weights]) => [
    home,
    createWeightedPicker(Object.entries(weights) as [CountryCode, number][]),
  ]),
);

/**
 * What genuine spending reads for one cardholder-day. The day runs 24 hours from the cardholder's
 * home midnight; rows before `notBeforeMs` (the history's start, inside its first day) are dropped.
 */
export type GenuineDay = {
  readonly random: Random;
  readonly catalogue: MerchantCatalogue;
  readonly zoneClock: ZoneClock;
  readonly dayStartMs: number;
  readonly notBeforeMs: number;
  readonly push: (planned: PlannedAuthorization) => void;
};

function pickCard(random: Random, cardholder: Cardholder): number {
  const [first, second] = cardholder.cardIndexes;
  assert(first !== undefined, "a cardholder has at least one card");
  return second !== undefined && chance(random, habits.secondCardUse) ? second : first;
}

/** A typical amount for the category, scaled by the cardholder's level, in the merchant's currency. */
function genuineAmountMinor(random: Random, cardholder: Cardholder, merchant: Merchant): number {
  const category = simulationConfig.categories[merchant.category];
  const factor = cardholder.trip === null ? 1 : travel.amountFactor;
  const amountJpy =
    cardholder.amountLevel * factor * lognormal(random, category.amountMedianJpy, category.amountSigma);
  const amountMinor = minorFromJpy(amountJpy, merchant.currency);
  return merchant.category === "atm" ? roundSignificant(amountMinor, 1) : amountMinor;
}

function presentChannel(
  random: Random,
  cardholder: Cardholder,
  merchant: Merchant,
  amountMinor: number,
): Channel {
  if (merchant.category === "atm") {
    return "atm";
  }
  const limitMinor = minorFromJpy(habits.contactlessLimitJpy, merchant.currency);
  return amountMinor < limitMinor && chance(random, cardholder.contactlessShare) ? "contactless" : "pos";
}

function pickPresentMerchant(random: Random, catalogue: MerchantCatalogue, cardholder: Cardholder): Merchant {
  const country: CountryCode = cardholder.trip?.country ?? cardholder.homeCountry;
  if (chance(random, habits.atmShare)) {
    return pick(random, catalogue.inCountry(country, "atm"));
  }
  if (cardholder.trip !== null) {
    return pick(random, cardholder.trip.merchants);
  }
  if (chance(random, habits.exploreShare)) {
    const category = pickPresentCategory(random);
    return pick(random, catalogue.inCountry(country, category));
  }
  return pick(random, cardholder.usualPresent);
}

function genuinePurchase(day: GenuineDay, cardholder: Cardholder, atMs: number): PlannedAuthorization {
  const { random, catalogue } = day;
  const ecommerceShare = cardholder.ecommerceShare * (cardholder.trip === null ? 1 : travel.ecommerceFactor);
  const draw = random.float();
  const cardIndex = pickCard(random, cardholder);
  // Rows are built whole, never by spreading a partial object: one object shape keeps this hot path fast.
  if (draw < ecommerceShare) {
    const merchant = pick(random, cardholder.usualOnline);
    const homeIp = chance(random, habits.mobileIpShare) ? cardholder.mobileIp : cardholder.homeIp;
    return {
      atMs,
      cardholder,
      cardIndex,
      merchant,
      terminalId: null,
      amountMinor: genuineAmountMinor(random, cardholder, merchant),
      channel: "ecommerce",
      deviceFingerprint: pick(random, cardholder.devices),
      ip: cardholder.trip?.ip ?? homeIp,
      isFraud: false,
      campaign: null,
    };
  }
  if (draw < ecommerceShare + habits.motoShare) {
    const merchant = pick(random, catalogue.inCountry(cardholder.homeCountry, pick(random, motoCategories)));
    return {
      atMs,
      cardholder,
      cardIndex,
      merchant,
      terminalId: null,
      amountMinor: genuineAmountMinor(random, cardholder, merchant),
      channel: "moto",
      deviceFingerprint: null,
      ip: null,
      isFraud: false,
      campaign: null,
    };
  }
  const merchant = pickPresentMerchant(random, catalogue, cardholder);
  const amountMinor = genuineAmountMinor(random, cardholder, merchant);
  return {
    atMs,
    cardholder,
    cardIndex,
    merchant,
    terminalId: pick(random, merchant.terminalIds),
    amountMinor,
    channel: presentChannel(random, cardholder, merchant, amountMinor),
    deviceFingerprint: null,
    ip: null,
    isFraud: false,
    campaign: null,
  };
}

function startTrip(day: GenuineDay, cardholder: Cardholder): Trip {
  const { random, catalogue } = day;
  const pickDestination = destinationPickers.get(cardholder.homeCountry);
  assert(pickDestination !== undefined, `no travel destinations for ${cardholder.homeCountry}`);
  const country = pickDestination(random);
  const countryConfig = simulationConfig.countries[country];
  const areaIndex = random.int(countryConfig.areas.length);
  const area = countryConfig.areas[areaIndex];
  assert(area !== undefined, "area index out of range");
  const nearby = (category: CategoryKey): readonly Merchant[] => {
    const inArea = catalogue.inArea(country, areaIndex, category);
    return inArea.length > 0 ? inArea : catalogue.inCountry(country, category);
  };
  const merchants = [pick(random, nearby("hotel"))];
  const count = intBetween(random, travel.tripMerchants);
  for (let n = 0; n < count; n++) {
    merchants.push(pick(random, nearby(pickPresentCategory(random))));
  }
  return {
    country,
    zoneIndex: catalogue.zones.indexOf(area.timeZone),
    endMs: day.dayStartMs + intBetween(random, travel.tripDays) * dayMs,
    merchants,
    ip: syntheticIp(random, countryConfig.callingCode),
  };
}

/** Each home midnight a trip may end or begin; the first afternoon abroad starts at the hotel. */
function updateTrip(
  day: GenuineDay,
  cardholder: Cardholder,
  emit: (planned: PlannedAuthorization) => void,
): void {
  if (cardholder.trip !== null && day.dayStartMs >= cardholder.trip.endMs) {
    cardholder.trip = null;
  }
  if (cardholder.trip !== null || !chance(day.random, cardholder.tripStartChancePerDay)) {
    return;
  }
  const trip = startTrip(day, cardholder);
  cardholder.trip = trip;
  const hotel = trip.merchants[0];
  assert(hotel !== undefined, "a trip always starts with its hotel");
  emit({
    atMs: day.zoneClock.nextLocalTime(trip.zoneIndex, day.dayStartMs, 15, day.random.int(60)),
    cardholder,
    cardIndex: pickCard(day.random, cardholder),
    merchant: hotel,
    terminalId: pick(day.random, hotel.terminalIds),
    amountMinor: genuineAmountMinor(day.random, cardholder, hotel),
    channel: "pos",
    deviceFingerprint: null,
    ip: null,
    isFraud: false,
    campaign: null,
  });
}

/** A local hour drawn from the cardholder's cumulative hour shares. */
function sampleLocalHour(random: Random, hourCumulative: readonly number[]): number {
  const draw = random.float();
  const hour = hourCumulative.findIndex((cumulative) => draw < cumulative);
  return hour === -1 ? 23 : hour;
}

/**
 * Plans one cardholder's genuine authorizations for one day from their home midnight: trips
 * first (they move the day onto another clock), recurring charges due today, then a Poisson
 * number of purchases at local hours drawn from the cardholder's profile.
 */
export function planGenuineDay(day: GenuineDay, cardholder: Cardholder): void {
  const { random, zoneClock, dayStartMs } = day;
  const emit = (planned: PlannedAuthorization): void => {
    if (planned.atMs >= day.notBeforeMs) {
      day.push(planned);
    }
  };
  updateTrip(day, cardholder, emit);
  const home = zoneClock.localTimeAt(cardholder.homeZoneIndex, dayStartMs);
  for (const subscription of cardholder.subscriptions) {
    if (subscription.dayOfMonth === home.dayOfMonth) {
      emit({
        atMs: dayStartMs + subscription.localHour * hourMs + random.int(3600) * 1000,
        cardholder,
        cardIndex: subscription.cardIndex,
        merchant: subscription.merchant,
        terminalId: null,
        amountMinor: subscription.amountMinor,
        channel: "recurring",
        deviceFingerprint: null,
        ip: null,
        isFraud: false,
        campaign: null,
      });
    }
  }
  // Abroad, the local hour at home midnight is not 0: purchases shift so their local hours fit.
  const startHour = zoneClock.localTimeAt(
    cardholder.trip?.zoneIndex ?? cardholder.homeZoneIndex,
    dayStartMs,
  ).hour;
  const isWeekend = home.dayOfWeek === 0 || home.dayOfWeek === 6;
  const count = poisson(random, cardholder.dailyAuthorizations * (isWeekend ? habits.weekendFactor : 1));
  for (let n = 0; n < count; n++) {
    const hoursFromStart = (sampleLocalHour(random, cardholder.hourCumulative) - startHour + 24) % 24;
    emit(genuinePurchase(day, cardholder, dayStartMs + hoursFromStart * hourMs + random.int(3600) * 1000));
  }
}
