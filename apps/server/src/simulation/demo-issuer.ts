import { assert } from "../platform/assert.ts";
import { createSeededRandom, type Random } from "../platform/random.ts";
import { deriveSeed, intBetween } from "./distributions.ts";
import type { CategoryKey, CountryCode } from "./issuer-config.ts";
import type { Merchant, MerchantCatalogue } from "./merchant-catalogue.ts";
import { createWorldCatalogue, randomStreams } from "./world.ts";

export type DemoCardholder = {
  ref: string;
  /** As the cardholder writes it: kanji for Japanese speakers, Latin script otherwise. */
  name: string;
  /** As embossed on the card. */
  nameLatin: string;
  phone: string;
  email: string;
  language: "ja" | "en";
  timeZone: string;
  homeCountry: string;
};
export type DemoCard = { ref: string; cardholderRef: string; expiry: string };
export type DemoMerchant = { id: string; name: string; mcc: string; country: string };
export type DemoIssuer = { cardholders: DemoCardholder[]; cards: DemoCard[]; merchants: DemoMerchant[] };

/** name, nameLatin, email, language, time zone, home country, cards. */
type DemoPerson = readonly [string, string, string, "ja" | "en", string, string, 1 | 2];

/**
 * The demo's people are fixed so that screenshots, docs and tests can name them. Addresses use the
 * reserved example domains, and every phone sits in one placeholder block so a demo message is easy
 * to recognise in an outbox.
 */
const demoPeople: readonly DemoPerson[] = [
  ["山田 花子", "HANAKO YAMADA", "hanako.yamada@example.jp", "ja", "Asia/Tokyo", "JP", 2],
  ["佐藤 健太", "KENTA SATO", "kenta.sato@example.jp", "ja", "Asia/Tokyo", "JP", 1],
  ["鈴木 美咲", "MISAKI SUZUKI", "misaki.suzuki@example.jp", "ja", "Asia/Tokyo", "JP", 1],
  ["高橋 翔", "SHO TAKAHASHI", "sho.takahashi@example.jp", "ja", "Asia/Tokyo", "JP", 1],
  ["田中 優子", "YUKO TANAKA", "yuko.tanaka@example.jp", "ja", "Asia/Tokyo", "JP", 1],
  ["伊藤 大輔", "DAISUKE ITO", "daisuke.ito@example.jp", "ja", "Asia/Tokyo", "JP", 1],
  ["渡辺 さくら", "SAKURA WATANABE", "sakura.watanabe@example.jp", "ja", "Asia/Tokyo", "JP", 2],
  ["Emily Carter", "EMILY CARTER", "emily.carter@example.com", "en", "Asia/Tokyo", "JP", 1],
  ["James Wilson", "JAMES WILSON", "james.wilson@example.com", "en", "Europe/London", "GB", 1],
  ["Olivia Brown", "OLIVIA BROWN", "olivia.brown@example.com", "en", "America/Los_Angeles", "US", 1],
];

/** Which merchants the demo lists: everyday shops at home, the risky categories, a few abroad. */
const demoMerchantPlan: readonly (readonly [CountryCode, CategoryKey, number])[] = [
  ["JP", "grocery", 3],
  ["JP", "convenience", 3],
  ["JP", "restaurant", 3],
  ["JP", "fastFood", 2],
  ["JP", "fuel", 2],
  ["JP", "drugStore", 2],
  ["JP", "department", 2],
  ["JP", "electronics", 2],
  ["JP", "gamesToys", 2],
  ["JP", "digital", 2],
  ["JP", "giftCard", 2],
  ["JP", "airline", 1],
  ["JP", "hotel", 1],
  ["JP", "atm", 1],
  ["JP", "subscription", 2],
  ["US", "hotel", 1],
  ["US", "restaurant", 1],
  ["US", "electronics", 1],
  ["US", "digital", 1],
  ["KR", "department", 1],
  ["KR", "restaurant", 1],
  ["TW", "convenience", 1],
  ["TW", "restaurant", 1],
  ["FR", "hotel", 1],
  ["GB", "fastFood", 1],
];

/** Up to `count` distinct merchants of the list, in a seeded order. */
function pickDistinct(random: Random, merchants: readonly Merchant[], count: number): Merchant[] {
  const remaining = [...merchants];
  const chosen: Merchant[] = [];
  while (chosen.length < count && remaining.length > 0) {
    const [merchant] = remaining.splice(random.int(remaining.length), 1);
    assert(merchant !== undefined, "splice of a non-empty list returns an item");
    chosen.push(merchant);
  }
  return chosen;
}

function demoMerchants(random: Random, catalogue: MerchantCatalogue): DemoMerchant[] {
  return demoMerchantPlan.flatMap(([country, category, count]) =>
    pickDistinct(random, catalogue.inCountry(country, category), count).map((merchant) => ({
      id: merchant.id,
      name: merchant.name,
      mcc: merchant.mcc,
      country: merchant.country,
    })),
  );
}

/**
 * A small fixed issuer for a demo database: ten cardholders, twelve cards and forty merchants.
 * The merchants come from the same catalogue as `generateIssuerHistory` with the same seed, so
 * simulated traffic names merchants the demo already knows. Cards carry references only; the
 * server derives test card numbers itself.
 */
export function generateDemoIssuer(seed: number): DemoIssuer {
  assert(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, "seed must be an integer in [0, 2^32)");
  const random = createSeededRandom(deriveSeed(seed, randomStreams.demo));
  const cardholders: DemoCardholder[] = [];
  const cards: DemoCard[] = [];
  demoPeople.forEach(([name, nameLatin, email, language, timeZone, homeCountry, cardCount], index) => {
    const ref = `demo-ch-${String(index + 1).padStart(2, "0")}`;
    const phone = `+81900000${String(index + 1).padStart(4, "0")}`;
    cardholders.push({ ref, name, nameLatin, phone, email, language, timeZone, homeCountry });
    for (let k = 0; k < cardCount; k++) {
      const year = intBetween(random, [2027, 2031]);
      const month = String(intBetween(random, [1, 12])).padStart(2, "0");
      const cardRef = `demo-card-${String(cards.length + 1).padStart(2, "0")}`;
      cards.push({ ref: cardRef, cardholderRef: ref, expiry: `${year}-${month}` });
    }
  });
  return { cardholders, cards, merchants: demoMerchants(random, createWorldCatalogue(seed)) };
}
