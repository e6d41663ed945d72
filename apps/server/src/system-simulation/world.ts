/**
 * The simulated issuer's world: a few Tokyo cardholders with one card each, the shops they use,
 * and the shops fraudsters use. Small on purpose, so the same cards meet holds, codes, locks and
 * reissues many times in one run.
 */
import { withLuhnCheckDigit } from "../cards/index.ts";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";
import type { SimulatedPlatform } from "./platform-port.ts";

export type Merchant = {
  readonly id: string;
  readonly name: string;
  readonly mcc: string;
  readonly country: string;
};

/** Where the cardholders shop: Japanese groceries, transport, books and restaurants. */
export const everydayMerchants: readonly Merchant[] = [
  { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" },
  { id: "mer_conbini_02", name: "コンビニ駅前", mcc: "5499", country: "JP" },
  { id: "mer_rail_03", name: "東都鉄道", mcc: "4111", country: "JP" },
  { id: "mer_books_04", name: "本の通販", mcc: "5942", country: "JP" },
  { id: "mer_cafe_05", name: "喫茶みどり", mcc: "5814", country: "JP" },
];

/** Where stolen card details are spent: resellable electronics abroad, and card-testing shops. */
export const fraudMerchants: readonly Merchant[] = [
  { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US" },
  { id: "mer_nl_giftcards", name: "GIFTCARD WORLD", mcc: "5999", country: "NL" },
  { id: "mer_sg_phones", name: "SG PHONE DEPOT", mcc: "5732", country: "SG" },
];

/** Small online shops abroad a card tester tries a few yen at, one after another. */
export const testingMerchants: readonly Merchant[] = [
  { id: "mer_t_01", name: "DONATE ONLINE", mcc: "8398", country: "US" },
  { id: "mer_t_02", name: "APP STORE X", mcc: "5818", country: "GB" },
  { id: "mer_t_03", name: "STREAMING Y", mcc: "4899", country: "CA" },
  { id: "mer_t_04", name: "GAMES Z", mcc: "5816", country: "US" },
];

export type SimCardholder = {
  readonly index: number;
  readonly id: string;
  readonly phone: string;
  /** The card in the cardholder's wallet now; a reissue replaces it. */
  cardId: string;
  /** Every card the cardholder has had, oldest first: fraudsters keep using the old ones. */
  readonly cardIds: string[];
};

export async function createWorld(
  platform: SimulatedPlatform,
  random: Random,
  cardholderCount: number,
): Promise<SimCardholder[]> {
  const cardholders: SimCardholder[] = [];
  for (let index = 0; index < cardholderCount; index++) {
    const phone = `+81901234${String(1000 + index).padStart(4, "0")}`;
    const registered = await platform.cards.registerCardholder({
      name: `利用者 ${index}`,
      phone,
      email: `holder${index}@example.jp`,
      language: "ja",
      timeZone: "Asia/Tokyo",
      homeCountry: "JP",
      securityPhrase: `さくら ${index}`,
    });
    assert(registered.ok, "simulated cardholders are valid");
    let partial = "4";
    for (let digit = 0; digit < 14; digit++) {
      partial += String(random.int(10));
    }
    const issued = await platform.cards.issueCard({
      cardholderId: registered.cardholder.id,
      pan: withLuhnCheckDigit(partial),
      expiry: "2030-12",
    });
    assert(issued.ok, "simulated cards are valid");
    cardholders.push({
      index,
      id: registered.cardholder.id,
      phone,
      cardId: issued.card.id,
      cardIds: [issued.card.id],
    });
  }
  return cardholders;
}
