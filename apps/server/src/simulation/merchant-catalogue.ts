import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import { chance, createWeightedPicker, intBetween, pick } from "./distributions.ts";
import {
  type AreaConfig,
  type CategoryKey,
  type CountryCode,
  categoryKeys,
  countryCodes,
  simulationConfig,
} from "./issuer-config.ts";

export type Merchant = {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly mcc: string;
  readonly category: CategoryKey;
  readonly country: CountryCode;
  readonly currency: string;
  readonly areaIndex: number;
  readonly zoneIndex: number;
  /** Empty for merchants that only sell online. */
  readonly terminalIds: readonly string[];
};

export type MerchantCatalogue = {
  readonly merchants: readonly Merchant[];
  /** Every IANA zone the world uses; merchants and cardholders refer to them by index. */
  readonly zones: readonly string[];
  /** Never empty: every country has at least one merchant of every category. */
  inCountry(country: CountryCode, category: CategoryKey): readonly Merchant[];
  /** May be empty: callers fall back to the whole country. */
  inArea(country: CountryCode, areaIndex: number, category: CategoryKey): readonly Merchant[];
};

function isOnlineOnly(category: CategoryKey): boolean {
  return simulationConfig.categories[category].terminals[1] === 0;
}

const pickCatalogueCategory = createWeightedPicker(
  categoryKeys.map((key) => [key, simulationConfig.categories[key].catalogueWeight] as const),
);

/** The zones of every configured area, in configuration order, without repeats. */
function listZones(): string[] {
  const zones: string[] = [];
  for (const country of countryCodes) {
    for (const area of simulationConfig.countries[country].areas) {
      if (!zones.includes(area.timeZone)) {
        zones.push(area.timeZone);
      }
    }
  }
  return zones;
}

function merchantName(
  random: Random,
  country: CountryCode,
  category: CategoryKey,
  areaIndex: number,
): string {
  const config = simulationConfig.categories[category];
  const area: AreaConfig | undefined = simulationConfig.countries[country].areas[areaIndex];
  assert(area !== undefined, "area index out of range");
  const isJapanese =
    country === "JP" && area.nameJa !== undefined && chance(random, simulationConfig.japaneseNameShare);
  const stem = isJapanese ? pick(random, config.namesJa) : pick(random, config.names);
  if (isOnlineOnly(category)) {
    return stem;
  }
  return isJapanese ? `${stem} ${area.nameJa}店` : `${stem} ${area.name}`;
}

/**
 * A few hundred merchants per country. The first pass places one merchant of every category so
 * that any lookup the generator makes succeeds; the rest follow the categories' weights.
 */
export function createMerchantCatalogue(random: Random): MerchantCatalogue {
  const zones = listZones();
  const merchants: Merchant[] = [];
  // Nested maps rather than composite string keys: lookups run for every planned purchase.
  const byCountry = new Map<CountryCode, Map<CategoryKey, Merchant[]>>();
  const byArea = new Map<CountryCode, Map<CategoryKey, Merchant[]>[]>();
  const addTo = (map: Map<CategoryKey, Merchant[]>, merchant: Merchant): void => {
    const list = map.get(merchant.category);
    if (list === undefined) {
      map.set(merchant.category, [merchant]);
    } else {
      list.push(merchant);
    }
  };

  for (const country of countryCodes) {
    const countryConfig = simulationConfig.countries[country];
    const countryMap = new Map<CategoryKey, Merchant[]>();
    const areaMaps = countryConfig.areas.map(() => new Map<CategoryKey, Merchant[]>());
    byCountry.set(country, countryMap);
    byArea.set(country, areaMaps);
    for (let n = 0; n < countryConfig.merchants; n++) {
      const category = n < categoryKeys.length ? categoryKeys[n] : pickCatalogueCategory(random);
      assert(category !== undefined, "category index out of range");
      const areaIndex = random.int(countryConfig.areas.length);
      const area = countryConfig.areas[areaIndex];
      assert(area !== undefined, "area index out of range");
      const id = `mer-${country}-${String(n).padStart(4, "0")}`;
      const terminalCount = intBetween(random, simulationConfig.categories[category].terminals);
      const merchant: Merchant = {
        index: merchants.length,
        id,
        name: merchantName(random, country, category, areaIndex),
        mcc: pick(random, simulationConfig.categories[category].mccs),
        category,
        country,
        currency: countryConfig.currency,
        areaIndex,
        zoneIndex: zones.indexOf(area.timeZone),
        terminalIds: Array.from({ length: terminalCount }, (_, k) => `${id}-t${k + 1}`),
      };
      merchants.push(merchant);
      addTo(countryMap, merchant);
      const areaMap = areaMaps[areaIndex];
      assert(areaMap !== undefined, "area index out of range");
      addTo(areaMap, merchant);
    }
  }

  return {
    merchants,
    zones,
    inCountry(country, category) {
      const list = byCountry.get(country)?.get(category);
      assert(list !== undefined && list.length > 0, `no ${category} merchant in ${country}`);
      return list;
    },
    inArea(country, areaIndex, category) {
      return byArea.get(country)?.[areaIndex]?.get(category) ?? [];
    },
  };
}
